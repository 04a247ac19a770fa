r"""Deterministic demo data for the landing contract (shared/CONTRACT.md, "Inputs").

Writes the 18 landing tables as `<table>.parquet`, with realistic French CRM mess and the
populations DOMAIN.md's inactivity logic is exercised with: prospects, steady buyers, buyers
whose cadence and basket decay, dormant and long-lost customers, customers held active by an
open dispute or ticket, auto-renewing subscribers whose usage fades, B2B accounts with several
contacts in different roles, households, reactivation campaigns in four waves, and so on;
and for DOMAIN.md's reactivation outputs, people at every step of both scenarios (the waves,
and the declining-activity journey as `retention` campaigns), consents that send dormant
customers to every channel (or none), email-inactive contacts for the deliverability cap,
and the reasons to leave someone out.

Everything is DuckDB SQL over `range()` / `unnest()` (no Python loop over rows) and every
random draw is a hash of (seed, entity, salt), so the same seed, as-of date and size give the
same rows whatever the thread scheduling. Dates are generated as "age" = days before the
as-of date and turned into timestamps at the end; every event is strictly before the as-of
date (at most one second before midnight), about six years back at most.

    python -m orchestration.demo_data --individuals 5000 --seed 42 --as-of 2026-11-23 \
        --out data/demo
"""

from __future__ import annotations

import argparse
import datetime
import json
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import duckdb

from orchestration.landing_contract import contract_columns
from orchestration.settings import (
    DEMO_DATA_DIR,
    DEMO_INDIVIDUALS,
    DEMO_SEED,
    files_digest,
    today_utc,
)

HORIZON_DAYS = 2190  # about six years of history before the as-of date
MEMORY_LIMIT = "8GB"  # DuckDB spills to a temporary folder beyond this
MAX_INDIVIDUALS = 9_999_999  # 'I' + 7 digits: string order of the ids stays numeric order
MAX_CAMPAIGNS = 1024  # email event ids pack (individual, campaign, slot) into one integer

# --------------------------------------------------------------------------------------------
# Reference lists (the "French mess" is built from these).
# --------------------------------------------------------------------------------------------
MALE_FIRST_NAMES = (
    "Jean", "Pierre", "Jean-Pierre", "Michel", "Philippe", "Alain", "Nicolas", "François",
    "Jérôme", "Stéphane", "Frédéric", "Sébastien", "Hervé", "Benoît", "Loïc", "Gaël", "Noël",
    "Raphaël", "Joël", "Thibault", "Rémi", "Cédric", "Jean-François", "Jean-Luc",
    "Marc-Antoine", "Mathéo", "Théo", "Léo", "Hugo", "Lucas", "Clément", "Adrien", "Maxime",
    "Aurélien", "Grégoire", "André", "Gérard", "René", "Bruno", "Éric", "Jean-Baptiste",
)
FEMALE_FIRST_NAMES = (
    "Marie", "Anne-Sophie", "Hélène", "Chloé", "Zoé", "Maëlle", "Françoise", "Agnès", "Léa",
    "Inès", "Gaëlle", "Mélanie", "Célia", "Marie-Thérèse", "Noémie", "Anaïs", "Héloïse",
    "Océane", "Clémence", "Élodie", "Émilie", "Sophie", "Nathalie", "Isabelle", "Sylvie",
    "Catherine", "Valérie", "Véronique", "Aurélie", "Manon", "Camille", "Laëtitia", "Jeanne",
    "Louise", "Margaux", "Anne-Laure", "Marie-Christine", "Bérénice", "Joséphine", "Maïwenn",
)
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert",
    "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc",
    "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément",
    "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez",
    "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger",
    "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Pérez", "Marchand", "Dufour",
    "Blanchard", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin",
    "Fernandez", "Renard", "Arnaud", "Caron", "Aubert", "Giraud", "Leclerc", "Vidal",
    "Bourgeois", "Renaud", "Lemoine", "Picard", "Lacroix", "Fabre", "Da Silva", "Le Gall",
    "Le Goff", "Rivière", "Ménard", "Prévost", "Carré", "Rémy", "Benoît", "Héraud", "Garçon",
    "Moïse", "Boëdec", "Martin-Dupont", "Lévy-Leblond", "D'Almeida", "N'Diaye",
    "De La Fontaine", "Saint-Martin", "Giraud-Lefèvre", "Müller", "Le Ménec",
)
STREET_TYPES = (
    "rue", "rue", "rue", "rue", "avenue", "boulevard", "place", "chemin", "allée", "impasse",
    "route", "quai", "cours", "square",
)
STREET_TYPE_ABBREVIATIONS = (  # aligned with STREET_TYPES: how a clerk shortens each one
    "r.", "r", "R.", "r.", "av.", "bd", "pl.", "ch.", "all.", "imp.", "rte", "qu.", "crs",
    "sq.",
)
STREET_NAMES = (
    "du Général de Gaulle", "Jean Jaurès", "Victor Hugo", "de la République", "Pasteur",
    "des Lilas", "de la Gare", "du Moulin", "Émile Zola", "de l'Église", "Saint-Honoré",
    "des Écoles", "Gambetta", "du Maréchal Foch", "de Verdun", "du Château", "des Peupliers",
    "de Paris", "Anatole France", "Molière", "des Tilleuls", "Aristide Briand", "du 8 Mai 1945",
    "du Maréchal Leclerc", "Paul Bert", "de la Liberté", "Nationale", "des Acacias", "du Stade",
    "de la Mairie", "Jean Moulin", "du Maréchal de Lattre de Tassigny", "des Frères Lumière",
    "Léon Blum", "du Président Wilson", "Saint-Exupéry", "d'Alsace-Lorraine", "des Champs",
    "de Bretagne", "Clemenceau", "Pierre et Marie Curie", "du Faubourg Saint-Antoine",
    "de la Forêt", "des Hêtres", "de la Fontaine", "Notre-Dame", "du Port", "des Vignes",
    "Hoche", "Carnot", "François Mitterrand", "des Cévennes",
)
# Real French (postal_code, city) pairs; cities keep their accents and hyphens.
POSTAL_CODES = (
    ("75001", "Paris"), ("75005", "Paris"), ("75011", "Paris"), ("75015", "Paris"),
    ("75018", "Paris"), ("75020", "Paris"), ("13001", "Marseille"), ("13008", "Marseille"),
    ("69001", "Lyon"), ("69003", "Lyon"), ("31000", "Toulouse"), ("31300", "Toulouse"),
    ("06000", "Nice"), ("44000", "Nantes"), ("67000", "Strasbourg"), ("34000", "Montpellier"),
    ("33000", "Bordeaux"), ("59000", "Lille"), ("35000", "Rennes"), ("51100", "Reims"),
    ("76600", "Le Havre"), ("42000", "Saint-Étienne"), ("83000", "Toulon"),
    ("38000", "Grenoble"), ("21000", "Dijon"), ("49000", "Angers"), ("30000", "Nîmes"),
    ("69100", "Villeurbanne"), ("63000", "Clermont-Ferrand"), ("72000", "Le Mans"),
    ("13100", "Aix-en-Provence"), ("29200", "Brest"), ("37000", "Tours"), ("80000", "Amiens"),
    ("87000", "Limoges"), ("74000", "Annecy"), ("66000", "Perpignan"),
    ("92100", "Boulogne-Billancourt"), ("57000", "Metz"), ("25000", "Besançon"),
    ("45000", "Orléans"), ("93200", "Saint-Denis"), ("68100", "Mulhouse"), ("76000", "Rouen"),
    ("14000", "Caen"), ("54000", "Nancy"), ("92000", "Nanterre"), ("94400", "Vitry-sur-Seine"),
    ("93100", "Montreuil"), ("59100", "Roubaix"), ("59200", "Tourcoing"), ("84000", "Avignon"),
    ("92200", "Neuilly-sur-Seine"), ("64000", "Pau"), ("64100", "Bayonne"),
    ("17000", "La Rochelle"), ("73000", "Chambéry"), ("18000", "Bourges"), ("20000", "Ajaccio"),
    ("01000", "Bourg-en-Bresse"), ("02100", "Saint-Quentin"), ("05000", "Gap"),
    ("12000", "Rodez"), ("22000", "Saint-Brieuc"), ("29000", "Quimper"),
    ("40000", "Mont-de-Marsan"), ("56000", "Vannes"), ("62000", "Arras"),
    ("71100", "Chalon-sur-Saône"), ("89000", "Auxerre"), ("24000", "Périgueux"),
    ("19100", "Brive-la-Gaillarde"), ("46000", "Cahors"), ("74400", "Chamonix-Mont-Blanc"),
    ("06400", "Cannes"), ("85000", "La Roche-sur-Yon"), ("28000", "Chartres"),
    ("41000", "Blois"), ("60200", "Compiègne"), ("78000", "Versailles"),
    ("91000", "Évry-Courcouronnes"), ("35400", "Saint-Malo"), ("50100", "Cherbourg-en-Cotentin"),
    ("03000", "Moulins"), ("81000", "Albi"), ("82000", "Montauban"), ("09000", "Foix"),
    ("88000", "Épinal"), ("39000", "Lons-le-Saunier"), ("27000", "Évreux"),
    ("61000", "Alençon"), ("53000", "Laval"), ("16000", "Angoulême"), ("79000", "Niort"),
    ("86000", "Poitiers"), ("23000", "Guéret"), ("15000", "Aurillac"),
    ("43000", "Le Puy-en-Velay"), ("07000", "Privas"), ("26000", "Valence"),
    ("04000", "Digne-les-Bains"), ("48000", "Mende"), ("11000", "Carcassonne"),
    ("65000", "Tarbes"), ("47000", "Agen"), ("58000", "Nevers"), ("10000", "Troyes"),
    ("08000", "Charleville-Mézières"), ("90000", "Belfort"), ("68000", "Colmar"),
    ("94000", "Créteil"), ("95000", "Cergy"), ("77000", "Melun"), ("34500", "Béziers"),
    ("30100", "Alès"), ("26200", "Montélimar"), ("44600", "Saint-Nazaire"),
    ("56100", "Lorient"), ("97400", "Saint-Denis"),
)
# A few neighbours: valid in their own country, "malformed" if read as French.
FOREIGN_POSTAL_CODES = (
    ("1000", "Bruxelles", "BE"), ("4000", "Liège", "BE"), ("1201", "Genève", "CH"),
    ("1003", "Lausanne", "CH"), ("1111", "Luxembourg", "LU"),
)
EMAIL_DOMAINS = (
    "gmail.com", "gmail.com", "gmail.com", "orange.fr", "orange.fr", "wanadoo.fr", "free.fr",
    "hotmail.fr", "hotmail.com", "yahoo.fr", "sfr.fr", "laposte.net", "outlook.fr",
    "icloud.com", "neuf.fr",
)
COMPANY_ACTIVITIES = (
    "Transports", "Boulangerie", "Garage", "Cabinet", "Atelier", "Menuiserie", "Plomberie",
    "Électricité", "Hôtel", "Restaurant", "Informatique", "Conseil", "Bâtiment", "Pharmacie",
    "Imprimerie", "Paysagiste", "Auto-École",
)
LEGAL_FORMS = ("SARL", "SAS", "SA", "EURL", "SASU", "")
B2B_ROLES = ("decision_maker", "buyer", "payer", "prescriber", "user", "requester")
PLANS = ("essentiel", "standard", "premium")
PLAN_PRICES = (9.99, 19.99, 34.99)
REACTIVATION_CONTENT = ("we_miss_you", "satisfaction_survey", "we_miss_you_again", "farewell")
RETENTION_CONTENT = ("we_miss_you_selection", "we_miss_you_credit")
PROMOTION_CONTENT = ("discount", "new_collection", "private_sale", "free_shipping", "seasonal")


def _sql_literal(value: object) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def _sql_list(values: tuple[object, ...]) -> str:
    return "[" + ", ".join(_sql_literal(v) for v in values) + "]"


