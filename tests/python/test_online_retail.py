"""The UCI Online Retail II file through the importer and the main job (issue 12).

The importer's mapping is checked on a few hand-written lines; the real file (in the
`shared` folder beside the repository, never copied here) is imported and run at
AS_OF_DATE 2011-12-10, the day after its last invoice, with known stage counts.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from main_job import query, run_main_job

from expectations.rules import rules_from_sources_yaml
from orchestration.importers.online_retail import import_online_retail, main

REAL_FILE = (Path(__file__).resolve().parents[3] / "shared" / "data" / "online_retail"
             / "online_retail_ii_reconstructed_2009_2011.parquet")
AS_OF = "2011-12-10"
COLUMNS = '"Invoice", "StockCode", "Quantity", "InvoiceDate", "Price", "Customer ID", "Country"'


def write_lines(path: Path, rows: list[tuple], with_part: bool = True) -> Path:
    """An Online Retail II file of `rows` (invoice, stock code, quantity, date, price,
    customer, country[, part])."""
    names = COLUMNS + (', "source"' if with_part else "")
    values = ", ".join(
        "(" + ", ".join("null" if v is None else f"'{v}'" if isinstance(v, str) else str(v)
                        for v in row) + ")" for row in rows)
    with duckdb.connect() as con:
        con.execute(f"""
            copy (select "Invoice", "StockCode", cast("Quantity" as bigint) as "Quantity",
                         cast("InvoiceDate" as timestamp) as "InvoiceDate",
                         cast("Price" as double) as "Price",
                         cast("Customer ID" as bigint) as "Customer ID", "Country"
                         {', "source"' if with_part else ''}
                  from (values {values}) as t({names}))
            to '{path}'""")
    return path


def read(landing: Path, table: str) -> list[dict[str, str]]:
    with (landing / f"{table}.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


LATER = "online_retail_2010_2011"
EARLIER = "online_retail_ii_sheet_2009_2010"
LINES = [
    # an invoice of two lines: one order of 2 x 1.50 + 1 x 4.00 = 7.00
    ("489434", "85048", 2, "2009-12-01 07:45:00", 1.5, 13085, "United Kingdom", EARLIER),
    ("489434", "79323P", 1, "2009-12-01 07:46:00", 4.0, 13085, "United Kingdom", EARLIER),
    # the same line in both yearly parts (2010-12-01..09): one order
    ("536365", "85123A", 6, "2010-12-01 08:26:00", 2.55, 13085, "United Kingdom", EARLIER),
    ("536365", "85123A", 6, "2010-12-01 08:26:00", 2.55, 13085, "United Kingdom", LATER),
    # a line twice in one part (a real duplicate of the source): both kept
    ("536366", "22633", 6, "2010-12-15 08:28:00", 1.85, 12347, "Iceland", LATER),
    ("536366", "22633", 6, "2010-12-15 08:28:00", 1.85, 12347, "Iceland", LATER),
    # a cancellation: an after-sales return
    ("C536379", "D", -1, "2010-12-16 09:41:00", 27.5, 12347, "Iceland", LATER),
    # a guest and an adjustment: left out
    ("536414", "22139", 56, "2010-12-16 11:52:00", 0.0, None, "United Kingdom", LATER),
    ("A563185", "B", 1, "2011-08-12 14:50:00", 11062.06, None, "United Kingdom", LATER),
    # a customer whose latest invoice is from another country; one with no country code
    ("540000", "22000", 1, "2011-01-04 10:00:00", 10.0, 12347, "Portugal", LATER),
    ("540001", "22001", 1, "2011-01-05 10:00:00", 3.0, 12350, "Unspecified", LATER),
]


def test_the_importer_maps_the_file_to_the_landing_contract(tmp_path: Path) -> None:
    counts = import_online_retail(write_lines(tmp_path / "lines.parquet", LINES),
                                  tmp_path / "landing")
    landing = tmp_path / "landing"
    assert (counts.lines_read, counts.overlap_copies_dropped, counts.guest_lines,
            counts.adjustment_lines) == (11, 1, 1, 1)
    assert counts.unknown_countries == ["Unspecified"]
    # every contract table, its columns in the contract's order
    for rules in rules_from_sources_yaml():
        with (landing / f"{rules.table}.csv").open(encoding="utf-8") as file:
            assert file.readline().strip() == ",".join(rules.columns), rules.table
    orders = {row["order_id"]: row for row in read(landing, "orders")}
    assert {key: (row["individual_id"], row["account_id"], row["ordered_at"], row["amount"],
                  row["status"]) for key, row in orders.items()} == {
        "489434": ("13085", "A13085", "2009-12-01T07:45:00", "7.00", "delivered"),
        "536365": ("13085", "A13085", "2010-12-01T08:26:00", "15.30", "delivered"),
        "536366": ("12347", "A12347", "2010-12-15T08:28:00", "22.20", "delivered"),
        "540000": ("12347", "A12347", "2011-01-04T10:00:00", "10.00", "delivered"),
        "540001": ("12350", "A12350", "2011-01-05T10:00:00", "3.00", "delivered"),
    }
    [ticket] = read(landing, "tickets")
    assert (ticket["ticket_id"], ticket["individual_id"], ticket["category"],
            ticket["opened_at"], ticket["closed_at"]) == (
        "C536379", "12347", "return", "2010-12-16T09:41:00", "2010-12-16T09:41:00")
    people = {row["individual_id"]: row for row in read(landing, "individuals")}
    assert {key: (row["household_id"], row["country_code"], row["created_at"])
            for key, row in people.items()} == {
        "12347": ("H12347", "PT", "2010-12-15T08:28:00"),
        "12350": ("H12350", "", "2011-01-05T10:00:00"),
        "13085": ("H13085", "GB", "2009-12-01T07:45:00"),
    }
    assert {(row["account_id"], row["account_type"], row["business_line"])
            for row in read(landing, "accounts")} == {
        ("A12347", "b2c", "retail"), ("A12350", "b2c", "retail"), ("A13085", "b2c", "retail")}
    assert {(row["account_id"], row["individual_id"], row["role"])
            for row in read(landing, "account_contacts")} == {
        ("A12347", "12347", "buyer"), ("A12350", "12350", "buyer"), ("A13085", "13085", "buyer")}
    assert read(landing, "email_events") == []


def test_the_sheets_as_two_csv_files_give_the_same_landing(tmp_path: Path) -> None:
    """The Excel original's two sheets saved as CSV: each file is a part."""
    reference = tmp_path / "reference"
    import_online_retail(write_lines(tmp_path / "lines.parquet", LINES), reference)
    sheets = []
    for part in (EARLIER, LATER):
        parquet = write_lines(tmp_path / f"{part}.parquet",
                              [line[:7] for line in LINES if line[7] == part], with_part=False)
        sheet = tmp_path / f"{part}.csv"
        with duckdb.connect() as con:
            con.execute(f"copy (select * from '{parquet}') to '{sheet}' (header)")
        sheets.append(sheet)
    counts = import_online_retail(sheets, tmp_path / "landing")
    assert counts.overlap_copies_dropped == 1
    for table in ("individuals", "accounts", "orders", "tickets"):
        assert read(tmp_path / "landing", table) == read(reference, table), table


