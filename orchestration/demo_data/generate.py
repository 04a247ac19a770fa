"""Generation of the demo landing set: one in-memory DuckDB connection that gets the run's
settings and reference lists as variables, runs the macro scripts and staging steps of
`sql/`, then writes each landing table's query to `<table>.parquet`."""

from __future__ import annotations

import datetime
import json
import tempfile
from pathlib import Path

import duckdb

from orchestration.demo_data import sql
from orchestration.demo_data.reference_lists import reference_lists
from orchestration.landing_contract import contract_columns
from orchestration.settings import files_digest, today_utc

MEMORY_LIMIT = "8GB"  # DuckDB spills to a temporary folder beyond this
MAX_INDIVIDUALS = 9_999_999  # 'I' + 7 digits: string order of the ids stays numeric order
PACKAGE_DIR = Path(__file__).resolve().parent


def generator_files() -> list[Path]:
    """The package's code: every .py and .sql file of orchestration/demo_data."""
    return sorted(path for pattern in ("*.py", "*.sql") for path in PACKAGE_DIR.rglob(pattern))


def generated_landing_data(
    out_dir: Path, individuals: int, seed: int, as_of: datetime.date
) -> tuple[dict[str, int], bool]:
    """The landing tables of these settings in out_dir, written unless they already are:
    (row counts, whether they were written). The files are kept as they are (same size and
    time) when out_dir holds them already, so that a run with nothing new has nothing to do
    (orchestration/run_inputs.py). The package's own code (Python and SQL) is part of the
    settings."""
    settings = {"individuals": individuals, "seed": seed, "as_of": as_of.isoformat(),
                "generator": files_digest(generator_files())}
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


def _set_variables(
    con: duckdb.DuckDBPyConnection, individuals: int, seed: int, as_of: datetime.date
) -> None:
    """The run's settings and the reference lists, as the DuckDB variables that
    `sql/macros.sql` and `sql/reference_lists.sql` read."""
    variables = {
        "individuals": int(individuals),
        # Python's round (half to even), as the generator always did
        "b2b_accounts": max(3, round(individuals * 0.03)),
        "seed": int(seed),
        "as_of": as_of,
        "reference_lists": reference_lists(),
    }
    for name, value in variables.items():
        # the names are the fixed ones above; the values go in as parameters
        con.execute(f"SET VARIABLE {name} = $1", [value])


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
            _set_variables(con, individuals, seed, as_of)
            for script in sql.macro_scripts():
                con.execute(script)
            for script in sql.staging_scripts():
                con.execute(script)
            if con.execute("SELECT count(*) >= max_campaigns() FROM campaigns").fetchone()[0]:
                raise RuntimeError("too many campaigns for the email event id layout")
            for table, columns in contract_columns().items():
                query = sql.landing_query(table)
                described = con.execute(f"DESCRIBE {query}").fetchall()
                if tuple(row[0] for row in described) != columns:
                    raise AssertionError(f"{table}: columns differ from the contract")
                target = str(out / f"{table}.parquet").replace("'", "''")
                # newlines: a query ending in a -- comment must not swallow the bracket
                counts[table] = con.execute(
                    f"COPY (\n{query}\n) TO '{target}' (FORMAT parquet)"
                ).fetchone()[0]
        finally:
            con.close()
    return counts