# Constants and helpers as DuckDB macros, so the SQL below is static. Filled in with
# str.format (seed, as_of, sizes); no braces in here otherwise.
MACROS_SQL = """
CREATE MACRO n_people() AS CAST({individuals} AS BIGINT);
CREATE MACRO n_b2b() AS CAST({b2b_accounts} AS BIGINT);
CREATE MACRO horizon() AS {horizon};
-- Random draws are hashes of (seed, key..., salt): no random(), no thread effect. hash() of
-- several values only xors the salt in, so the result is hashed again: without that, draws
-- with different salts for one key would be correlated.
CREATE MACRO rhash(p_k, p_salt) AS hash(hash({seed}, p_k, p_salt));
CREATE MACRO rhash2(p_k1, p_k2, p_salt) AS hash(hash({seed}, p_k1, p_k2, p_salt));
-- Uniform in [0, 1) (53 bits).
CREATE MACRO rnd(p_k, p_salt) AS (rhash(p_k, p_salt) >> 11) * (1.0 / 9007199254740992);
CREATE MACRO rnd2(p_k1, p_k2, p_salt) AS
    (rhash2(p_k1, p_k2, p_salt) >> 11) * (1.0 / 9007199254740992);
CREATE MACRO pick(p_xs, p_u) AS p_xs[1 + CAST(floor(p_u * len(p_xs)) AS INTEGER)];
CREATE MACRO loguni(p_u, p_lo, p_hi) AS p_lo * pow(p_hi / p_lo, p_u);
-- Ages (days before the as-of date) to timestamps / dates, never later than one second / one
-- day before the as-of date: the as-of day itself has not happened yet. Null stays null
-- (greatest() alone would turn it into "yesterday").
CREATE MACRO ts_ago(p_days) AS CASE WHEN p_days IS NOT NULL THEN
    TIMESTAMP '{as_of} 00:00:00' - to_seconds(greatest(1, CAST(p_days * 86400 AS BIGINT))) END;
CREATE MACRO date_ago(p_days) AS CASE WHEN p_days IS NOT NULL THEN
    DATE '{as_of}' - greatest(1, CAST(ceil(p_days) AS INTEGER)) END;
CREATE MACRO fmt_id(p_prefix, p_n, p_width) AS
    p_prefix || lpad(CAST(p_n AS VARCHAR), p_width, '0');
CREATE MACRO money(p_x) AS CAST(round(p_x, 2) AS DECIMAL(12, 2));
-- Event series walking back from the most recent event (age p_last): the latest gap is p_gap
-- and gaps shrink by p_shrink per step into the past (shrink < 1: a cadence that decays over
-- time), never below a quarter of p_gap; the series stops at the first possible age p_first
-- or after p_kmax events. Closed forms: event j's age, and the number of events.
CREATE MACRO series_knee(p_shrink) AS
    CASE WHEN p_shrink >= 0.9999 THEN 1e9 ELSE floor(ln(0.25) / ln(p_shrink)) END;
CREATE MACRO series_geo(p_gap, p_shrink, p_j) AS
    CASE WHEN p_shrink >= 0.9999 THEN p_gap * p_j
         ELSE p_gap * (1 - pow(p_shrink, p_j)) / (1 - p_shrink) END;
CREATE MACRO series_age(p_last, p_gap, p_shrink, p_j) AS
    p_last + series_geo(p_gap, p_shrink, least(p_j, series_knee(p_shrink)))
    + greatest(0, p_j - series_knee(p_shrink)) * 0.25 * p_gap;
CREATE MACRO series_len(p_last, p_first, p_gap, p_shrink, p_kmax) AS CAST(CASE
    WHEN p_last IS NULL OR p_first < p_last THEN 0
    WHEN p_shrink >= 0.9999 THEN least(p_kmax, 1 + floor((p_first - p_last) / p_gap))
    WHEN p_first - p_last <= series_geo(p_gap, p_shrink, series_knee(p_shrink))
        THEN least(p_kmax,
                   1 + floor(ln(1 - (p_first - p_last) * (1 - p_shrink) / p_gap) / ln(p_shrink)))
    ELSE least(p_kmax, series_knee(p_shrink) + 1
                       + floor((p_first - p_last - series_geo(p_gap, p_shrink,
                                                              series_knee(p_shrink)))
                               / (0.25 * p_gap)))
    END AS BIGINT);
-- The j-th contact slot of B2B account k: stride 7 keeps a company's contacts distinct and
-- out of one household.
CREATE MACRO b2b_contact(p_k, p_slot) AS
    CAST((rhash(p_k, 'b2b_contact') % n_people() + p_slot * 7) % n_people() + 1 AS BIGINT);
-- Reactivation scenarios (waves 30 days apart): four recent ones launched 10, 34, 64 and 94
-- days ago, then one 130 days ago and one every 182 days back. The marketing tool stopped
-- sending waves a week ago (the project publishes them now), so at the as-of date wave 2 is
-- not due yet for the first cohort, and waves 2, 3 and 4 are due (since 4 days) for the
-- next three; the older cohorts got all four waves.
CREATE MACRO scenario_count() AS 14;  -- an older one would find nobody 9 months dormant
CREATE MACRO scenario_launch_age(p_s) AS
    CASE WHEN p_s < 4 THEN [10, 34, 64, 94][p_s + 1] ELSE 130 + 182 * (p_s - 4) END;
CREATE MACRO tool_stop_age() AS 7;
CREATE MACRO launched_waves(p_s) AS
    CAST(least(4, floor((scenario_launch_age(p_s) - tool_stop_age()) / 30) + 1) AS INTEGER);
-- Declining-activity journey of the marketing tool (two months old, still running): weekly
-- batches, step 1 three days before the as-of date and every 7 days back, step 2 five days
-- after each step 1 batch (so at the as-of date step 2 is due for those whose step 1 went out
-- 10 days ago, and not due yet for those of 3 days ago).
CREATE MACRO retention_batches() AS 8;
CREATE MACRO retention_day(p_step, p_k) AS CASE p_step WHEN 1 THEN 3 ELSE 5 END + 7 * p_k;
"""


def _macros(individuals: int, seed: int, as_of: datetime.date) -> str:
    """The macro script for one run, with the reference lists as list-valued macros."""
    lists = {
        "male_first_names": MALE_FIRST_NAMES,
        "female_first_names": FEMALE_FIRST_NAMES,
        "last_names": LAST_NAMES,
        "street_types": STREET_TYPES,
        "street_type_abbreviations": STREET_TYPE_ABBREVIATIONS,
        "street_names": STREET_NAMES,
        "fr_postal_codes": tuple(code for code, _ in POSTAL_CODES),
        "fr_cities": tuple(city for _, city in POSTAL_CODES),
        "foreign_postal_codes": tuple(code for code, _, _ in FOREIGN_POSTAL_CODES),
        "foreign_cities": tuple(city for _, city, _ in FOREIGN_POSTAL_CODES),
        "foreign_countries": tuple(country for _, _, country in FOREIGN_POSTAL_CODES),
        "email_domains": EMAIL_DOMAINS,
        "company_activities": COMPANY_ACTIVITIES,
        "legal_forms": LEGAL_FORMS,
        "b2b_roles": B2B_ROLES,
        "plans": PLANS,
        "plan_prices": PLAN_PRICES,
        "reactivation_content": REACTIVATION_CONTENT,
        "retention_content": RETENTION_CONTENT,
        "promotion_content": PROMOTION_CONTENT,
    }
    script = MACROS_SQL.format(
        individuals=int(individuals),
        b2b_accounts=max(3, round(individuals * 0.03)),
        horizon=HORIZON_DAYS,
        seed=int(seed),
        as_of=as_of.isoformat(),
    )
    return script + "".join(
        f"CREATE MACRO {name}() AS {_sql_list(values)};\n" for name, values in lists.items()
    )


def _with_address(source: str, key: str, salt: str) -> str:
    """SELECT * FROM `source` plus a free-form postal address drawn from the hash of `key`.

    Mimics what clerks type: complements in the wrong line, abbreviations, 'bis', lieu-dit,
    BP, mixed case, missing accents, a few malformed postal codes and foreign addresses.
    """
    def u(part: str) -> str:
        return f"rnd({key}, '{salt}:{part}')"

    return f"""
SELECT * EXCLUDE (street, flat, building, locality, layout, pc, pc_u, pc_mess, city_u,
                   country_u),
    CASE layout WHEN 0 THEN street WHEN 1 THEN street WHEN 2 THEN building WHEN 3 THEN street
        WHEN 4 THEN locality WHEN 5 THEN street || ' ' || flat WHEN 6 THEN flat ELSE street
    END AS address_line_1,
    CASE layout WHEN 1 THEN flat WHEN 2 THEN street WHEN 6 THEN building WHEN 7 THEN building
    END AS address_line_2,
    CASE layout WHEN 3 THEN locality WHEN 6 THEN street WHEN 7 THEN flat END AS address_line_3,
    CASE
        WHEN country_u < 0.010 THEN pick(foreign_postal_codes(), pc_u)
        WHEN pc_mess < 0.010 THEN left(pc, 4)                -- '7500'
        WHEN pc_mess < 0.018 THEN pc || '1'                  -- '750011'
        WHEN pc_mess < 0.028 THEN ltrim(pc, '0')             -- Excel ate the leading 0
        WHEN pc_mess < 0.035 THEN left(pc, 2) || ' ' || right(pc, 3)
        ELSE pc
    END AS postal_code,
    CASE
        WHEN country_u < 0.010 THEN pick(foreign_cities(), pc_u)
        WHEN city_u < 0.55 THEN pick(fr_cities(), pc_u)
        WHEN city_u < 0.80 THEN upper(pick(fr_cities(), pc_u))
        WHEN city_u < 0.88 THEN strip_accents(pick(fr_cities(), pc_u))
        WHEN city_u < 0.93 THEN lower(pick(fr_cities(), pc_u))
        WHEN city_u < 0.97 THEN upper(replace(strip_accents(pick(fr_cities(), pc_u)),
                                              'Saint-', 'St '))
        ELSE pick(fr_cities(), pc_u) || ' Cedex'
    END AS city,
    CASE WHEN country_u < 0.010 THEN pick(foreign_countries(), pc_u)
         WHEN country_u < 0.015 THEN NULL ELSE 'FR' END AS country_code
FROM (
    SELECT *,
        pick(fr_postal_codes(), pc_u) AS pc,
        -- 55 % street only, then complements in every order clerks put them
        CASE WHEN {u('layout')} < 0.55 THEN 0 ELSE 1 + CAST(floor(7 * {u('layout2')}) AS INT)
        END AS layout
    FROM (
        SELECT *,
            {u('pc')} AS pc_u, {u('pc_mess')} AS pc_mess, {u('city')} AS city_u,
            {u('country')} AS country_u,
            CASE WHEN {u('no_num')} < 0.05 THEN ''
                 ELSE CAST(1 + floor(200 * pow({u('num')}, 2)) AS INT)
                      || CASE WHEN {u('rep')} < 0.04 THEN ' bis'
                              WHEN {u('rep')} < 0.06 THEN ' ter'
                              WHEN {u('rep')} < 0.07 THEN ' B' ELSE '' END
                      || CASE WHEN {u('comma')} < 0.08 THEN ', ' ELSE ' ' END
            END
            || CASE WHEN {u('abbr')} < 0.10 THEN pick(street_type_abbreviations(), {u('type')})
                    ELSE pick(street_types(), {u('type')}) END
            || ' ' || pick(street_names(), {u('street')}) AS street,
            CASE CAST(floor(6 * {u('flat')}) AS INT)
                WHEN 0 THEN 'Apt ' || CAST(1 + floor(60 * {u('flat_n')}) AS INT) || ' '
                            || CAST(1 + floor(8 * {u('floor')}) AS INT) || 'e étage'
                WHEN 1 THEN 'Appartement ' || CAST(1 + floor(120 * {u('flat_n')}) AS INT)
                WHEN 2 THEN 'Porte ' || CAST(1 + floor(30 * {u('flat_n')}) AS INT)
                WHEN 3 THEN CAST(1 + floor(6 * {u('floor')}) AS INT) || 'ème étage gauche'
                WHEN 4 THEN 'Chez ' || pick(['M.', 'Mme', 'Famille'], {u('chez')}) || ' '
                            || pick(last_names(), {u('chez_name')})
                ELSE 'APT ' || CAST(1 + floor(40 * {u('flat_n')}) AS INT) || ' ETG '
                     || CAST(1 + floor(8 * {u('floor')}) AS INT)
            END AS flat,
            CASE CAST(floor(5 * {u('building')}) AS INT)
                WHEN 0 THEN 'Résidence Les Pins Bât ' || pick(['A', 'B', 'C', 'D'], {u('bat')})
                WHEN 1 THEN 'Bâtiment ' || pick(['A', 'B', 'C', 'E'], {u('bat')})
                            || ' Escalier ' || CAST(1 + floor(4 * {u('esc')}) AS INT)
                WHEN 2 THEN 'Résidence du Parc'
                WHEN 3 THEN 'Entrée ' || CAST(1 + floor(5 * {u('esc')}) AS INT)
                ELSE 'Résidence Le Clos des Vignes Bât ' || pick(['1', '2', '3'], {u('bat')})
            END AS building,
            CASE CAST(floor(5 * {u('locality')}) AS INT)
                WHEN 0 THEN 'Lieu-dit Les Granges'
                WHEN 1 THEN 'Lieu-dit La Croix Blanche'
                WHEN 2 THEN 'BP ' || CAST(1 + floor(900 * {u('bp')}) AS INT)
                WHEN 3 THEN 'Hameau de Valmont'
                ELSE 'lieu dit le Moulin Neuf'
            END AS locality
        FROM ({source})
    )
)"""


