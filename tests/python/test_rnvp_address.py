"""RNVP addresses: AFNOR NF Z10-011 normalisation, abbreviation, line placement, and the SQL
functions registered by the dbt-duckdb plugin."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dbt.adapters.duckdb.plugins import BasePlugin
from hypothesis import given, settings
from hypothesis import strategies as st

from rnvp.address import (
    PROBLEMS,
    afnor_address,
    classify_line,
    clean_postal_code,
    recipient_line,
    segment_address,
    split_locality_cedex,
    split_segments,
    split_street_number,
)
from rnvp.duckdb_udfs import Plugin
from rnvp.sql_functions import ADDRESS_FIELDS
from rnvp.text import abbreviate_street_label, normalise_text


def address(**fields: str | None) -> dict:
    """afnor_address with every field None unless given."""
    names = ("civility", "first_name", "last_name", "address_line_1", "address_line_2",
             "address_line_3", "postal_code", "city", "country_code")
    return afnor_address(**{name: fields.get(name) for name in names})


# --- normalisation ----------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("Émile Zola", "EMILE ZOLA"),
    ("d'Alsace-Lorraine", "D ALSACE LORRAINE"),
    ("SŒUR Léonie, Straße", "SOEUR LEONIE STRASSE"),
    ("  12,rue   du 8-Mai  ", "12 RUE DU 8 MAI"),  # a comma between words never glues them
    ("B.P. 12 / C/O", "B P 12 C O"),
    ("RUE DE LA\nPAIX", "RUE DE LA PAIX"),
    (None, ""),
    ("", ""),
])
def test_normalise_text(raw: str | None, expected: str) -> None:
    assert normalise_text(raw) == expected


# --- street label abbreviation ----------------------------------------------------------------

def test_label_of_32_characters_is_untouched() -> None:
    label = "AVENUE DU GENERAL LECLERC PARIS"
    label = label + "X" * (32 - len(label))
    assert len(label) == 32
    assert abbreviate_street_label(label) == label


def test_label_over_32_characters_is_abbreviated_until_it_fits() -> None:
    label = "AVENUE DU GENERAL LECLERC PARIS XX"  # 34: the street type is enough
    assert abbreviate_street_label(label) == "AV DU GENERAL LECLERC PARIS XX"


def test_short_label_keeps_words_that_have_an_abbreviation() -> None:
    assert abbreviate_street_label("Boulevard Saint-Germain") == "BOULEVARD SAINT GERMAIN"


@pytest.mark.parametrize(("label", "expected"), [
    # titles, first names to initials, articles dropped last
    ("BOULEVARD DU MARECHAL JEAN MARIE DE LATTRE DE TASSIGNY", "BD MAL J M DE LATTRE DE TASSIGNY"),
    # DE after a first name belongs to the surname: ET goes first
    ("PLACE CHARLES DE GAULLE ET DE LA RESISTANCE", "PL C DE GAULLE DE LA RESISTANCE"),
    # a first name after SAINT is the saint's name, kept whole
    ("BOULEVARD SAINT JEAN BAPTISTE DE LA SALLE", "BD ST JEAN BAPTISTE DE LA SALLE"),
    # multi-word phrases, common words
    ("ALLÉE DE L'ABBAYE NOTRE DAME DU GRAND MARCHÉ", "ALL DE L ABBAYE ND DU GD MARCHE"),
    # a place word at the start is shortened late, after the inner words
    ("CHEMIN DE L EGLISE DE SAINT CHRISTOPHE", "CHEM DE L EGLI DE ST CHRISTOPHE"),
])
def test_abbreviation_rules(label: str, expected: str) -> None:
    assert abbreviate_street_label(label) == expected


def test_last_word_is_never_shortened() -> None:
    assert abbreviate_street_label("RUE DU COLONEL ET DU GENERAL", 20).endswith(" GENERAL")


def test_abbreviation_honours_a_smaller_maximum() -> None:
    assert abbreviate_street_label("PLACE DE LA GRANDE PLACE ROUGE", 25) == (
        "PL DE LA GDE PLACE ROUGE")


# --- street number ----------------------------------------------------------------------------

@pytest.mark.parametrize(("street", "expected"), [
    ("12 BIS RUE DE LA PAIX", ("12", "BIS", "RUE DE LA PAIX")),
    ("12B RUE DE LA PAIX", ("12", "BIS", "RUE DE LA PAIX")),  # a lone B is BIS
    ("12 T RUE DE LA PAIX", ("12", "TER", "RUE DE LA PAIX")),
    ("7 QUATER RUE X", ("7", "QUATER", "RUE X")),
    ("12 BOULEVARD X", ("12", None, "BOULEVARD X")),  # B starting a word is not an index
    ("RUE DE LA PAIX", (None, None, "RUE DE LA PAIX")),
])
def test_split_street_number(street: str, expected: tuple) -> None:
    assert split_street_number(street) == expected


# --- line classification ----------------------------------------------------------------------

@pytest.mark.parametrize(("segment", "line"), [
    ("APPT 5", 2), ("3EME ETAGE", 2), ("CHEZ MME DUPONT", 2), ("C O M DUPONT", 2),
    ("BAT C", 3), ("RESIDENCE LES PINS", 3), ("LES PINS BAT C", 3),
    ("12 RUE DE LA TOUR", 4), ("RUE DE LA RESIDENCE", 4), ("BD VOLTAIRE", 4),
    ("LIEU DIT LES GRANGES", 5), ("BP 123", 5), ("CS 70001", 5), ("HAMEAU DU BOIS", 5),
    ("LE CLOS FLEURI", None),
])
def test_classify_line(segment: str, line: int | None) -> None:
    assert classify_line(segment) == line


@pytest.mark.parametrize(("line", "segments"), [
    ("12 RUE X APPT 5", ["12 RUE X", "APPT 5"]),
    ("APT 5 12 RUE X", ["APT 5", "12 RUE X"]),
    ("BAT C ESC 2 3EME ETAGE", ["BAT C", "ESC 2", "3EME ETAGE"]),
    ("RESIDENCE LES PINS BAT C", ["RESIDENCE LES PINS", "BAT C"]),
    ("12 AVENUE DE LA PORTE D ITALIE", ["12 AVENUE DE LA PORTE D ITALIE"]),
    ("CHEZ M DUPONT", ["CHEZ M DUPONT"]),  # CHEZ introduces a name, not an identifier
    ("", []),
])
def test_split_segments(line: str, segments: list[str]) -> None:
    assert split_segments(line) == segments


def test_a_street_number_alone_joins_the_street_after_it() -> None:
    assert segment_address(["12", "RUE X", ""]) == ["12 RUE X"]


# --- recipient, locality, postal code ---------------------------------------------------------

@pytest.mark.parametrize(("civility", "expected"), [
    ("Monsieur", "M JEAN DUPONT"), ("M.", "M JEAN DUPONT"), ("Madame", "MME JEAN DUPONT"),
    ("Mademoiselle", "MLLE JEAN DUPONT"), ("Docteur", "DR JEAN DUPONT"),
    ("M. et Mme", "M ET MME JEAN DUPONT"), (None, "JEAN DUPONT"),
])
def test_recipient_civility_is_abbreviated(civility: str | None, expected: str) -> None:
    assert recipient_line(civility, "Jean", "Dupont") == expected


def test_long_recipient_keeps_the_initials_of_the_first_name() -> None:
    line = recipient_line("Madame", "Marie-Christine", "de la Rochefoucauld-Liancourt")
    assert line == "MME M C DE LA ROCHEFOUCAULD LIANCOURT"


def test_recipient_still_too_long_is_truncated() -> None:
    result = address(first_name="Jean", last_name="Wolfeschlegelsteinhausenbergerdorff Senior")
    assert result["line_1"] == "J WOLFESCHLEGELSTEINHAUSENBERGERDORFF"
    assert "line_truncated" in result["problems"]


@pytest.mark.parametrize(("city", "postal_code", "expected"), [
    ("PARIS CEDEX 08", "75008", ("PARIS", "CEDEX 08")),
    ("Lyon Cedex", "69003", ("LYON", "CEDEX")),
    ("Paris", "75008 CEDEX", ("PARIS", "CEDEX")),
    ("Saint-Étienne", "42000", ("SAINT ETIENNE", None)),
    (None, None, (None, None)),
])
def test_split_locality_cedex(city: str | None, postal_code: str | None, expected: tuple) -> None:
    assert split_locality_cedex(city, postal_code) == expected


@pytest.mark.parametrize(("raw", "french", "expected"), [
    ("75 008", True, "75008"), ("75.008", True, "75008"), ("1000", True, "1000"),  # not padded
    ("75008 CEDEX 08", True, "75008"), ("SW1A 2AA", False, "SW1A 2AA"), ("  ", True, None),
])
def test_clean_postal_code(raw: str, french: bool, expected: str | None) -> None:
    assert clean_postal_code(raw, french) == expected


# --- whole addresses --------------------------------------------------------------------------

def test_complete_address() -> None:
    result = address(civility="Madame", first_name="Émilie", last_name="Zola",
                     address_line_1="12 bis rue Émile Zola", postal_code="75 008",
                     city="Paris Cedex 08", country_code="FR")
    assert result == {
        "line_1": "MME EMILIE ZOLA", "line_2": None, "line_3": None,
        "line_4": "12 BIS RUE EMILE ZOLA", "line_5": None, "street_number": "12",
        "repetition_index": "BIS", "street_label": "RUE EMILE ZOLA", "postal_code": "75008",
        "locality": "PARIS", "cedex": "CEDEX 08", "problems": [],
    }


def test_complements_in_the_wrong_source_lines_are_moved() -> None:
    result = address(last_name="Martin", address_line_1="12 rue de la Paix apt 5",
                     address_line_2="Bâtiment C", address_line_3="Lieu-dit les Granges BP 40")
    assert (result["line_2"], result["line_3"], result["line_4"], result["line_5"]) == (
        "APT 5", "BATIMENT C", "12 RUE DE LA PAIX", "LIEU DIT LES GRANGES BP 40")


def test_unclassified_lines_are_placed_around_the_street() -> None:
    result = address(last_name="Martin", address_line_1="Le Clos Fleuri",
                     address_line_2="3 impasse des Lilas", address_line_3="Les Granges")
    assert (result["line_3"], result["line_4"], result["line_5"]) == (
        "LE CLOS FLEURI", "3 IMPASSE DES LILAS", "LES GRANGES")


def test_a_named_place_without_street_stands_on_line_4() -> None:
    result = address(last_name="Martin", address_line_2="La Ferme du Bois")
    assert result["line_4"] == "LA FERME DU BOIS" and result["problems"] == []


def test_long_street_label_is_abbreviated_and_flagged() -> None:
    result = address(last_name="Martin", address_line_1="12 bis avenue du Maréchal Jean Marie "
                                                        "de Lattre de Tassigny")
    assert result["line_4"] == "12 BIS AV MAL J M DE LATTRE TASSIGNY"  # room left: 31
    assert result["street_label"] == "AV MAL J M DE LATTRE TASSIGNY"
    assert result["problems"] == ["street_abbreviated"]


def test_empty_address() -> None:
    result = address()
    assert [result[f"line_{n}"] for n in range(1, 6)] == [None] * 5
    assert result["problems"] == ["address_missing", "recipient_missing"]


def test_locality_complement_alone_is_an_address() -> None:
    assert address(last_name="Martin", address_line_1="BP 123")["problems"] == []


def test_foreign_address_keeps_its_lines_in_order() -> None:
    result = address(last_name="Smith", address_line_1="Flat 3", address_line_2="10 Downing "
                     "Street, Westminster, City of London", postal_code="SW1A 2AA",
                     city="London", country_code="gb")
    assert (result["line_3"], result["line_4"]) == ("FLAT 3", "10 DOWNING STREET WESTMINSTER CITY OF")
    assert (result["street_number"], result["street_label"]) == (None, None)
    assert result["postal_code"] == "SW1A 2AA"
    assert result["problems"] == ["line_truncated"]  # truncated, never abbreviated


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=120)), min_size=9, max_size=9))
def test_every_line_fits_in_38_characters(fields: list[str | None]) -> None:
    result = afnor_address(*fields)
    for n in range(1, 6):
        line = result[f"line_{n}"]
        assert line is None or 0 < len(line) <= 38
        assert line is None or line == normalise_text(line)
    assert set(result["problems"]) <= set(PROBLEMS)


# --- the SQL functions (dbt-duckdb plugin) ----------------------------------------------------

@pytest.fixture
def connection() -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    # as dbt-duckdb does for `plugins: [{module: rnvp.duckdb_udfs}]`
    plugin = BasePlugin.create("rnvp.duckdb_udfs")
    assert isinstance(plugin, Plugin)
    plugin.configure_connection(conn)
    yield conn
    conn.close()


def test_rnvp_address_in_sql(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute("""
        create table contacts as select * from (values
            (1, 'M.', 'Jean', 'Dupont', '12 rue de la Paix apt 5', null, '75 002', 'Paris', 'FR'),
            (2, null, null, null, null, null, null, null, null)
        ) t(id, civility, first_name, last_name, a1, a2, postal_code, city, country)
    """)
    rows = connection.cursor().execute("""
        select id, rnvp_address(civility, first_name, last_name, a1, a2, null, postal_code, city,
                                country) as a
        from contacts order by id
    """).fetchall()
    assert rows[0][1]["line_4"] == "12 RUE DE LA PAIX" and rows[0][1]["line_2"] == "APT 5"
    assert rows[0][1]["postal_code"] == "75002" and rows[0][1]["problems"] == []
    assert rows[1][1]["problems"] == ["address_missing", "recipient_missing"]
    assert list(rows[0][1]) == [*ADDRESS_FIELDS, "problems"]


def test_rnvp_contact_functions_in_sql(connection: duckdb.DuckDBPyConnection) -> None:
    row = connection.execute("""
        select rnvp_email(' Jean.Dupont@Example.FR '), rnvp_email(null), rnvp_email('jean@'),
               rnvp_phone('06 12 34 56 78'), rnvp_phone(''), rnvp_phone('12345'),
               rnvp_street_label('BOULEVARD DU MARECHAL JEAN MARIE DE LATTRE DE TASSIGNY', 32),
               rnvp_street_label(null, 32)
    """).fetchone()
    assert row == (
        {"email_normalized": "jean.dupont@example.fr", "problem": None},
        {"email_normalized": None, "problem": "email_missing"},
        {"email_normalized": None, "problem": "email_invalid"},
        {"phone_e164": "+33612345678", "phone_type": "mobile", "problem": None},
        {"phone_e164": None, "phone_type": None, "problem": "phone_missing"},
        {"phone_e164": None, "phone_type": None, "problem": "phone_invalid"},
        "BD MAL J M DE LATTRE DE TASSIGNY",
        None,
    )


def test_sql_functions_are_declared_deterministic(connection: duckdb.DuckDBPyConnection) -> None:
    rows = connection.execute("""
        select function_name, stability from duckdb_functions()
        where function_name like 'rnvp_%' order by 1
    """).fetchall()
    assert rows == [("rnvp_address", "CONSISTENT"), ("rnvp_email", "CONSISTENT"),
                    ("rnvp_phone", "CONSISTENT"), ("rnvp_rules_version", "CONSISTENT"),
                    ("rnvp_street_label", "CONSISTENT")]


def test_the_rules_version_changes_with_the_code_and_rule_tables(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    """int_contacts_rnvp_normalised recomputes every contact when it changes."""
    from rnvp import sql_functions

    version = sql_functions.rules_version()
    assert version == sql_functions.rules_version() and len(version) == 16
    edited = tmp_path / "afnor_abbreviations.csv"
    edited.write_bytes(sql_functions._RULE_FILES[-2].read_bytes() + b"BOULEVARD,BD,street_type\n")
    monkeypatch.setattr(sql_functions, "_RULE_FILES", (*sql_functions._RULE_FILES[:-2], edited,
                                                       sql_functions._RULE_FILES[-1]))
    sql_functions.rules_version.cache_clear()
    try:
        assert sql_functions.rules_version() != version
    finally:
        sql_functions.rules_version.cache_clear()


def test_a_function_declared_with_the_wrong_number_of_arguments_is_refused() -> None:
    """Spark does not count a function's arguments; the declaration does, for both engines."""
    from rnvp.sql_functions import TEXT, SqlFunction

    with pytest.raises(TypeError, match="rnvp_two: 2 SQL arguments declared, 1 taken by"):
        SqlFunction("rnvp_two", normalise_text, (TEXT, TEXT))
