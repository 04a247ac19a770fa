"""The same dbt models on Spark as on DuckDB: `make test-spark` (issue 12, part 3).

Each landing set is built twice with the same vars, models and data tests (a failing test
fails the build): on DuckDB (target `local`, the warehouse) and on Spark (target `spark`,
dbt-spark in session mode, orchestration/spark_build.py). Spark's tables are Parquet files in
its warehouse folder; DuckDB reads them. Each status mart must hold the same rows, column for
column and type for type, and each landing check the same verdicts (quarantine reasons,
nulled values), as DuckDB's.

Two landing sets: the demo generator's (300 people; two tables as CSV, the others Parquet),
and the end-to-end tests' planted set with one bad row per landing check (all CSV).
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.demo_data.generate import generate_landing_data
from orchestration.settings import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "tests" / "python"))
from bad_landing_rows import EXPECTED_QUARANTINE, add_bad_rows
from planted_landing import build_planted_landing

AS_OF_DATE = "2026-06-30"
INDIVIDUALS = 300
# the statuses every department shares, at the three levels, and the department views
STATUS_MARTS = ("individual_activity", "household_activity", "account_activity")
DEPARTMENT_VIEWS = ("sales_customer_status", "billing_customer_status", "after_sales_customer_status")
SELECTION = [f"+{name}" for name in (*STATUS_MARTS, *DEPARTMENT_VIEWS)]
# landed as CSV (names and addresses with accents and quotes, amounts, timestamps); the
# other tables as Parquet, as the generator writes them
CSV_TABLES = ("individuals", "orders")
# what the landing checks decide for each row
VERDICT_COLUMNS = ("source_row_number", "source_record_key", "is_quarantined", "failed_checks",
                   "quarantine_reasons", "value_issues")


def _generated_landing(folder: Path) -> None:
    generate_landing_data(folder, INDIVIDUALS, seed=42,
                          as_of=datetime.date.fromisoformat(AS_OF_DATE))
    for table in CSV_TABLES:
        parquet = folder / f"{table}.parquet"
        duckdb.read_parquet(str(parquet)).write_csv(str(folder / f"{table}.csv"), header=True)
        parquet.unlink()


def _planted_landing_with_bad_rows(folder: Path) -> None:
    land = build_planted_landing()
    add_bad_rows(land)
    land.write(folder)


LANDING_SETS = {"generated": _generated_landing, "planted": _planted_landing_with_bad_rows}


def _dbt_vars(landing: Path, warehouse: Path) -> str:
    return json.dumps({"raw_data_dir": str(landing), "as_of_date": AS_OF_DATE,
                       "run_date": AS_OF_DATE, "warehouse_path": str(warehouse)})


def _run(command: list[str], log: Path, env: dict[str, str]) -> float:
    """Run a build; its wall time. The log (dbt's output) is kept beside the tables."""
    started = time.monotonic()
    with log.open("w") as out:
        completed = subprocess.run(command, cwd=REPO_ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, check=False)
    output = log.read_text()
    if completed.returncode != 0:
        pytest.fail(f"{' '.join(command[:4])} ... failed:\n{output[-6000:]}")
    print(f"{log.stem}: {[line for line in output.splitlines() if 'Done. PASS=' in line][-1]}")
    return time.monotonic() - started


@pytest.fixture(scope="module", params=sorted(LANDING_SETS))
def builds(request, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp(f"spark_check_{request.param}")
    landing = root / "clients'_landing"  # a quote: paths reach Spark SQL quoted, not raw
    LANDING_SETS[request.param](landing)
    duckdb_file = root / "duckdb" / "warehouse.duckdb"
    duckdb_file.parent.mkdir()
    spark_dir = root / "spark"
    env = {**os.environ, "SPARK_WAREHOUSE_DIR": str(spark_dir)}
    # the models and their data tests (those whose every parent is built: cautious); the unit
    # tests are DuckDB's (make unit), one of them reads a seed with DuckDB's read_csv
    build = ["build", "--no-use-colors", "--select", *SELECTION, "--indirect-selection", "cautious",
             "--exclude-resource-type", "unit_test", "--vars", _dbt_vars(landing, duckdb_file)]
    dbt = str(Path(sys.executable).with_name("dbt"))
    # its own target folder: target/manifest.json is the one Dagster reads
    duckdb_seconds = _run([dbt, *build, "--target", "local", "--target-path", str(root / "target")],
                          root / "duckdb.log", env)
    spark_seconds = _run([sys.executable, "-m", "orchestration.spark_build", *build],
                         root / "spark.log", env)
    print(f"{request.param}: built on DuckDB in {duckdb_seconds:.0f} s, on Spark in {spark_seconds:.0f} s")
    return {"landing": request.param, "duckdb": duckdb_file, "spark_tables": spark_dir / "tables"}


def _differences(builds: dict, schema: str, name: str, columns: list[str] | None = None) -> dict:
    """Row counts, the columns whose types differ, and up to 5 rows found on one side only."""
    con = duckdb.connect(str(builds["duckdb"]), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")  # Spark's timestamps are instants, shown in UTC
        spark = f"read_parquet('{builds['spark_tables'] / f'{schema}.db' / name}/*.parquet')"
        duckdb_types = dict(con.execute(
            f"select column_name, data_type from information_schema.columns "
            f"where table_schema = '{schema}' and table_name = '{name}'").fetchall())
        spark_types = {row[0]: row[1] for row in con.execute(f"describe select * from {spark}").fetchall()}
        columns = columns or list(duckdb_types)
        listed = ", ".join(columns)
        return {
            "columns": len(columns),
            "rows": con.execute(f"select count(*) from {schema}.{name}").fetchall()[0][0],
            "spark_rows": con.execute(f"select count(*) from {spark}").fetchall()[0][0],
            # Spark's timestamp is an instant (Parquet's with time zone): the same values
            "types": {column: (duckdb_types[column], spark_types.get(column)) for column in columns
                      if spark_types.get(column, "").replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMP")
                      != duckdb_types[column]},
            "duckdb_only": con.execute(f"select {listed} from {schema}.{name} except all "
                                       f"select {listed} from {spark} limit 5").fetchall(),
            "spark_only": con.execute(f"select {listed} from {spark} except all "
                                      f"select {listed} from {schema}.{name} limit 5").fetchall(),
        }
    finally:
        con.close()


@pytest.mark.parametrize("mart", STATUS_MARTS)
def test_spark_builds_the_same_status_rows_as_duckdb(builds, mart):
    found = _differences(builds, "marts", mart)
    print(f"{builds['landing']}: {mart}: {found['rows']} rows x {found['columns']} columns compared")
    assert found["rows"] > 0 and found["rows"] == found["spark_rows"]
    assert found["types"] == {}
    assert found["duckdb_only"] == [] and found["spark_only"] == [], found


def test_spark_landing_checks_give_the_same_verdicts(builds):
    base_tables = sorted(path.name for path in (builds["spark_tables"] / "staging.db").iterdir()
                         if path.name.startswith("base_landing__"))
    assert len(base_tables) >= 15
    for name in base_tables:
        found = _differences(builds, "staging", name, list(VERDICT_COLUMNS))
        assert found["rows"] == found["spark_rows"], name
        assert found["duckdb_only"] == [] and found["spark_only"] == [], (name, found)
    with duckdb.connect(str(builds["duckdb"]), read_only=True) as con:
        quarantined = sum(
            con.execute(f"select count(*) from staging.{name} where is_quarantined").fetchall()[0][0]
            for name in base_tables)
    print(f"{builds['landing']}: {len(base_tables)} landing tables' verdicts compared, "
          f"{quarantined} rows quarantined on both")
    if builds["landing"] == "planted":  # every bad row quarantined (one per check) on both
        assert quarantined >= len(EXPECTED_QUARANTINE)


def test_a_missing_postal_reference_stops_the_spark_build_and_says_how_to_get_it(tmp_path):
    """The same message as on DuckDB, not Spark's PATH_NOT_FOUND from its file listing."""
    missing = tmp_path / "reference" / "postal_codes.csv"
    completed = subprocess.run(
        [sys.executable, "-m", "orchestration.spark_build", "run", "--no-use-colors",
         "--select", "stg_reference__postal_codes",
         "--vars", json.dumps({"postal_reference_csv": str(missing), "as_of_date": AS_OF_DATE})],
        cwd=REPO_ROOT, env={**os.environ, "SPARK_WAREHOUSE_DIR": str(tmp_path / "spark")},
        capture_output=True, text=True, timeout=600,
        check=False)
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0
    assert f"The postal reference {missing} is missing: run `make setup`" in output, output[-3000:]
    assert "PATH_NOT_FOUND" not in output