# --------------------------------------------------------------------------------------------
# Staging tables, built in this order (later ones read earlier ones).
# --------------------------------------------------------------------------------------------

# Dwellings of 1 to 5 people over consecutive individual numbers. Multi-person dwellings are
# households sharing last name and address; the source knows 9 in 10 of them (household_id),
# people living alone get no household id: about a quarter of individuals end up without one.
DWELLINGS_SQL = f"""
CREATE TABLE dwellings AS
WITH sized AS (
    SELECT d, CASE WHEN u < 0.40 THEN 1 WHEN u < 0.70 THEN 2 WHEN u < 0.85 THEN 3
                   WHEN u < 0.95 THEN 4 ELSE 5 END AS size
    FROM (SELECT d, rnd(d, 'dwelling_size') AS u FROM range(1, n_people() + 1) t(d))
), placed AS (
    SELECT d, size, CAST(sum(size) OVER (ORDER BY d) - size AS BIGINT) AS first_i FROM sized
)
SELECT *,
    CASE WHEN size > 1 AND rnd(d, 'household_known') < 0.9 THEN fmt_id('H', d, 7)
    END AS household_id,
    pick(last_names(), rnd(d, 'last_name')) AS family_name,
    pick(email_domains(), rnd(d, 'family_domain')) AS family_domain,
    -- a few households move (change-of-address feed), some of them twice
    CASE WHEN rnd(d, 'moves') < 0.030 THEN 1 WHEN rnd(d, 'moves') < 0.035 THEN 2 ELSE 0
    END AS n_moves
FROM ({_with_address("SELECT * FROM placed WHERE first_i < n_people()", "d", "home")})
"""

# One row per individual: persona, behaviour parameters (all ages in days before as-of) and
# contact data. Persona mix: prospect 20 %, steady 17 %, decaying 13 %, new customer 5 %,
# dormant 20 % (a quarter of them still browse/click: at risk), lost 8 %, open issue 5 %,
# subscriber 12 %.
PEOPLE_SQL = """
CREATE TABLE people AS
WITH members AS (
    SELECT * EXCLUDE (m), first_i + m + 1 AS i, m AS member
    FROM (SELECT *, unnest(range(size)) AS m FROM dwellings)
    WHERE first_i + m < n_people()
), persona AS (
    SELECT *,
        CASE WHEN u < 0.20 THEN 'prospect' WHEN u < 0.37 THEN 'steady'
             WHEN u < 0.50 THEN 'decaying' WHEN u < 0.55 THEN 'new_customer'
             WHEN u < 0.75 THEN 'dormant' WHEN u < 0.83 THEN 'lost'
             WHEN u < 0.88 THEN 'open_issue' ELSE 'subscriber' END AS persona
    FROM (SELECT *, rnd(i, 'persona') AS u FROM members)
), cadence AS (
    SELECT *,
        CASE persona  -- most recent gap between purchases, in days
            -- sqrt: more people buy every few months than every fortnight
            WHEN 'steady' THEN loguni(sqrt(rnd(i, 'gap')), 15, 200)
            WHEN 'decaying' THEN 120 + 150 * rnd(i, 'gap')
            WHEN 'new_customer' THEN 10 + 30 * rnd(i, 'gap')
            WHEN 'lost' THEN loguni(sqrt(rnd(i, 'gap')), 30, 200)
            WHEN 'subscriber' THEN 30.0
            ELSE loguni(sqrt(rnd(i, 'gap')), 20, 200)
        END AS gap,
        CASE persona  -- < 1: earlier gaps were shorter, i.e. the cadence decays over time
            WHEN 'decaying' THEN 0.80 + 0.10 * rnd(i, 'shrink')
            WHEN 'steady' THEN 0.97 + 0.03 * rnd(i, 'shrink')
            ELSE 0.92 + 0.08 * rnd(i, 'shrink')
        END AS shrink,
        CASE WHEN rnd(i, 'line') < 0.75 THEN 'retail' ELSE 'marketplace' END AS shop_line
    FROM persona
), recency AS (
    SELECT *,
        CASE persona  -- age of the last purchase
            WHEN 'steady' THEN gap * rnd(i, 'last')            -- within one usual gap
            WHEN 'decaying' THEN 20 + 200 * rnd(i, 'last')
            WHEN 'new_customer' THEN 10 * rnd(i, 'last')
            WHEN 'dormant' THEN 280 + 450 * pow(rnd(i, 'last'), 2)    -- 9 to 24 months ago
            WHEN 'lost' THEN 1100 + 1050 * rnd(i, 'last')        -- 3 to 6 years ago
            WHEN 'open_issue' THEN 260 + 640 * rnd(i, 'last')
            WHEN 'subscriber' THEN 60 + 2080 * rnd(i, 'last')    -- the sign-up order
        END AS last_age
    FROM cadence
), tenure AS (
    SELECT *,
        CASE persona  -- age of the first purchase
            WHEN 'subscriber' THEN last_age
            WHEN 'new_customer' THEN last_age + 20 + 150 * rnd(i, 'first')
            ELSE last_age + (0.05 + 0.95 * rnd(i, 'first')) * (horizon() - 10 - last_age)
        END AS first_age
    FROM recency
), lifespan AS (
    SELECT *,
        CASE WHEN persona = 'prospect' THEN 1 + (horizon() - 1) * rnd(i, 'created')
             ELSE least(horizon(), first_age + 20 * rnd(i, 'created')) END AS created_age,
        CASE WHEN persona = 'subscriber' THEN
            CASE WHEN rnd(i, 'usage_kind') < 0.35 THEN 7 * rnd(i, 'usage_end')          -- engaged
                 WHEN rnd(i, 'usage_kind') < 0.80                                         -- fading
                     THEN least(0.8 * first_age, 150 + 600 * rnd(i, 'usage_end'))
                 ELSE greatest(1, first_age - 5 - 55 * rnd(i, 'usage_end'))              -- ghost
            END
        END AS usage_end_age,
        pick(plans(), rnd(i, 'plan')) AS plan,
        -- consent mixes of dormant customers, so that their relaunch takes every channel:
        -- no_email (email refused, SMS consent likelier), no_consent (nothing consented; those
        -- who once took the emails left by an unsubscribe or a complaint)
        CASE WHEN persona = 'dormant' THEN
            CASE WHEN rnd(i, 'consent_mix') < 0.12 THEN 'no_email'
                 WHEN rnd(i, 'consent_mix') < 0.24 THEN 'no_consent' END
        END AS consent_mix
    FROM tenure
), engagement AS (
    SELECT *,
        -- age at which customer-initiated activity (visits, clicks, tickets) stops
        least(created_age, CASE persona
            WHEN 'steady' THEN 5 * rnd(i, 'eng_end')
            WHEN 'new_customer' THEN 3 * rnd(i, 'eng_end')
            WHEN 'decaying' THEN 10 + 50 * rnd(i, 'eng_end')
            WHEN 'dormant' THEN CASE WHEN rnd(i, 'window_shopper') < 0.25
                                     THEN 60 * rnd(i, 'eng_end')
                                     ELSE last_age - 30 * rnd(i, 'eng_end') END
            WHEN 'subscriber' THEN usage_end_age
            WHEN 'prospect' THEN CASE WHEN rnd(i, 'prospect_engaged') < 0.5
                                      THEN 30 * rnd(i, 'eng_end')
                                      ELSE created_age * rnd(i, 'eng_end') END
            ELSE last_age - 30 * rnd(i, 'eng_end')
        END) AS eng_end_age,
        -- sessions: decaying buyers space their visits out too
        loguni(rnd(i, 'session_gap'), 10, 150) AS session_gap,
        CASE WHEN persona = 'decaying' THEN 0.85 + 0.08 * rnd(i, 'session_shrink')
             ELSE 0.97 + 0.03 * rnd(i, 'session_shrink') END AS session_shrink,
        persona <> 'prospect' OR rnd(i, 'browses') < 0.6 AS browses,
        rnd(i, 'app_share') AS app_share,
        persona NOT IN ('prospect', 'subscriber') AND shop_line = 'retail'
            AND rnd(i, 'loyalty') < 0.5 AS loyalty_member,
        rnd(i, 'opt_in') < 0.75 AND consent_mix IS DISTINCT FROM 'no_email'
            AS email_opt_in_initially,
        CASE WHEN consent_mix = 'no_consent'
             THEN CASE WHEN rnd(i, 'email_end') < 0.7 THEN 'unsubscribe' ELSE 'complaint' END
             WHEN rnd(i, 'email_end') < 0.080 THEN 'unsubscribe'
             WHEN rnd(i, 'email_end') < 0.100 THEN 'bounce_hard'
             WHEN rnd(i, 'email_end') < 0.115 THEN 'complaint' END AS email_end_reason,
        -- each person gets every n-th newsletter / promotion (a sample of the real volume)
        4 + CAST(floor(6 * rnd(i, 'news_stride')) AS BIGINT) AS news_stride,
        3 + CAST(floor(4 * rnd(i, 'promo_stride')) AS BIGINT) AS promo_stride,
        CASE WHEN rnd(i, 'mpp') < 0.2 THEN 0.9  -- mail privacy proxy: every mail "opened"
             ELSE CASE persona WHEN 'steady' THEN 0.35 WHEN 'new_customer' THEN 0.40
                               WHEN 'decaying' THEN 0.25
                               -- most dormant stopped reading: email-inactive contacts
                               WHEN 'dormant' THEN CASE WHEN rnd(i, 'mail_sleeper') < 0.6
                                                        THEN 0.003 ELSE 0.12 END
                               WHEN 'lost' THEN 0.08 ELSE 0.20 END
        END AS p_open,
        CASE persona WHEN 'steady' THEN 0.20 WHEN 'new_customer' THEN 0.20
                     WHEN 'decaying' THEN 0.10 WHEN 'prospect' THEN 0.08
                     WHEN 'dormant' THEN 0.04 WHEN 'lost' THEN 0.02 ELSE 0.06
        END AS p_click
    FROM lifespan
), named AS (
    SELECT *,
        CASE WHEN rnd(i, 'civility') < 0.44 THEN 'M' WHEN rnd(i, 'civility') < 0.84 THEN 'MME'
             WHEN rnd(i, 'civility') < 0.90 THEN 'MLLE' WHEN rnd(i, 'civility') < 0.95 THEN ''
        END AS civility,
        CASE WHEN rnd(i, 'civility') < 0.44
                  OR (rnd(i, 'civility') >= 0.90 AND rnd(i, 'gender') < 0.5)
             THEN pick(male_first_names(), rnd(i, 'first_name'))
             ELSE pick(female_first_names(), rnd(i, 'first_name')) END AS given_name,
        CAST(1 + floor(8 * pow(rnd(i, 'phone_kind'), 3)) AS INT) AS phone_prefix,
        lpad(CAST(rhash(i, 'phone') % 100000000 AS VARCHAR), 8, '0') AS phone_digits
    FROM engagement
), contact AS (
    SELECT *,
        regexp_replace(lower(strip_accents(given_name)), '[^a-z]', '', 'g') AS mail_first,
        regexp_replace(lower(strip_accents(family_name)), '[^a-z]', '', 'g') AS mail_last,
        -- 1-5: landlines by region, 6-7: mobiles (most), 8: 09 box numbers
        '0' || CASE WHEN phone_prefix <= 2 THEN CAST(5 + phone_prefix AS VARCHAR)
                    WHEN phone_prefix = 8 THEN '9'
                    ELSE CAST(phone_prefix - 2 AS VARCHAR) END || phone_digits AS phone_national
    FROM named
), mailbox AS (
    SELECT *,
        CASE WHEN rnd(i, 'email_missing') < 0.07 THEN NULL
             WHEN size > 1 AND member > 0 AND rnd(i, 'family_email') < 0.12
                 THEN 'famille.' || mail_last || '@' || family_domain   -- shared mailbox
             ELSE CASE CAST(floor(5 * rnd(i, 'email_pattern')) AS INT)
                      WHEN 0 THEN mail_first || '.' || mail_last
                      WHEN 1 THEN left(mail_first, 1) || '.' || mail_last
                      WHEN 2 THEN mail_first || mail_last
                      WHEN 3 THEN mail_last || '.' || mail_first
                      ELSE mail_first || '_' || mail_last END
                  || CASE WHEN rnd(i, 'email_number') < 0.45 THEN CAST(i % 97 AS VARCHAR)
                          ELSE '' END
                  || '@' || pick(email_domains(), rnd(i, 'email_domain'))
        END AS clean_email,
        rnd(i, 'email_mess') AS email_mess
    FROM contact
)
SELECT *,
    clean_email IS NOT NULL AND email_mess >= 0.015 AS email_valid,
    CASE
        WHEN email_mess < 0.004 THEN replace(clean_email, '@', '')             -- no @
        WHEN email_mess < 0.008 THEN replace(clean_email, '@', '@@')
        WHEN email_mess < 0.011 THEN regexp_replace(clean_email, '\\.[a-z]+$', '')  -- no TLD
        WHEN email_mess < 0.015 THEN replace(clean_email, '.', ' ')             -- spaces inside
        WHEN email_mess < 0.050 THEN ' ' || clean_email || ' '
        WHEN email_mess < 0.130 THEN upper(left(clean_email, 1)) || substr(clean_email, 2)
        WHEN email_mess < 0.160 THEN upper(clean_email)
        ELSE clean_email
    END AS email,
    CASE WHEN rnd(i, 'phone_missing') < 0.10 THEN NULL
         ELSE CASE
             WHEN rnd(i, 'phone_fmt') < 0.35 THEN concat_ws(' ', phone_national[1:2],
                 phone_national[3:4], phone_national[5:6], phone_national[7:8],
                 phone_national[9:10])                                          -- 06 12 34 56 78
             WHEN rnd(i, 'phone_fmt') < 0.55 THEN phone_national                   -- 0612345678
             WHEN rnd(i, 'phone_fmt') < 0.68 THEN '+33' || phone_national[2:]      -- +33612345678
             WHEN rnd(i, 'phone_fmt') < 0.73 THEN '+33 ' || phone_national[2:2] || ' '
                 || concat_ws(' ', phone_national[3:4], phone_national[5:6],
                              phone_national[7:8], phone_national[9:10])
             WHEN rnd(i, 'phone_fmt') < 0.78 THEN '0033 ' || phone_national[2:2] || ' '
                 || concat_ws(' ', phone_national[3:4], phone_national[5:6],
                              phone_national[7:8], phone_national[9:10])
             WHEN rnd(i, 'phone_fmt') < 0.88 THEN concat_ws('.', phone_national[1:2],
                 phone_national[3:4], phone_national[5:6], phone_national[7:8],
                 phone_national[9:10])                                          -- 01.23.45.67.89
             WHEN rnd(i, 'phone_fmt') < 0.92 THEN concat_ws('-', phone_national[1:2],
                 phone_national[3:4], phone_national[5:6], phone_national[7:8],
                 phone_national[9:10])
             WHEN rnd(i, 'phone_fmt') < 0.95 THEN '+33 (0)' || phone_national[2:]
             WHEN rnd(i, 'phone_fmt') < 0.98 THEN concat_ws(' ', phone_national[1:2],
                 phone_national[3:4], phone_national[5:6], phone_national[7:8])  -- too short
             ELSE phone_national[3:7]                                            -- garbage
         END
    END AS phone,
    CASE WHEN rnd(i, 'first_case') < 0.80 THEN given_name
         WHEN rnd(i, 'first_case') < 0.90 THEN upper(given_name)
         WHEN rnd(i, 'first_case') < 0.95 THEN lower(given_name)
         WHEN rnd(i, 'first_case') < 0.98 THEN ' ' || given_name || ' '
         ELSE replace(given_name, '-', ' ') END AS first_name,
    CASE WHEN rnd(i, 'last_case') < 0.60 THEN family_name
         WHEN rnd(i, 'last_case') < 0.95 THEN upper(family_name)
         ELSE lower(family_name) END AS last_name,
    CASE WHEN rnd(i, 'birth') < 0.04 THEN NULL
         WHEN rnd(i, 'birth') < 0.045 THEN DATE '1900-01-01'                     -- placeholder
         ELSE date_ago(365.25 * (18 + 74 * pow(rnd(i, 'birth_age'), 1.3))) END AS birth_date,
    rnd(i, 'address_case') AS address_case
FROM mailbox
"""

