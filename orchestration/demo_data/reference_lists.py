"""The reference lists the demo data's "French mess" is drawn from: names, streets, real
postal codes, email domains, companies, plans and campaign contents.

`generate` hands them to DuckDB as one struct variable, `reference_lists`; the macros of
`sql/reference_lists.sql` read each list from it by name (a list missing on either side is an
error when the macros are used, never a silent null).
"""

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



def reference_lists() -> dict[str, list[object]]:
    """{macro name: its values}: the lists as DuckDB reads them (`sql/reference_lists.sql`),
    the postal code pairs and triples split into aligned lists."""
    lists: dict[str, tuple[object, ...]] = {
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
    return {name: list(values) for name, values in lists.items()}
