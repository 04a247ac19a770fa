"""marts.rnvp_contacts end to end: the main job on a landing set of planted contacts whose
AFNOR lines, postal status and quality reasons are known."""

from __future__ import annotations

import pytest
from main_job import rows_by_key, run_main_job
from planted_landing import AS_OF, build_planted_landing

pytestmark = pytest.mark.slow  # runs the main job (`make test-fast` leaves it out)

# individual -> the address fields that differ from Landing.person's defaults
CONTACTS: dict[str, dict[str, str]] = {
    "I-R-ACCENT": {"address_line_1": "12 rue Émile Zola", "postal_code": "42000",
                   "city": "Saint-Étienne"},
    "I-R-LONG": {"address_line_1": "3 boulevard du Maréchal Jean Marie de Lattre de Tassigny",
                 "postal_code": "75016", "city": "PARIS"},
    "I-R-BIS": {"address_line_1": "12 bis, avenue Foch", "postal_code": "75016",
                "city": "Paris"},
    "I-R-UNKNOWN-PC": {"postal_code": "75099", "city": "Paris"},
    "I-R-MALFORMED-PC": {"postal_code": "ABCDE", "city": "Paris"},
    "I-R-ZERO-PC": {"address_line_1": "4 place Carriat", "postal_code": "1000",
                    "city": "Bourg-en-Bresse"},
    "I-R-MISSPELT": {"address_line_1": "20 rue Mercière", "postal_code": "69002",
                     "city": "Lyonn"},
    "I-R-MISMATCH": {"postal_code": "69002", "city": "Marseille"},
    "I-R-CEDEX": {"address_line_1": "BP 45", "address_line_2": "8 rue de la Boétie",
                  "postal_code": "75008", "city": "Paris Cedex 08"},
    "I-R-CEDEX-CODE": {"address_line_1": "1 place de la Défense", "postal_code": "92039",
                       "city": "Paris la Défense Cedex"},
    "I-R-COMPLEMENTS": {"address_line_1": "Résidence les Pins, Bâtiment B",
                        "address_line_2": "7 allée des Tilleuls", "address_line_3": "Apt 12",
                        "postal_code": "33000", "city": "Bordeaux"},
    "I-R-CONTACT": {"email": "  Jean.Dupont@Example.FR ", "phone": "06 12 34 56 78"},
    "I-R-BAD-CONTACT": {"email": "jean@@example", "phone": "12"},
    "I-R-MOVED": {"address_line_1": "1 rue Ancienne"},
    "I-R-DECEASED": {},
    "I-R-HOUSE-1": {"address_line_1": "12, rue de la Gare", "postal_code": "44000",
                    "city": "Nantes", "last_name": "Lefèvre"},
    "I-R-HOUSE-2": {"address_line_1": "12 RUE DE LA GARE", "postal_code": "44000",
                    "city": "NANTES", "last_name": "LEFEVRE"},
}

# individual -> (line_4, line_5, line_6, postal_status); None = not asserted
EXPECTED_LINES: dict[str, tuple[str | None, str | None, str | None, str]] = {
    "I-R-ACCENT": ("12 RUE EMILE ZOLA", None, "42000 SAINT ETIENNE", "valid"),
    "I-R-BIS": ("12 BIS AVENUE FOCH", None, "75016 PARIS", "valid"),
    "I-R-UNKNOWN-PC": (None, None, "75099 PARIS", "postal_code_unknown"),
    "I-R-MALFORMED-PC": (None, None, "ABCDE PARIS", "postal_code_malformed"),
    "I-R-ZERO-PC": ("4 PLACE CARRIAT", None, "01000 BOURG EN BRESSE", "postal_code_corrected"),
    "I-R-MISSPELT": ("20 RUE MERCIERE", None, "69002 LYON", "locality_corrected"),
    "I-R-MISMATCH": (None, None, "69002 MARSEILLE", "locality_mismatch"),
    "I-R-CEDEX": ("8 RUE DE LA BOETIE", "BP 45", "75008 PARIS CEDEX 08", "valid"),
    "I-R-CEDEX-CODE": ("1 PLACE DE LA DEFENSE", None, "92039 PARIS LA DEFENSE CEDEX",
                       "cedex_not_verifiable"),
    "I-R-MOVED": ("5 RUE NOUVELLE", None, "13001 MARSEILLE", "valid"),
}