# Deceased people are taken among dormant and lost customers, erasure requesters anywhere
# (open-issue customers three times as likely, so some requests meet a legal hold), plus a few
# recent requests from customers dormant now (8 to 12 months without activity: a relaunch
# must leave them out). Counts are quotas (at least one each), not coin flips, so even a tiny
# base has them.
PEOPLE_EVENTS_SQL = """
CREATE TABLE people_events AS
SELECT i,
    CASE WHEN deceased_rank <= ceil(n_people() * 0.005)
         THEN greatest(1, least(eng_end_age, last_age) * rnd(i, 'deceased_on'))
    END AS deceased_age,
    CASE WHEN dormant_erasure_rank <= ceil(n_people() * 0.0005)
         THEN 1 + 30 * rnd(i, 'erasure_at')
         WHEN erasure_rank <= ceil(n_people() * 0.002)
         THEN 1 + 400 * rnd(i, 'erasure_at') END AS erasure_age
FROM (
    SELECT i, last_age, eng_end_age,
        row_number() OVER (ORDER BY persona IN ('dormant', 'lost') DESC,
                                    rnd(i, 'deceased'), i) AS deceased_rank,
        row_number() OVER (ORDER BY rnd(i, 'erasure')
                                    * CASE WHEN persona = 'open_issue' THEN 0.3 ELSE 1 END,
                                    i) AS erasure_rank,
        row_number() OVER (ORDER BY persona = 'dormant' AND eng_end_age BETWEEN 250 AND 350
                                    DESC, rnd(i, 'dormant_erasure'), i) AS dormant_erasure_rank
    FROM people
)
WHERE deceased_rank <= ceil(n_people() * 0.005) OR erasure_rank <= ceil(n_people() * 0.002)
   OR dormant_erasure_rank <= ceil(n_people() * 0.0005)
"""

# Accounts: a B2C account per customer (and per prospect who signed up), a second B2C account
# on the other shop line for some, and B2B companies. Each carries the parameters of its
# order series and, for subscription accounts, of its subscription and usage.
ACCOUNTS_SQL = """
CREATE TABLE accounts AS
WITH b2c AS (
    SELECT 1 AS kind_rank, i AS owner, 0 AS slot, i AS main_i, 'b2c' AS account_type,
        CASE WHEN persona = 'subscriber' THEN 'subscription' ELSE shop_line END AS business_line,
        persona, created_age AS opened_age,
        CASE WHEN persona = 'lost' AND rnd(i, 'closed') < 0.5
             THEN last_age * rnd(i, 'closed_at') END AS closed_age,
        last_age, first_age, gap, shrink,
        CASE WHEN persona = 'subscriber' THEN 1 ELSE 100 END AS kmax,
        CASE WHEN persona = 'subscriber' THEN plan_prices()[list_position(plans(), plan)]
             ELSE loguni(rnd(i, 'basket'), 15, 250) END AS basket,
        plan, usage_end_age, 6 + 14 * rnd(i, 'usage_gap') AS usage_gap,
        CASE WHEN usage_end_age > 30 THEN 0.85 + 0.10 * rnd(i, 'usage_shrink')
             ELSE 0.98 + 0.02 * rnd(i, 'usage_shrink') END AS usage_shrink,
        CASE WHEN persona = 'subscriber' AND rnd(i, 'sub_ended') < 0.15
             THEN greatest(1, usage_end_age * rnd(i, 'sub_ended_at')) END AS sub_end_age
    FROM people
    WHERE persona <> 'prospect' OR rnd(i, 'signed_up') < 0.4
    UNION ALL
    SELECT 1, i, 1, i, 'b2c', CASE WHEN shop_line = 'retail' THEN 'marketplace' ELSE 'retail' END,
        persona, last_age + (0.2 + 0.7 * rnd(i, 'second_opened')) * (first_age - last_age),
        NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL
    FROM people
    WHERE persona NOT IN ('prospect', 'subscriber') AND rnd(i, 'second_account') < 0.10
), b2b_persona AS (
    SELECT k, u,
        CASE WHEN u < 0.45 THEN 'steady' WHEN u < 0.60 THEN 'decaying'
             WHEN u < 0.80 THEN 'dormant' WHEN u < 0.90 THEN 'lost' ELSE 'open_issue'
        END AS persona,
        CASE WHEN rnd(k, 'b2b_line') < 0.75 THEN 'b2b_services'
             WHEN rnd(k, 'b2b_line') < 0.88 THEN 'subscription'
             WHEN rnd(k, 'b2b_line') < 0.95 THEN 'marketplace' ELSE 'retail' END AS business_line
    FROM (SELECT k, rnd(k, 'b2b_persona') AS u FROM range(1, n_b2b() + 1) t(k))
), b2b_cadence AS (
    SELECT *,
        CASE persona WHEN 'decaying' THEN 150 + 150 * rnd(k, 'b2b_gap')
                     ELSE loguni(rnd(k, 'b2b_gap'), 20, 120) END AS gap,
        CASE persona
            WHEN 'steady' THEN 30 * rnd(k, 'b2b_last')
            WHEN 'decaying' THEN 20 + 200 * rnd(k, 'b2b_last')
            WHEN 'dormant' THEN 380 + 500 * rnd(k, 'b2b_last')   -- beyond the 12-month window
            WHEN 'lost' THEN 900 + 1200 * rnd(k, 'b2b_last')
            ELSE 400 + 500 * rnd(k, 'b2b_last')
        END AS last_age
    FROM b2b_persona
), b2b AS (
    SELECT 2 AS kind_rank, k AS owner, 0 AS slot, b2b_contact(k, 0) AS main_i, 'b2b', business_line,
        persona, least(horizon(), first_age + 30 * rnd(k, 'b2b_opened')) AS opened_age,
        CASE WHEN persona = 'lost' AND rnd(k, 'b2b_closed') < 0.4
             THEN last_age * rnd(k, 'b2b_closed_at') END AS closed_age,
        last_age, first_age, gap,
        CASE WHEN persona = 'decaying' THEN 0.80 + 0.10 * rnd(k, 'b2b_shrink')
             ELSE 0.95 + 0.05 * rnd(k, 'b2b_shrink') END AS shrink,
        100 AS kmax, loguni(rnd(k, 'b2b_basket'), 300, 15000) AS basket,
        CASE WHEN business_line = 'subscription' THEN 'pro' END AS plan,
        CASE WHEN business_line = 'subscription'
             THEN CASE persona WHEN 'steady' THEN 5 * rnd(k, 'b2b_usage_end')
                               WHEN 'decaying' THEN 100 * rnd(k, 'b2b_usage_end')
                               ELSE last_age END END AS usage_end_age,
        2 + 5 * rnd(k, 'b2b_usage_gap') AS usage_gap,
        0.95 + 0.05 * rnd(k, 'b2b_usage_shrink') AS usage_shrink,
        CASE WHEN business_line = 'subscription' AND persona = 'lost'
             THEN greatest(1, last_age - 30) END AS sub_end_age
    FROM (SELECT *, last_age + (0.1 + 0.9 * rnd(k, 'b2b_first')) * (horizon() - 40 - last_age)
                    AS first_age
          FROM b2b_cadence)
), numbered AS (
    SELECT row_number() OVER (ORDER BY kind_rank, owner, slot) AS acct_idx, *
    FROM (SELECT * FROM b2c UNION ALL SELECT * FROM b2b)
)
SELECT *, fmt_id('A', acct_idx, 7) AS account_id,
    CASE WHEN kind_rank = 2 THEN 2 + CAST(floor(5 * rnd(owner, 'n_contacts')) AS INT)
    END AS n_contacts,
    CASE WHEN business_line = 'subscription' THEN
        CASE WHEN kind_rank = 2 THEN 199.0 ELSE basket END END AS plan_price,
    CASE WHEN business_line = 'subscription'
         THEN sub_end_age IS NULL AND rnd(acct_idx, 'auto_renew') < 0.9 ELSE false
    END AS auto_renew
FROM numbered
"""

