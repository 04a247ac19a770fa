"""Landing files that cannot be read as the contract says stop the run before any model is
built, with a message naming the file and what to do: a table landed both as Parquet and as
CSV, a CSV not separated by commas, a CSV not in UTF-8 (with the line of the first bad byte).

Each run stops at on-run-start (register_landing_tables), so it is fast.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
import pytest
from main_job import query, run_main_job
from planted_landing import AS_OF, write_planted_landing

pytestmark = pytest.mark.slow  # runs the main job (`make test-fast` leaves it out)


def run(landing: Path, warehouse: Path) -> subprocess.CompletedProcess[str]:
    return run_main_job(landing, warehouse, AS_OF, GDPR_HASH_SALT="test-salt", RUN_DATE=AS_OF)


def assert_stopped_before_any_model(result: subprocess.CompletedProcess[str],
                                    warehouse: Path) -> None:
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    assert "does not match the contract" in result.stderr, result.stderr[-3000:]
    # the warehouse, and any copy the run built aside, hold no model
    for database in warehouse.parent.glob("*.duckdb"):
        assert query(
            database,
            "select count(*) from information_schema.tables "
            "where table_schema not in ('landing', 'information_schema', 'pg_catalog')",
        ) == [(0,)], database


@pytest.fixture(scope="module")
def bad_files_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One landing folder with every kind of unreadable file (each in its own table): the
    run lists them all, so one run checks every message."""
    tmp_path = tmp_path_factory.mktemp("landing_files")
    landing = write_planted_landing(tmp_path / "landing")
    # tickets: landed twice
    csv, parquet = landing / "tickets.csv", landing / "tickets.parquet"
    duckdb.sql(f"copy (from read_csv('{csv}', all_varchar = true)) to '{parquet}'")
    # not separated by commas
    for table, separator in (("payments", ";"), ("quotes", "\t"), ("subscriptions", "|")):
        path = landing / f"{table}.csv"
        path.write_text(path.read_text(encoding="utf-8").replace(",", separator),
                        encoding="utf-8")
    # individuals: valid UTF-8 accents on line 2, Latin-1 ones on lines 6 and 9
    individuals = landing / "individuals.csv"
    lines = individuals.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b"Jean", "André".encode())
    for index in (5, 8):
        lines[index] = lines[index].replace(b"Martin", "Lefèvre".encode("latin-1"))
    individuals.write_bytes(b"\n".join(lines))
    # orders: on the first data row (DuckDB's own error quotes the header then)
    orders = landing / "orders.csv"
    lines = orders.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b",web", ",boutique Orléans".encode("latin-1"))
    orders.write_bytes(b"\n".join(lines))
    # accounts: a French spreadsheet export, semicolons and Latin-1: both are reported
    accounts = landing / "accounts.csv"
    lines = accounts.read_bytes().replace(b",", b";").split(b"\n")
    acme = next(i for i, line in enumerate(lines) if b"ACME SA" in line)
    lines[acme] = lines[acme].replace(b"ACME SA", "Société ACME".encode("latin-1"))
    accounts.write_bytes(b"\n".join(lines))
    warehouse = tmp_path / "w.duckdb"
    return {"landing": landing, "warehouse": warehouse, "accounts_line": acme + 1,
            "result": run(landing, warehouse)}


def test_the_run_stops_before_any_model(bad_files_run: dict) -> None:
    assert_stopped_before_any_model(bad_files_run["result"], bad_files_run["warehouse"])


def test_a_table_landed_as_both_parquet_and_csv_is_named(bad_files_run: dict) -> None:
    landing, stderr = bad_files_run["landing"], bad_files_run["result"].stderr
    assert (f"table 'tickets': both {landing}/tickets.parquet and {landing}/tickets.csv are "
            "present: keep only one of them" in stderr), stderr[-3000:]


def test_a_csv_not_separated_by_commas_is_reported_as_such(bad_files_run: dict) -> None:
    landing, stderr = bad_files_run["landing"], bad_files_run["result"].stderr
    for table, shown in (("payments", "';'"), ("quotes", "a tab"), ("subscriptions", "'|'"),
                         ("accounts", "';'")):
        assert (f"table '{table}': is {landing / table}.csv comma-separated? Its header reads "
                f"as a single column containing {shown}" in stderr), stderr[-3000:]
    # the columns are not "missing": the separator is wrong
    assert "missing required column" not in stderr


def test_a_csv_not_in_utf8_names_the_line_of_the_first_bad_byte(bad_files_run: dict) -> None:
    landing, stderr = bad_files_run["landing"], bad_files_run["result"].stderr
    for table, line in (("individuals", 6), ("orders", 2),
                        ("accounts", bad_files_run["accounts_line"])):
        assert (f"table '{table}': {landing / table}.csv is not in UTF-8, the encoding the "
                f"contract wants: line {line} (the header being line 1) is the first with a "
                "character that is not valid UTF-8" in stderr), stderr[-3000:]