def test_one_file_without_parts_keeps_identical_lines_of_the_overlap_once(
    tmp_path: Path,
) -> None:
    rows = [line[:7] for line in LINES]
    counts = import_online_retail(write_lines(tmp_path / "l.parquet", rows, with_part=False),
                                  tmp_path / "landing")
    assert counts.overlap_copies_dropped == 1
    # outside the overlap, a line twice in the file stays twice (22.20, not 11.10)
    amounts = {row["order_id"]: row["amount"] for row in read(tmp_path / "landing", "orders")}
    assert amounts["536365"] == "15.30" and amounts["536366"] == "22.20"


def test_a_file_without_the_columns_is_refused_naming_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Invoice,Quantity\n1,2\n", encoding="utf-8")
    assert main([str(bad), str(tmp_path / "landing")]) == 1
    assert "missing column(s) Country, Customer ID, InvoiceDate, Price" in capsys.readouterr().err


@pytest.fixture(scope="module")
def real_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    if not REAL_FILE.exists():
        pytest.skip(f"{REAL_FILE} is absent: the shared Online Retail II file is not beside "
                    "the repository")
    folder = tmp_path_factory.mktemp("online_retail")
    counts = import_online_retail(REAL_FILE, folder / "landing")
    assert (counts.lines_read, counts.overlap_copies_dropped, counts.guest_lines,
            counts.adjustment_lines) == (1_067_370, 22_523, 235_281, 6)
    assert {table: counts.written[table] for table in
            ("individuals", "accounts", "orders", "tickets")} == {
        "individuals": 5_942, "accounts": 5_942, "orders": 36_975, "tickets": 7_901}
    warehouse = folder / "online_retail.duckdb"
    result = run_main_job(folder / "landing", warehouse, AS_OF)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return warehouse, result.stdout


@pytest.mark.slow  # runs the main job on the real file
def test_the_real_data_run_gives_the_stage_counts(real_run: tuple[Path, str]) -> None:
    warehouse, stdout = real_run
    stages = dict(query(warehouse, "select lifecycle_stage, count(*) from "
                                   "marts.individual_activity group by 1"))
    assert stages == {"prospect": 61, "active": 3098, "at_risk": 736, "dormant": 1327,
                      "lost": 720}
    at_risk_rules = dict(query(warehouse, "select status_rule, count(*) from "
                                          "marts.individual_activity where lifecycle_stage = "
                                          "'at_risk' group by 1"))
    assert at_risk_rules == {"cadence_overdue": 504, "falling_basket": 219,
                             "no_recent_purchase": 13}
    assert "5881 customers scored" in stdout


@pytest.mark.slow  # runs the main job on the real file
def test_the_most_frequent_buyer_is_not_at_risk_for_ordering_often(
    real_run: tuple[Path, str],
) -> None:
    """Customer 12748 ordered ten times in nine days before the as-of date: averaging orders,
    the last three were small baskets; counted per purchase day, they are not."""
    warehouse, _ = real_run
    assert query(warehouse, "select lifecycle_stage from marts.individual_activity "
                            "where individual_id = '12748'") == [("active",)]
    # customers buying within their usual cadence: 220 at risk (281 when baskets were orders)
    assert query(warehouse, f"""
        select count(*) filter (where activity.lifecycle_stage = 'at_risk'), count(*)
        from marts.individual_activity as activity
        join intermediate.int_entity_activity_summarised as summary
            on summary.entity_level = 'individual' and summary.entity_id = activity.individual_id
        where summary.purchase_day_count >= 3
            and date_diff('day', summary.last_purchase_at::date, date '{AS_OF}')
                <= 1.5 * summary.median_purchase_gap_days""") == [(220, 2194)]


@pytest.mark.slow  # runs the main job on the real file
def test_nobody_is_targeted_without_contact_details(real_run: tuple[Path, str]) -> None:
    """The file has no email, phone or address: every person is excluded, each with the
    reason no reachable channel among theirs."""
    warehouse, _ = real_run
    assert query(warehouse, "select count(*) from marts.reactivation_targets") == [(0,)]
    assert query(warehouse, "select count(*), count(*) filter (where list_contains("
                            "reason_codes, 'no_reachable_channel')) "
                            "from marts.reactivation_exclusions") == [(5942, 5942)]