# Roles: a B2C owner is buyer and payer (and usually user); some household members use the
# first member's account; B2B contacts hold one role each, some ended and handed over.
CONTACTS_SQL = """
CREATE TABLE contacts AS
WITH b2c AS (
    SELECT acct_idx, main_i AS i,
        unnest(CASE WHEN slot = 0 AND rnd(acct_idx, 'user_role') < 0.85
                    THEN ['buyer', 'payer', 'user'] ELSE ['buyer', 'payer'] END) AS role,
        opened_age AS from_age, closed_age AS to_age
    FROM accounts WHERE kind_rank = 1
), household_users AS (
    SELECT a.acct_idx, p.i, 'user' AS role,
        coalesce(a.closed_age, 0) + (least(a.opened_age, p.created_age)
            - coalesce(a.closed_age, 0)) * rnd(p.i, 'household_user_from') AS from_age,
        a.closed_age AS to_age
    FROM people p
    JOIN accounts a ON a.kind_rank = 1 AND a.slot = 0 AND a.owner = p.first_i + 1
    WHERE p.member > 0 AND rnd(p.i, 'household_user') < 0.15
      AND coalesce(a.closed_age, 0) < least(a.opened_age, p.created_age)  -- still open then
), b2b_slots AS (
    SELECT a.acct_idx, a.owner AS k, a.opened_age, j,
        j > 0 AND rnd2(a.acct_idx, j, 'role_ended') < 0.2 AS ended
    FROM (SELECT *, unnest(range(n_contacts)) AS j FROM accounts WHERE kind_rank = 2) a
), b2b AS (
    SELECT s.acct_idx, s.j, g.gen, b2b_contact(s.k, s.j + 6 * g.gen) AS i,
        b2b_roles()[s.j + 1] AS role, s.ended, s.opened_age,
        rnd2(s.acct_idx, s.j, 'role_end') AS end_u
    FROM b2b_slots s
    JOIN (VALUES (0), (1)) g(gen) ON g.gen = 0 OR s.ended
), b2b_dated AS (
    -- a role starts once both the account and the person exist, and before the person died
    SELECT b.*, e.deceased_age,
        least(p.created_age, greatest(
            least(b.opened_age - 30 * rnd2(b.acct_idx, b.j, 'role_from'), p.created_age),
            coalesce(e.deceased_age, 0) + 1)) AS person_from
    FROM b2b b JOIN people p USING (i) LEFT JOIN people_events e USING (i)
), b2b_handover AS (
    SELECT *, max(CASE WHEN gen = 0 THEN person_from * end_u END)
                  OVER (PARTITION BY acct_idx, j) AS handover_age
    FROM b2b_dated
)
SELECT u.*, e.deceased_age FROM (
    SELECT acct_idx, i, role, from_age, to_age FROM b2c
    UNION ALL SELECT acct_idx, i, role, from_age, to_age FROM household_users
    UNION ALL
    SELECT acct_idx, i, role,
        -- a successor starts when the predecessor leaves (or later, if created later)
        CASE WHEN gen = 0 THEN person_from
             ELSE least(person_from, greatest(handover_age, coalesce(deceased_age, 0) + 1))
        END AS from_age,
        CASE WHEN gen = 0 AND ended THEN handover_age END AS to_age
    FROM b2b_handover
) u
LEFT JOIN people_events e USING (i)
QUALIFY row_number() OVER (PARTITION BY acct_idx, i, role ORDER BY from_age DESC) = 1;

-- Who held a role on an account at a given age (null if nobody): B2B activity names the
-- contact in role at the time, if still alive (roles outlive their holders in the source).
CREATE MACRO role_holder(p_acct, p_role, p_age) AS (
    SELECT min(c.i) FROM contacts c
    WHERE c.acct_idx = p_acct AND c.role = p_role
      AND p_age <= c.from_age AND p_age > coalesce(c.to_age, -1)
      AND (c.deceased_age IS NULL OR p_age > c.deceased_age + 2));
"""

CAMPAIGNS_SQL = """
CREATE TABLE campaigns AS
WITH raw AS (
    -- weekly newsletter
    SELECT 'newsletter' AS campaign_type, w AS seq, CAST(NULL AS INTEGER) AS wave,
        3 + 7 * w AS launch_day, 'email' AS channel, 'newsletter' AS content_type
    FROM range(0, CAST(floor((horizon() - 3) / 7) AS BIGINT) + 1) t(w)
    UNION ALL
    -- fortnightly promotions, some by SMS or post
    SELECT 'promotion', v, NULL, 10 + 14 * v,
        CASE WHEN v % 5 = 4 THEN 'sms' WHEN v % 13 = 6 THEN 'postal' ELSE 'email' END,
        promotion_content()[v % 5 + 1]
    FROM range(0, CAST(floor((horizon() - 10) / 14) AS BIGINT) + 1) t(v)
    UNION ALL
    -- reactivation scenarios, four waves 30 days apart; waves the tool did not send (after it
    -- stopped) do not exist
    SELECT 'reactivation', s, CAST(wave AS INTEGER), scenario_launch_age(s) - 30 * (wave - 1),
        'email', reactivation_content()[wave]
    FROM range(0, scenario_count()) t(s), range(1, 5) w(wave)
    WHERE wave <= launched_waves(s)
    UNION ALL
    -- declining-activity journey: a weekly batch per step over the last two months
    SELECT 'retention', k, CAST(step AS INTEGER), retention_day(step, k), 'email',
        retention_content()[step]
    FROM range(0, retention_batches()) t(k), range(1, 3) w(step)
)
SELECT row_number() OVER (ORDER BY launch_day DESC, campaign_type, seq, wave) AS c_idx, *,
    launch_day - 0.375 AS launch_age,  -- 09:00
    CAST(CASE channel WHEN 'email' THEN 0.004 WHEN 'sms' THEN 0.045 ELSE 0.85 END AS DOUBLE)
        AS cost_per_contact
FROM raw
"""

# Email recipients: people who opted in at creation and have an address. Their mailing stops
# at an unsubscribe, a complaint or a hard bounce (invalid addresses bounce at once), on the
# last newsletter they get (_broadcast_sends' t = 0 in closed form): left_age, after which
# nothing is sent to them.
RECIPIENTS_SQL = """
CREATE TABLE recipients AS
SELECT *,
    CASE WHEN end_reason IS NOT NULL THEN
        3 + 7 * (greatest(0, CAST(ceil((end_age - 3 + 0.5) / 7) AS BIGINT))
                 + CAST(floor(news_stride * rnd(i, 'newsletter_phase')) AS BIGINT)) - 0.375
    ELSE 0 END AS left_age
FROM (
    SELECT p.i, p.persona, p.last_age, p.eng_end_age, p.p_open, p.p_click, p.news_stride,
        p.promo_stride, created_age AS start_age,
        CASE WHEN NOT email_valid THEN 'bounce_hard' ELSE email_end_reason END AS end_reason,
        CASE WHEN NOT email_valid THEN greatest(0, created_age - 7 * news_stride - 1)
             WHEN email_end_reason IS NOT NULL THEN created_age * rnd(p.i, 'email_end_at')
             ELSE 0 END AS end_age,
        e.deceased_age,
        rnd(p.i, 'send_offset') * 0.25 AS send_offset
    FROM people p LEFT JOIN people_events e USING (i)
    WHERE email_opt_in_initially AND clean_email IS NOT NULL
)
"""

# Reactivation: a customer enters the first scenario launched 9 to 24 months after their last
# purchase (3 in 4 of them are picked). A response (a click) ends the scenario; some responders
# buy again. Most dormant people receive every wave and never answer. Some addresses stop on a
# wave (hard bounce or complaint, or an unsubscribe), by quota of the wave's receivers in each
# scenario: bounces and complaints stay under 1.5 % on waves 1, 2 and 4 and reach at least 4 %
# on wave 3, so the deliverability ramp has something to widen on and something to stop at.
REACTIVATION_SQL = """
CREATE TABLE reactivation AS
WITH entered AS (
    SELECT r.*, s.s, scenario_launch_age(s.s) AS scenario_age, launched_waves(s.s) AS launched_waves
    FROM recipients r
    JOIN range(0, scenario_count()) s(s)
      ON scenario_launch_age(s.s) BETWEEN r.last_age - 730 AND r.last_age - 270
    WHERE rnd(r.i, 'reactivation_pick') < 0.75
      AND r.left_age <= greatest(scenario_launch_age(s.s) - 90, 0)
    QUALIFY row_number() OVER (PARTITION BY r.i ORDER BY s.s DESC) = 1
), answered AS (
    SELECT *,
        -- first answering wave, geometric with a per-wave answer rate (never for the dead)
        CASE WHEN deceased_age IS NOT NULL THEN 99
             ELSE 1 + CAST(floor(ln(1 - rnd(i, 'reactivation_answer'))
                  / ln(1 - CASE persona WHEN 'dormant' THEN 0.08 WHEN 'lost' THEN 0.03
                                        ELSE 0.05 END)) AS INT)
        END AS answer_wave
    FROM entered
), quotas AS (
    -- per scenario: the people who never answer in a random order (stop_rank), and how many
    -- of them stop, per slot: (bounce or complaint, unsubscribe) on wave 1, on wave 2 ... as
    -- shares of the wave's receivers (before any stop); wave 3 gets at least one bounce
    SELECT *,
        row_number() OVER (PARTITION BY s ORDER BY answer_wave <= launched_waves,
                                                   rnd(i, 'reactivation_stop'), i) AS stop_rank,
        [floor(0.015 * receivers[1]), floor(0.02 * receivers[1]),
         floor(0.015 * receivers[2]), floor(0.02 * receivers[2]),
         ceil(0.04 * receivers[3]), floor(0.02 * receivers[3]),
         floor(0.015 * receivers[4]), floor(0.03 * receivers[4])] AS quota
    FROM (SELECT *, [count(*) FILTER (WHERE least(answer_wave, launched_waves) >= 1) OVER s,
                     count(*) FILTER (WHERE least(answer_wave, launched_waves) >= 2) OVER s,
                     count(*) FILTER (WHERE least(answer_wave, launched_waves) >= 3) OVER s,
                     count(*) FILTER (WHERE least(answer_wave, launched_waves) >= 4) OVER s]
                    AS receivers
          FROM answered WINDOW s AS (PARTITION BY s))
), stopped AS (
    -- the slot whose running total first reaches the person's rank (none: no stop)
    SELECT * EXCLUDE (quota, receivers),
        CASE WHEN answer_wave > launched_waves
             THEN list_position(list_transform(range(1, 9), lambda q: stop_rank
                                               <= list_sum(quota[1:q])), true) END AS stop_slot
    FROM quotas
), stop_wave AS (
    SELECT * EXCLUDE (stop_slot), 1 + (stop_slot - 1) // 2 AS stop_wave,
        CASE WHEN stop_slot IS NULL THEN NULL
             WHEN stop_slot % 2 = 0 THEN 'unsubscribe'
             WHEN rnd(i, 'reactivation_stop_kind') < 0.6 THEN 'bounce_hard'
             ELSE 'complaint' END AS stop_reason
    FROM stopped
)
SELECT *,
    scenario_age - 30 * (stop_wave - 1) - 0.375 AS stop_age,  -- the wave's launch
    least(answer_wave, launched_waves, coalesce(stop_wave, 99)) AS waves_received,
    answer_wave <= launched_waves AS answered,
    answer_wave <= launched_waves AND rnd(i, 'reactivation_buys') < 0.4 AS buys_again,
    scenario_age - 30 * (answer_wave - 1) - 1 - 10 * rnd(i, 'reactivation_buy_at') AS buy_age
FROM stop_wave
"""

# Declining activity: the tool's weekly journey sends step 1 at the first batch 14 days or
# more after a person's last visit (web/app session) or purchase, and step 2 at the first
# batch 21 days or more after it and 7 days or more after step 1, unless step 1 was answered.
# Only people whose visits stop (dormant and decaying customers), 85 % of them, since the
# journey started two months ago. An answer is a click that lands on the site (a session), and
# one in three answers buys.
RETENTION_SQL = """
CREATE TABLE retention AS
WITH quiet AS (
    -- the last session (SESSIONS_SQL's first one) or the last order, whichever is later
    SELECT i, deceased_age,
        least(last_age, start_age, eng_end_age + rnd2(i, 0, 'session_time')) AS quiet_age
    FROM recipients
    WHERE persona IN ('dormant', 'decaying') AND rnd(i, 'retention_pick') < 0.85
), step_1 AS (
    SELECT *, CAST(floor((quiet_age - 14 - retention_day(1, 0)) / 7) AS BIGINT) AS seq_1
    FROM quiet
), step_2 AS (
    SELECT i, seq_1,
        -- the dead answer nothing; step 2 is not sent to those who answered step 1
        CASE WHEN deceased_age IS NULL AND rnd(i, 'retention_answer_1') < 0.12 THEN 1 END
            AS answer_1,
        CAST(floor((least(quiet_age - 21, retention_day(1, seq_1) - 7) - retention_day(2, 0))
                   / 7) AS BIGINT) AS seq_2,
        deceased_age IS NULL AND rnd(i, 'retention_answer_2') < 0.10 AS answers_2
    FROM step_1
    WHERE seq_1 BETWEEN 0 AND retention_batches() - 1
), answered AS (
    SELECT i, seq_1,
        CASE WHEN answer_1 IS NULL AND seq_2 >= 0 THEN seq_2 END AS sent_seq_2,
        coalesce(answer_1, CASE WHEN seq_2 >= 0 AND answers_2 THEN 2 END) AS answer_step
    FROM step_2
)
SELECT i, seq_1, sent_seq_2 AS seq_2, answer_step,
    -- the visit, within two and a half days of the answered mail
    CASE answer_step WHEN 1 THEN retention_day(1, seq_1) WHEN 2 THEN retention_day(2, sent_seq_2)
    END - 0.875 - 2 * rnd(i, 'retention_visit_at') AS answer_age,
    rnd(i, 'retention_buys') < 0.35 AS buys
FROM answered
"""