@pytest.fixture(scope="module")
def rnvp(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    land = build_planted_landing()
    for individual_id, fields in CONTACTS.items():
        land.person(individual_id)
        land.rows["individuals"][-1].update(fields)
    land.add("address_changes", individual_id="I-R-MOVED", address_line_1="9 rue Intermédiaire",
             postal_code="69002", city="Lyon", country_code="FR",
             moved_at="2025-01-01T00:00:00")
    land.add("address_changes", individual_id="I-R-MOVED", address_line_1="5 rue Nouvelle",
             postal_code="13001", city="Marseille", country_code="FR",
             moved_at="2026-03-01T00:00:00")
    # a move after the as-of date is not known yet
    land.add("address_changes", individual_id="I-R-MOVED", address_line_1="7 rue Future",
             postal_code="31000", city="Toulouse", country_code="FR",
             moved_at="2026-09-01T00:00:00")
    land.add("deceased_notices", individual_id="I-R-DECEASED", deceased_on="2026-05-02")
    # two malformed French postal codes ('ABCDE', '1000') of 44 stay under the gate's 5 %
    assert len(land.rows["individuals"]) * 0.05 > 2
    folder = tmp_path_factory.mktemp("rnvp")
    land.write(folder / "landing")
    warehouse = folder / "warehouse.duckdb"
    result = run_main_job(folder / "landing", warehouse, AS_OF)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    columns = ("line_1", "line_2", "line_3", "line_4", "line_5", "line_6", "postal_status",
               "email_normalized", "phone_e164", "quality_status", "quality_reasons",
               "is_deceased", "address_moved_at", "household_id")
    rows = rows_by_key(warehouse, f"select individual_id, {', '.join(columns)} "
                                  "from marts.rnvp_contacts")
    return {key: dict(zip(columns, values, strict=True)) for key, values in rows.items()}


def test_one_row_per_individual_and_every_line_fits_the_norm(rnvp: dict[str, dict]) -> None:
    assert len(rnvp) == len(build_planted_landing().rows["individuals"]) + len(CONTACTS)
    for row in rnvp.values():
        for n in range(1, 7):
            line = row[f"line_{n}"]
            assert line is None or (len(line) <= 38 and line == line.upper()), row


@pytest.mark.parametrize("individual_id", sorted(EXPECTED_LINES))
def test_lines_and_postal_status(rnvp: dict[str, dict], individual_id: str) -> None:
    row = rnvp[individual_id]
    line_4, line_5, line_6, postal_status = EXPECTED_LINES[individual_id]
    assert row["postal_status"] == postal_status
    assert row["line_6"] == line_6
    if line_4 is not None:
        assert row["line_4"] == line_4
    if line_5 is not None:
        assert row["line_5"] == line_5


def test_a_long_street_label_is_abbreviated_only_then(rnvp: dict[str, dict]) -> None:
    long = rnvp["I-R-LONG"]
    assert long["line_4"].startswith("3 BD MAL ") and len(long["line_4"]) <= 38
    assert "street_abbreviated" in long["quality_reasons"]
    assert "street_abbreviated" not in rnvp["I-R-BIS"]["quality_reasons"]


def test_complements_go_to_their_lines(rnvp: dict[str, dict]) -> None:
    row = rnvp["I-R-COMPLEMENTS"]
    assert (row["line_2"], row["line_4"]) == ("APT 12", "7 ALLEE DES TILLEULS")
    assert "RESIDENCE LES PINS" in row["line_3"] and "BATIMENT B" in row["line_3"]


def test_email_and_phone(rnvp: dict[str, dict]) -> None:
    good, bad = rnvp["I-R-CONTACT"], rnvp["I-R-BAD-CONTACT"]
    assert (good["email_normalized"], good["phone_e164"]) == ("jean.dupont@example.fr",
                                                              "+33612345678")
    assert (bad["email_normalized"], bad["phone_e164"]) == (None, None)
    assert bad["quality_status"] == "incomplete"
    assert set(bad["quality_reasons"].split(", ")) == {"email_invalid", "phone_invalid"}


def test_quality_status_is_the_worst_reason(rnvp: dict[str, dict]) -> None:
    assert rnvp["I-R-ACCENT"]["quality_status"] == "valid"
    assert rnvp["I-R-ACCENT"]["quality_reasons"] == ""
    assert rnvp["I-R-UNKNOWN-PC"]["quality_status"] == "undeliverable"
    assert rnvp["I-R-MISSPELT"]["quality_status"] == "corrected"
    deceased = rnvp["I-R-DECEASED"]
    assert (deceased["quality_status"], deceased["is_deceased"]) == ("do_not_contact", True)
    assert deceased["quality_reasons"].startswith("deceased")


def test_the_latest_known_move_is_applied(rnvp: dict[str, dict]) -> None:
    moved = rnvp["I-R-MOVED"]
    assert str(moved["address_moved_at"]).startswith("2026-03-01")
    assert "moved" in moved["quality_reasons"]


def test_households_are_derived_from_the_normalised_address(rnvp: dict[str, dict]) -> None:
    first, second = rnvp["I-R-HOUSE-1"], rnvp["I-R-HOUSE-2"]
    assert first["household_id"] == second["household_id"]
    assert first["household_id"].startswith("HD-")
    assert rnvp["I-R-ACCENT"]["household_id"] != first["household_id"]
