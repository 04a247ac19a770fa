"""The same dbt models on Spark as on DuckDB: `make test-spark` (issue 12, part 3).

One generated landing set is built twice with the same vars, models and data tests (a failing
test fails the build): on DuckDB (target `local`, the warehouse) and on Spark (target `spark`,
dbt-spark in session mode, orchestration/spark_build.py).
Spark's tables are Parquet files in its warehouse folder; DuckDB reads them, and each status
mart must hold the same rows, column for column, as DuckDB's.
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

AS_OF_DATE = "2026-06-30"
INDIVIDUALS = 300
# the statuses every department shares, at the three levels, and the department views
STATUS_MARTS = ("individual_activity", "household_activity", "account_activity")
DEPARTMENT_VIEWS = ("sales_customer_status", "billing_customer_status", "after_sales_customer_status")
SELECTION = [f"+{name}" for name in (*STATUS_MARTS, *DEPARTMENT_VIEWS)]
# landed as CSV (names and addresses with accents and quotes, amounts, timestamps); the
# other tables as Parquet, as the generator writes them
CSV_TABLES = ("individuals", "orders")


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


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("spark_check")
    landing = root / "landing"
    generate_landing_data(landing, INDIVIDUALS, seed=42,
                          as_of=datetime.date.fromisoformat(AS_OF_DATE))
    for table in CSV_TABLES:  # both readers of each engine: these two come as CSV
        parquet = landing / f"{table}.parquet"
        duckdb.sql(f"copy (select * from '{parquet}') to '{landing / table}.csv' (header)")
        parquet.unlink()
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
    print(f"\nbuilt on DuckDB in {duckdb_seconds:.0f} s, on Spark in {spark_seconds:.0f} s")
    return {"duckdb": duckdb_file, "spark_tables": spark_dir / "tables"}


def _spark_relation(builds: dict, schema: str, name: str) -> str:
    folder = builds["spark_tables"] / f"{schema}.db" / name
    return f"read_parquet('{folder}/*.parquet')"


@pytest.mark.parametrize("mart", STATUS_MARTS)
def test_spark_builds_the_same_status_rows_as_duckdb(builds, mart):
    con = duckdb.connect(str(builds["duckdb"]), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")  # Spark's timestamps are instants, shown in UTC
        columns = [row[0] for row in con.execute(
            f"select column_name from information_schema.columns where table_schema = 'marts' "
            f"and table_name = '{mart}' order by ordinal_position").fetchall()]
        listed = ", ".join(columns)
        duckdb_rows = con.execute(f"select count(*) from marts.{mart}").fetchall()[0][0]
        spark = _spark_relation(builds, "marts", mart)
        only_duckdb = con.execute(
            f"select {listed} from marts.{mart} except all select {listed} from {spark} limit 5"
        ).fetchall()
        only_spark = con.execute(
            f"select {listed} from {spark} except all select {listed} from marts.{mart} limit 5"
        ).fetchall()
    finally:
        con.close()
    print(f"{mart}: {duckdb_rows} rows x {len(columns)} columns compared")
    assert duckdb_rows > 0
    assert only_duckdb == [] and only_spark == [], (
        f"{mart}: rows differ ({len(columns)} columns compared)\n"
        f"DuckDB only: {only_duckdb}\nSpark only: {only_spark}")