# Orders: the series of each account, plus the orders of reactivated customers. B2C orders are
# the owner's (a few on their second account); B2B orders name the buyer in role at the time,
# or nobody (EDI / account-level orders). Numbered chronologically.
ORDERS_SQL = """
CREATE TABLE orders AS
WITH series AS (
    SELECT *, unnest(range(series_len(last_age, first_age, gap, shrink, kmax))) AS j
    FROM accounts WHERE last_age IS NOT NULL
), dated AS (
    SELECT acct_idx, kind_rank, owner, persona, business_line, j, basket,
        least(first_age, series_age(last_age, gap, shrink, j)
            + CASE WHEN j > 0 THEN (rnd2(acct_idx, j, 'jitter') - 0.5) * 0.5 * gap
                                   * pow(shrink, j) ELSE 0 END) AS age,
        -- decaying buyers: the last three baskets fall by half
        basket * (0.7 + 0.6 * rnd2(acct_idx, j, 'amount'))
            * CASE WHEN persona = 'decaying' AND j < 3 THEN 0.35 + 0.2 * rnd2(acct_idx, j, 'fall')
                   ELSE 1 END AS amount
    FROM series
), b2c_orders AS (
    SELECT coalesce(CASE WHEN d.age <= s.opened_age AND rnd2(d.acct_idx, d.j, 'on_second') < 0.35
                         THEN s.acct_idx END, d.acct_idx) AS acct_idx,
        d.owner AS i, d.j, d.age, d.amount, 'b2c' AS account_type
    FROM dated d
    LEFT JOIN accounts s ON s.kind_rank = 1 AND s.slot = 1 AND s.owner = d.owner
    WHERE d.kind_rank = 1
), b2b_orders AS (
    SELECT acct_idx,
        CASE WHEN rnd2(acct_idx, j, 'edi') >= 0.25 THEN role_holder(acct_idx, 'buyer', age)
        END AS i,
        j, age, amount, 'b2b' AS account_type
    FROM dated WHERE kind_rank = 2
), comeback_orders AS (
    SELECT a.acct_idx, r.i, 1000 + r.s AS j, r.buy_age AS age,
        a.basket * (0.6 + 0.8 * rnd(r.i, 'comeback_amount')) AS amount, 'b2c' AS account_type
    FROM reactivation r
    JOIN accounts a ON a.kind_rank = 1 AND a.slot = 0 AND a.owner = r.i
    WHERE r.buys_again AND r.buy_age > 0 AND a.last_age IS NOT NULL
    UNION ALL
    SELECT a.acct_idx, t.i, 1100 + t.answer_step, t.answer_age - 0.01,
        a.basket * (0.6 + 0.8 * rnd(t.i, 'retention_amount')), 'b2c'
    FROM retention t
    JOIN accounts a ON a.kind_rank = 1 AND a.slot = 0 AND a.owner = t.i
    WHERE t.buys AND t.answer_age > 0.02 AND a.last_age IS NOT NULL
), all_orders AS (
    SELECT * FROM b2c_orders UNION ALL SELECT * FROM b2b_orders
    UNION ALL SELECT * FROM comeback_orders
)
SELECT row_number() OVER (ORDER BY age DESC, acct_idx, j) AS order_no, *,
    CASE WHEN rnd2(acct_idx, j, 'cancelled') < 0.04 THEN 'cancelled'
         WHEN age < delivery_lag THEN 'placed'
         ELSE 'delivered' END AS status
FROM (
    SELECT *,
        1 + 10 * rnd2(acct_idx, j, 'delivery') AS delivery_lag,
        CASE WHEN account_type = 'b2c'
             THEN pick(['web', 'web', 'web', 'app', 'app', 'store', 'store', 'phone'],
                       rnd2(acct_idx, j, 'channel'))
             ELSE pick(['sales_rep', 'sales_rep', 'web', 'edi', 'phone'],
                       rnd2(acct_idx, j, 'channel')) END AS channel
    FROM all_orders
)
"""

# Invoices: B2C orders are invoiced at shipping and paid by card at once; B2B orders at month
# end (up to 40 days later) with 30-60 day terms; subscriptions monthly by direct debit. Not
# yet issued means no row. Some are never paid: open, or written off when old.
INVOICES_SQL = """
CREATE TABLE invoices AS
WITH from_orders AS (
    SELECT o.acct_idx, o.order_no, o.j AS seq, o.order_no AS inv_key,
        o.age - CASE WHEN o.account_type = 'b2c' THEN o.delivery_lag
                     ELSE 40 * rnd(o.order_no, 'invoice_lag') END AS issue_age,
        o.amount, CASE WHEN o.account_type = 'b2c' THEN 'card' ELSE 'terms' END AS billing,
        a.persona
    FROM orders o JOIN accounts a USING (acct_idx)
    WHERE o.status <> 'cancelled'
), from_subscriptions AS (
    SELECT acct_idx, CAST(NULL AS BIGINT) AS order_no, m AS seq, -(acct_idx * 1000 + m),
        first_age - 30.4375 * m AS issue_age, plan_price AS amount, 'direct_debit' AS billing,
        persona, sub_end_age
    FROM (SELECT *, unnest(range(1, CAST(floor(first_age / 30.4375) AS BIGINT) + 1)) AS m
          FROM accounts WHERE business_line = 'subscription' AND first_age IS NOT NULL)
), issued AS (
    SELECT * FROM (SELECT *, NULL AS sub_end_age FROM from_orders
                   UNION ALL SELECT * FROM from_subscriptions)
    WHERE issue_age > 0 AND issue_age > coalesce(sub_end_age, 0)
), behaviour AS (
    SELECT *,
        rnd(inv_key, 'unpaid') < CASE
            WHEN billing = 'terms' AND persona = 'open_issue' AND issue_age < 400 THEN 0.6
            WHEN billing = 'terms' THEN 0.04
            WHEN billing = 'card' THEN 0.01 ELSE 0.003 END AS never_paid,
        billing = 'direct_debit' AND rnd(inv_key, 'debit_failed') < 0.03
            AS debit_failed,
        CASE billing WHEN 'terms' THEN pick([30, 45, 60], rnd(acct_idx, 'terms'))
                     WHEN 'card' THEN 0 ELSE 5 END AS due_days
    FROM issued
), settled AS (
    SELECT *,
        issue_age - CASE
            WHEN billing = 'card' THEN 0.001
            WHEN debit_failed THEN 10 + 15 * rnd(inv_key, 'late')  -- paid by hand
            WHEN billing = 'direct_debit' THEN 2
            ELSE greatest(1, due_days - 15 + 60 * rnd(inv_key, 'late'))
        END AS pay_age
    FROM behaviour
)
SELECT row_number() OVER (ORDER BY issue_age DESC, acct_idx, coalesce(order_no, 0), seq)
        AS invoice_no, acct_idx, order_no, issue_age, amount, billing, debit_failed,
    -- due dates are capped at the as-of date: nothing in the landing data is in the future
    greatest(issue_age - due_days, 0) AS due_age,
    -- most old unpaid invoices get written off; a few stay open, forgotten
    CASE WHEN never_paid AND issue_age > CASE WHEN billing = 'terms' THEN 365 ELSE 120 END
              AND rnd(inv_key, 'write_off') < 0.9 THEN 'written_off'
         WHEN never_paid OR pay_age <= 0 THEN 'open' ELSE 'paid' END AS status,
    CASE WHEN NOT never_paid AND pay_age > 0 THEN pay_age END AS pay_age,
    CASE WHEN billing = 'direct_debit' AND NOT debit_failed THEN 'direct_debit'
         WHEN billing = 'terms' THEN pick(['transfer', 'transfer', 'transfer', 'cheque', 'card'],
                                          rnd(acct_idx, 'b2b_method'))
         ELSE pick(['card', 'card', 'card', 'card', 'paypal', 'cheque'],
                   rnd(inv_key, 'method')) END AS method
FROM settled
"""

STAGING_STEPS: tuple[tuple[str, str], ...] = (
    ("dwellings", DWELLINGS_SQL),
    ("people", PEOPLE_SQL),
    ("people_events", PEOPLE_EVENTS_SQL),
    ("accounts", ACCOUNTS_SQL),
    ("contacts", CONTACTS_SQL),
    ("campaigns", CAMPAIGNS_SQL),
    ("recipients", RECIPIENTS_SQL),
    ("reactivation", REACTIVATION_SQL),
    ("retention", RETENTION_SQL),
    ("orders", ORDERS_SQL),
    ("invoices", INVOICES_SQL),
)


def _broadcast_sends(campaign_type: str, first_day: int, period: int, stride: str) -> str:
    """Sends of a periodic campaign: each recipient gets every `stride`-th issue in their
    mailing window, ending on the last one before the window closes (t = 0)."""
    return f"""
    SELECT i, '{campaign_type}' AS campaign_type, lo + t * {stride} AS seq, t = 0 AS is_last,
        NULL::INTEGER AS wave, false AS answers
    FROM (
        SELECT i, {stride}, lo,
            unnest(range(greatest(0, CAST(floor((hi - lo) / {stride}) AS BIGINT) + 1))) AS t
        FROM (SELECT i, {stride},
                  greatest(0, CAST(ceil((end_age - {first_day} + 0.5) / {period}) AS BIGINT))
                  + CAST(floor({stride} * rnd(i, '{campaign_type}_phase')) AS BIGINT) AS lo,
                  CAST(floor((start_age - {first_day}) / {period}) AS BIGINT) AS hi
              FROM recipients)
    )"""


# One email per (recipient, campaign); each becomes up to five events: sent; delivered or a
# bounce; an open (inflated for mail-privacy-proxy users); a click (only while the person is
# still engaged, or as the answer to a reactivation wave); an unsubscribe or complaint on the
# last mail before the address leaves the list. The event key packs (individual, campaign,
# slot) into one integer, so the big sort is on numbers only.
EMAIL_EVENT_TYPES = (
    "sent", "delivered", "bounce_soft", "bounce_hard", "open", "click", "unsubscribe",
    "complaint",
)
EMAIL_EVENTS_SQL = f"""
WITH sends AS (
    {_broadcast_sends("newsletter", 3, 7, "news_stride")}
    UNION ALL
    {_broadcast_sends("promotion", 10, 14, "promo_stride")}
    UNION ALL
    SELECT i, 'reactivation', s, false, CAST(wave AS INTEGER), wave = answer_wave
    FROM (SELECT *, unnest(range(1, waves_received + 1)) AS wave FROM reactivation)
    UNION ALL
    SELECT i, 'retention', seq_1, false, 1, answer_step = 1 FROM retention
    UNION ALL
    SELECT i, 'retention', seq_2, false, 2, answer_step = 2 FROM retention WHERE seq_2 IS NOT NULL
), mails AS (
    SELECT s.i, s.answers, c.c_idx, c.launch_age - r.send_offset AS sent_age,
        CASE WHEN s.is_last AND s.campaign_type = 'newsletter' THEN r.end_reason
             WHEN s.campaign_type = 'reactivation' AND s.wave = x.stop_wave THEN x.stop_reason
        END AS ending,
        r.p_open, r.p_click, r.eng_end_age, r.deceased_age, c.launch_age
    FROM sends s
    JOIN campaigns c ON c.campaign_type = s.campaign_type AND c.seq = s.seq
        AND c.wave IS NOT DISTINCT FROM s.wave AND c.channel = 'email'
    JOIN recipients r ON r.i = s.i
    LEFT JOIN (SELECT i, stop_wave, stop_reason, stop_age FROM reactivation
               WHERE stop_reason IS NOT NULL) x ON x.i = s.i
    -- nothing after the address left the list (a reactivation wave may end it too)
    WHERE c.launch_age >= r.left_age AND (x.stop_reason IS NULL OR c.launch_age >= x.stop_age)
), outcomes AS (
    SELECT *,
        coalesce(ending = 'bounce_hard', false) AS hard,
        ending IS NULL AND rnd2(i, c_idx, 'soft_bounce') < 0.02 AS soft,
        sent_age - 0.003 - 3 * pow(rnd2(i, c_idx, 'open_delay'), 3) AS open_age
    FROM mails
), opened AS (
    SELECT *,
        NOT hard AND NOT soft AND (deceased_age IS NULL OR open_age > deceased_age + 2)
            AND (answers OR coalesce(ending = 'unsubscribe', false)
                 OR rnd2(i, c_idx, 'open') < p_open) AS is_open
    FROM outcomes
), events AS (
    SELECT *,
        CASE slot WHEN 0 THEN 0 WHEN 1 THEN CASE WHEN hard THEN 3 WHEN soft THEN 2 ELSE 1 END
                  WHEN 2 THEN 4 WHEN 3 THEN 5
                  ELSE CASE ending WHEN 'unsubscribe' THEN 6 ELSE 7 END
        END AS event_code,  -- position in EMAIL_EVENT_TYPES
        CASE slot WHEN 0 THEN sent_age WHEN 1 THEN sent_age - 0.0007 WHEN 2 THEN open_age
                  WHEN 3 THEN open_age - 0.0003 - 0.01 * rnd2(i, c_idx, 'click_delay')
                  ELSE CASE WHEN is_open THEN open_age - 0.0005 ELSE sent_age - 0.2 END
        END AS age
    FROM (SELECT *, unnest(range(5)) AS slot FROM opened)
    WHERE slot <= 1
       OR (slot = 2 AND is_open)
       OR (slot = 3 AND is_open AND (answers OR (launch_age >= eng_end_age
                                                 AND rnd2(i, c_idx, 'click') < p_click)))
       OR (slot = 4 AND NOT hard AND NOT soft AND ending IN ('unsubscribe', 'complaint'))
)
SELECT (i * {MAX_CAMPAIGNS} + c_idx) * 8 + slot AS event_key, i, c_idx, event_code, age
FROM events
WHERE age > 1.0 / 86400  -- an open after the as-of date has not happened yet
"""

# Web/app sessions: a series per browsing person from creation until their engagement stops,
# plus the visit of those who answered the declining-activity journey.
SESSIONS_SQL = """
SELECT i, j, i * 1000 + j AS session_key, app_share, loyalty_member,
    least(created_age, series_age(eng_end_age, session_gap, session_shrink, j)
        + CASE WHEN j > 0 THEN (rnd2(i, j, 'session_jitter') - 0.5) * 0.5 * session_gap
                               * pow(session_shrink, j) ELSE 0 END
        + rnd2(i, j, 'session_time')) AS age
FROM (
    SELECT *, unnest(range(series_len(eng_end_age, created_age, session_gap, session_shrink,
                                      30))) AS j
    FROM people WHERE browses
)
UNION ALL
SELECT t.i, 900 + t.answer_step, t.i * 1000 + 900 + t.answer_step, p.app_share,
    p.loyalty_member, t.answer_age
FROM retention t JOIN people p USING (i)
WHERE t.answer_age > 0.001
"""


class _Output(NamedTuple):
    """How one landing table is written: `source` yields narrow rows (integer keys, ages in
    days), sorted by `key` (numeric, so the sort is cheap and the order is the id order);
    `select` then turns them into the contract's columns (string ids, timestamps). `select`
    must stay row-wise (no subquery, no join): anything else would undo the sort."""

    source: str
    key: str
    select: str


OUTPUTS: dict[str, _Output] = {
    "individuals": _Output(
        """SELECT p.*, x.stop_reason AS reactivation_stop_reason
        FROM people p LEFT JOIN reactivation x USING (i)""",
        "i",
        """fmt_id('I', i, 7) AS individual_id, household_id, civility, first_name, last_name,
        birth_date, email, phone,
        CASE WHEN address_case < 0.12 THEN upper(address_line_1)
             WHEN address_case < 0.15 THEN lower(address_line_1)
             ELSE address_line_1 END AS address_line_1,
        CASE WHEN address_case < 0.12 THEN upper(address_line_2)
             ELSE address_line_2 END AS address_line_2,
        CASE WHEN address_case < 0.12 THEN upper(address_line_3)
             ELSE address_line_3 END AS address_line_3,
        postal_code, city, country_code,
        email_opt_in_initially AND email_end_reason IS NULL AND email_valid
            AND reactivation_stop_reason IS NULL AS email_opt_in,
        phone IS NOT NULL AND CASE consent_mix WHEN 'no_consent' THEN false
                                               WHEN 'no_email' THEN rnd(i, 'sms_opt_in') < 0.8
                                               ELSE rnd(i, 'sms_opt_in') < 0.35 END AS sms_opt_in,
        consent_mix IS DISTINCT FROM 'no_consent' AND rnd(i, 'postal_opt_in') < 0.85
            AS postal_opt_in,
        ts_ago(created_age) AS created_at""",
    ),
    "accounts": _Output(
        # 13 random digits + the Luhn check digit, like a real SIRET
        """SELECT *, body || CAST((10 - list_sum(list_transform(range(1, 14), lambda p:
                CASE WHEN p % 2 = 1 THEN CASE WHEN 2 * CAST(body[p] AS INT) > 9
                                              THEN 2 * CAST(body[p] AS INT) - 9
                                              ELSE 2 * CAST(body[p] AS INT) END
                     ELSE CAST(body[p] AS INT) END)) % 10) % 10 AS VARCHAR) AS luhn_siret
        FROM (SELECT *, lpad(CAST(rhash(owner, 'siret') % 10000000000000 AS VARCHAR), 13, '0')
                        AS body FROM accounts)""",
        "acct_idx",
        """account_id, account_type,
        CASE WHEN kind_rank = 2 THEN
            CASE WHEN rnd(owner, 'company_style') < 0.5
                 THEN pick(company_activities(), rnd(owner, 'activity')) || ' '
                      || pick(last_names(), rnd(owner, 'company_name')) || ' '
                      || pick(legal_forms(), rnd(owner, 'legal_form'))
                 WHEN rnd(owner, 'company_style') < 0.8
                 THEN upper(pick(legal_forms(), rnd(owner, 'legal_form')) || ' '
                      || pick(last_names(), rnd(owner, 'company_name')) || ' ET FILS')
                 ELSE pick(company_activities(), rnd(owner, 'activity')) || ' du '
                      || pick(['Centre', 'Port', 'Marché', 'Lac', 'Val'], rnd(owner, 'place'))
            END END AS company_name,
        CASE WHEN kind_rank = 2 AND rnd(owner, 'siret_missing') >= 0.01 THEN
            CASE WHEN rnd(owner, 'siret_spaced') < 0.03
                 THEN luhn_siret[1:3] || ' ' || luhn_siret[4:6] || ' ' || luhn_siret[7:9] || ' '
                      || luhn_siret[10:]
                 ELSE luhn_siret END
        END AS siret,
        business_line, ts_ago(opened_age) AS opened_at, ts_ago(closed_age) AS closed_at""",
    ),
    "account_contacts": _Output(
        "SELECT * FROM contacts",
        "acct_idx, i, role",
        """fmt_id('A', acct_idx, 7) AS account_id, fmt_id('I', i, 7) AS individual_id, role,
        ts_ago(from_age) AS valid_from, ts_ago(to_age) AS valid_to""",
    ),
    "orders": _Output(
        "SELECT * FROM orders",
        "order_no",
        """fmt_id('O', order_no, 9) AS order_id, fmt_id('A', acct_idx, 7) AS account_id,
        fmt_id('I', i, 7) AS individual_id, ts_ago(age) AS ordered_at, status,
        money(amount) AS amount, channel""",
    ),
    "quotes": _Output(
        """WITH requested AS (
            -- B2B requesters (or prescribers) ask for quotes all along the account's life
            SELECT acct_idx, j,
                CASE WHEN rnd2(acct_idx, j, 'quote_anonymous') >= 0.2
                     THEN coalesce(role_holder(acct_idx, 'requester', age),
                                   role_holder(acct_idx, 'prescriber', age)) END AS i,
                age, amount
            FROM (SELECT acct_idx, j,
                      last_age * 0.8 + (first_age - last_age * 0.8)
                          * rnd2(acct_idx, j, 'quote_at') AS age,
                      basket * (1 + 4 * rnd2(acct_idx, j, 'quote_amount')) AS amount
                  FROM (SELECT *, unnest(range(CAST(floor(8 * rnd(acct_idx, 'n_quotes'))
                                                    AS BIGINT))) AS j
                        FROM accounts WHERE kind_rank = 2))
            UNION ALL
            -- some signed-up prospects ask for a quote and never buy
            SELECT a.acct_idx, j, p.i,
                p.eng_end_age + (p.created_age - p.eng_end_age) * rnd2(p.i, j, 'quote_at'),
                200 + 4800 * rnd2(p.i, j, 'quote_amount')
            FROM (SELECT *, unnest(range(1 + CAST(rnd(i, 'n_prospect_quotes') < 0.3 AS BIGINT)))
                            AS j FROM people WHERE persona = 'prospect') p
            JOIN accounts a ON a.kind_rank = 1 AND a.slot = 0 AND a.owner = p.i
            WHERE rnd(p.i, 'asks_quote') < 0.25
        ), decided AS (
            SELECT *, CASE WHEN rnd2(acct_idx, j, 'quote_outcome') < 0.45 THEN 'accepted'
                           WHEN rnd2(acct_idx, j, 'quote_outcome') < 0.70 THEN 'declined'
                           ELSE 'expired' END AS outcome,
                CASE WHEN rnd2(acct_idx, j, 'quote_outcome') < 0.70
                     THEN 2 + 40 * rnd2(acct_idx, j, 'quote_lag') ELSE 30 END AS lag
            FROM requested
        )
        SELECT *, row_number() OVER (ORDER BY age DESC, acct_idx, j) AS quote_no FROM decided""",
        "quote_no",
        """fmt_id('Q', quote_no, 8) AS quote_id, fmt_id('A', acct_idx, 7) AS account_id,
        fmt_id('I', i, 7) AS individual_id, ts_ago(age) AS requested_at,
        CASE WHEN age - lag > 0 THEN outcome ELSE 'open' END AS status,
        money(amount) AS amount,
        CASE WHEN age - lag > 0 THEN ts_ago(age - lag) END AS closed_at""",
    ),
    "invoices": _Output(
        "SELECT * FROM invoices",
        "invoice_no",
        """fmt_id('INV', invoice_no, 9) AS invoice_id, fmt_id('A', acct_idx, 7) AS account_id,
        fmt_id('O', order_no, 9) AS order_id, ts_ago(issue_age) AS issued_at,
        ts_ago(due_age) AS due_at, money(amount) AS amount, status, ts_ago(pay_age) AS paid_at""",
    ),
    "payments": _Output(
        """SELECT *, row_number() OVER (ORDER BY pay_age DESC, invoice_no) AS payment_no
        FROM invoices WHERE status = 'paid'""",
        "payment_no",
        """fmt_id('P', payment_no, 9) AS payment_id, fmt_id('INV', invoice_no, 9) AS invoice_id,
        fmt_id('A', acct_idx, 7) AS account_id, ts_ago(pay_age) AS paid_at,
        money(amount) AS amount, method, method = 'direct_debit' AS is_automatic""",
    ),
    "subscriptions": _Output(
        """SELECT *, row_number() OVER (ORDER BY acct_idx) AS subscription_no
        FROM accounts WHERE business_line = 'subscription' AND first_age IS NOT NULL""",
        "subscription_no",
        """fmt_id('S', subscription_no, 7) AS subscription_id, account_id, plan,
        ts_ago(first_age) AS started_at, ts_ago(sub_end_age) AS ended_at, auto_renew""",
    ),
    "tickets": _Output(
        """WITH opened AS (
            -- customers write in now and then while they are engaged
            SELECT a.acct_idx, p.i, j,
                p.eng_end_age + (least(p.created_age, a.opened_age) - p.eng_end_age)
                    * rnd2(p.i, j, 'ticket_at') AS age,
                false AS stuck
            FROM (SELECT *, unnest(range(CAST(floor(4 * pow(rnd(i, 'n_tickets'), 2)) AS BIGINT)))
                            AS j FROM people) p
            JOIN accounts a ON a.kind_rank = 1 AND a.slot = 0 AND a.owner = p.i
            UNION ALL
            SELECT acct_idx, role_holder(acct_idx, 'decision_maker', age), j, age, false
            FROM (SELECT acct_idx, j,
                      last_age + (first_age - last_age) * rnd2(acct_idx, j, 'ticket_at') AS age
                  FROM (SELECT *, unnest(range(CAST(floor(5 * rnd(acct_idx, 'n_tickets'))
                                                    AS BIGINT))) AS j
                        FROM accounts WHERE kind_rank = 2))
            UNION ALL
            -- open-issue customers: a ticket nobody has closed, long after their last order
            SELECT acct_idx, main_i, 100, 10 + 140 * rnd(acct_idx, 'stuck_ticket_at'), true
            FROM accounts
            WHERE slot = 0 AND persona = 'open_issue' AND rnd(owner, 'issue_kind') < 0.5
        )
        SELECT *, row_number() OVER (ORDER BY age DESC, acct_idx, j) AS ticket_no,
            CASE WHEN rnd2(acct_idx, j, 'ticket_slow') < 0.05
                 THEN 30 + 150 * rnd2(acct_idx, j, 'ticket_lag')
                 ELSE 0.05 + 8 * pow(rnd2(acct_idx, j, 'ticket_lag'), 2) END AS lag
        FROM opened""",
        "ticket_no",
        """fmt_id('T', ticket_no, 8) AS ticket_id, fmt_id('A', acct_idx, 7) AS account_id,
        fmt_id('I', i, 7) AS individual_id, ts_ago(age) AS opened_at,
        CASE WHEN NOT stuck AND age - lag > 0 THEN ts_ago(age - lag) END AS closed_at,
        pick(['delivery', 'delivery', 'billing', 'product', 'account', 'returns', 'other'],
             rnd2(acct_idx, j, 'ticket_category')) AS category""",
    ),
    "disputes": _Output(
        """WITH opened AS (
            -- a few customers contest an order during their active years
            SELECT acct_idx,
                CASE WHEN kind_rank = 1 THEN main_i
                     ELSE role_holder(acct_idx, 'decision_maker', age) END AS i,
                0 AS j, age, basket * (0.5 + rnd(acct_idx, 'dispute_amount')) AS amount,
                false AS stuck
            FROM (SELECT *, last_age + (first_age - last_age) * rnd(acct_idx, 'dispute_at') AS age
                  FROM accounts)
            WHERE last_age IS NOT NULL
              AND rnd(acct_idx, 'disputes') < CASE WHEN kind_rank = 2 THEN 0.10 ELSE 0.06 END
            UNION ALL
            -- open-issue customers: an unresolved dispute and no recent purchase
            SELECT acct_idx, main_i, 1, 20 + 180 * rnd(acct_idx, 'stuck_dispute_at'),
                basket * (0.5 + rnd(acct_idx, 'dispute_amount')), true
            FROM accounts
            WHERE slot = 0 AND persona = 'open_issue' AND rnd(owner, 'issue_kind') >= 0.5
        )
        SELECT *, row_number() OVER (ORDER BY age DESC, acct_idx, j) AS dispute_no,
            3 + 57 * rnd2(acct_idx, j, 'dispute_lag') AS lag
        FROM opened""",
        "dispute_no",
        """fmt_id('D', dispute_no, 7) AS dispute_id, fmt_id('A', acct_idx, 7) AS account_id,
        fmt_id('I', i, 7) AS individual_id, ts_ago(age) AS opened_at,
        CASE WHEN NOT stuck AND age - lag > 0 THEN ts_ago(age - lag) END AS resolved_at,
        pick(['damaged', 'not_received', 'billing_error', 'quality', 'unauthorized_charge'],
             rnd2(acct_idx, j, 'dispute_reason')) AS reason,
        money(amount) AS amount""",
    ),
    "campaigns": _Output(
        "SELECT * FROM campaigns",
        "c_idx",
        """fmt_id('C', c_idx, 6) AS campaign_id,
        CASE campaign_type
            WHEN 'newsletter' THEN 'Newsletter ' || strftime(ts_ago(launch_age), '%G-W%V')
            WHEN 'promotion' THEN 'Promo ' || content_type || ' '
                                  || strftime(ts_ago(launch_age), '%Y-%m-%d')
            WHEN 'retention' THEN 'Baisse d''activité ' || strftime(ts_ago(launch_age), '%G-W%V')
                                  || ' étape ' || wave
            ELSE 'Relance inactifs ' || strftime(ts_ago(launch_age + 30 * (wave - 1)), '%Y-%m')
                 || ' vague ' || wave
        END AS name,
        campaign_type, channel, content_type, wave, cost_per_contact,
        ts_ago(launch_age) AS launched_at""",
    ),
    "email_events": _Output(
        EMAIL_EVENTS_SQL,
        "event_key",
        f"""fmt_id('E', event_key, 11) AS event_id, fmt_id('I', i, 7) AS individual_id,
        fmt_id('C', c_idx, 6) AS campaign_id,
        {_sql_list(EMAIL_EVENT_TYPES)}[event_code + 1] AS event_type,
        ts_ago(age) AS occurred_at""",
    ),
    "web_sessions": _Output(
        f"""SELECT *,
            rnd2(i, j, 'session_channel') < app_share AS is_app,
            CAST(1 + floor(-6 * ln(1 - rnd2(i, j, 'page_views'))) AS INTEGER) AS page_views
        FROM ({SESSIONS_SQL})""",
        "session_key",
        """fmt_id('W', session_key, 10) AS session_id, fmt_id('I', i, 7) AS individual_id,
        ts_ago(age) AS started_at, CASE WHEN is_app THEN 'app' ELSE 'web' END AS channel,
        page_views""",
    ),
    "loyalty_transactions": _Output(
        f"""WITH moves AS (
            -- points earned on each purchase, every fourth purchase redeems some
            SELECT 0 AS src, o.order_no AS k, 0 AS slot, o.age,
                CAST(greatest(1, floor(o.amount)) AS INTEGER) AS points, o.i
            FROM orders o JOIN people p USING (i)
            WHERE p.loyalty_member AND o.status <> 'cancelled' AND o.account_type = 'b2c'
            UNION ALL
            SELECT 0, o.order_no, 1, o.age - 0.0001,
                -CAST(100 * (1 + floor(4 * rnd(o.order_no, 'redeem'))) AS INTEGER), o.i
            FROM orders o JOIN people p USING (i)
            WHERE p.loyalty_member AND o.status <> 'cancelled' AND o.account_type = 'b2c'
              AND o.j % 4 = 3
            UNION ALL
            -- bonus points for reviews and games while browsing
            SELECT 1, session_key, 0, age,
                CAST(10 * (1 + floor(5 * rnd(session_key, 'bonus'))) AS INTEGER), i
            FROM ({SESSIONS_SQL}) WHERE loyalty_member AND j % 10 = 5
        )
        SELECT *, row_number() OVER (ORDER BY age DESC, src, k, slot) AS transaction_no
        FROM moves WHERE age > 1.0 / 86400""",
        "transaction_no",
        """fmt_id('L', transaction_no, 9) AS transaction_id, fmt_id('I', i, 7) AS individual_id,
        ts_ago(age) AS occurred_at, points""",
    ),
    "usage_events": _Output(
        """SELECT *, acct_idx * 1000 + j AS usage_key,
            -- usually the person (the B2B user in role); sometimes only the account is known
            CASE WHEN rnd2(acct_idx, j, 'usage_anonymous') < CASE kind_rank WHEN 1 THEN 0.05
                                                                             ELSE 0.25 END
                 THEN NULL
                 WHEN kind_rank = 1 THEN main_i
                 ELSE role_holder(acct_idx, 'user', age)
            END AS i
        FROM (SELECT *,
                  least(first_age, series_age(usage_end_age, usage_gap, usage_shrink, j)
                                   + rnd2(acct_idx, j, 'usage_day')) AS age
              FROM (SELECT *, unnest(range(series_len(usage_end_age, first_age, usage_gap,
                                                      usage_shrink, 120))) AS j
                    FROM accounts
                    WHERE business_line = 'subscription' AND usage_end_age IS NOT NULL))
        WHERE age > coalesce(sub_end_age, 0)  -- no usage once a subscription has ended""",
        "usage_key",
        """fmt_id('U', usage_key, 10) AS usage_id, account_id, fmt_id('I', i, 7) AS individual_id,
        date_ago(age) AS used_on,
        -- fading users use less and less
        CAST(1 + floor(10 * rnd2(acct_idx, j, 'units') * least(1, 0.3 + j / 20)) AS INTEGER)
            AS units""",
    ),
    "address_changes": _Output(
        f"""SELECT m.* EXCLUDE (d), p.i, m.moved_age AS age
        FROM ({_with_address('''
            SELECT d, move, d * 4 + move AS move_key,
                (5 + 700 * rnd(d, 'moved_at')) / (1 + move) AS moved_age
            FROM (SELECT d, unnest(range(n_moves)) AS move FROM dwellings)''',
            "move_key", "move")}) m
        JOIN people p USING (d)
        WHERE m.moved_age < p.created_age  -- moves before someone arrived are not theirs""",
        "i, age DESC",
        """fmt_id('I', i, 7) AS individual_id, address_line_1, address_line_2, address_line_3,
        postal_code, city, country_code, ts_ago(age) AS moved_at""",
    ),
    "deceased_notices": _Output(
        "SELECT * FROM people_events WHERE deceased_age IS NOT NULL",
        "i",
        "fmt_id('I', i, 7) AS individual_id, date_ago(deceased_age) AS deceased_on",
    ),
    "erasure_requests": _Output(
        """SELECT *, row_number() OVER (ORDER BY erasure_age DESC, i) AS request_no
        FROM people_events WHERE erasure_age IS NOT NULL""",
        "request_no",
        """fmt_id('R', request_no, 7) AS request_id, fmt_id('I', i, 7) AS individual_id,
        ts_ago(erasure_age) AS requested_at""",
    ),
}


def _output_query(table: str) -> str:
    """The rows of one landing table: the narrow rows sorted by key, then formatted (DuckDB
    keeps the order of a sorted subquery through a projection, so the file is in key order)."""
    output = OUTPUTS[table]
    # newlines, so that a trailing -- comment in a fragment cannot swallow what follows
    return (
        f"SELECT {output.select}\nFROM (SELECT * FROM ({output.source}\n) "
        f"ORDER BY {output.key})"
    )


def generated_landing_data(
    out_dir: Path, individuals: int, seed: int, as_of: datetime.date
) -> tuple[dict[str, int], bool]:
    """The landing tables of these settings in out_dir, written unless they already are:
    (row counts, whether they were written). The files are kept as they are (same size and
    time) when out_dir holds them already, so that a run with nothing new has nothing to do
    (orchestration/run_inputs.py). This module's own code is part of the settings."""
    settings = {"individuals": individuals, "seed": seed, "as_of": as_of.isoformat(),
                "generator": files_digest([Path(__file__)])}
    marker = Path(out_dir) / ".generated.json"
    if marker.exists():
        previous = json.loads(marker.read_text(encoding="utf-8"))
        if previous["settings"] == settings and all(
                (Path(out_dir) / f"{table}.parquet").exists() for table in previous["counts"]):
            return previous["counts"], False
    marker.unlink(missing_ok=True)  # a generation that dies half-way leaves no marker
    counts = generate_landing_data(out_dir, individuals, seed, as_of)
    marker.write_text(json.dumps({"settings": settings, "counts": counts}), encoding="utf-8")
    return counts, True


def generate_landing_data(
    out_dir: str | Path,
    individuals: int,
    seed: int = 42,
    as_of: datetime.date | None = None,
) -> dict[str, int]:
    """Write the 18 landing tables to out_dir; return row count per table.

    Same seed, as-of date and number of individuals give the same rows. `as_of` defaults to
    today; every generated date is before it.
    """
    if not 1 <= individuals <= MAX_INDIVIDUALS:
        raise ValueError(f"individuals must be between 1 and {MAX_INDIVIDUALS:,}")
    as_of = as_of or datetime.date.fromisoformat(today_utc())  # as make run: the UTC day
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="demo_data_spill_") as spill:
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            con.execute("SET preserve_insertion_order = false")
            con.execute("SET temp_directory = '" + spill.replace("'", "''") + "'")
            con.execute(_macros(individuals, seed, as_of))
            for _, sql in STAGING_STEPS:
                con.execute(sql)
            if con.execute("SELECT count(*) FROM campaigns").fetchone()[0] >= MAX_CAMPAIGNS:
                raise RuntimeError("too many campaigns for the email event id layout")
            for table, columns in contract_columns().items():
                query = _output_query(table)
                described = con.execute(f"DESCRIBE {query}").fetchall()
                if tuple(row[0] for row in described) != columns:
                    raise AssertionError(f"{table}: columns differ from the contract")
                target = str(out / f"{table}.parquet").replace("'", "''")
                counts[table] = con.execute(
                    f"COPY ({query}) TO '{target}' (FORMAT parquet)"
                ).fetchone()[0]
        finally:
            con.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    """CLI: generate the demo landing data."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # the defaults are make run's
    parser.add_argument("--individuals", type=int, default=DEMO_INDIVIDUALS,
                        help=f"number of people (default {DEMO_INDIVIDUALS:,})")
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    parser.add_argument(
        "--as-of",
        type=datetime.date.fromisoformat,
        default=None,
        help="YYYY-MM-DD; every generated date is before it (default: today, UTC)",
    )
    parser.add_argument("--out", type=Path, default=DEMO_DATA_DIR, help="output folder")
    args = parser.parse_args(argv)
    started = time.monotonic()
    counts = generate_landing_data(args.out, args.individuals, args.seed, args.as_of)
    for table, rows in counts.items():
        print(f"{table:22s} {rows:>12,d}")
    print(f"{'total':22s} {sum(counts.values()):>12,d}  in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
