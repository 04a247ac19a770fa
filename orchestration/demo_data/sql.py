"""The demo data's SQL, read from the `.sql` files beside this module (sqlfluff lints them
with `sql/.sqlfluff`: plain DuckDB, no templating).

- `sql/macros.sql`, `sql/reference_lists.sql`, `sql/with_address.sql`: the macros every step
  uses, created first. The run's settings and reference lists reach them as DuckDB variables
  (`generate.py` sets them), so no file is filled in by Python.
- `sql/staging/<step>.sql`: the working tables, built in the order of `STAGING_STEPS`
  (later ones read earlier ones); a table macro that reads a table follows it in its step's
  file (DuckDB binds a table macro when it is created).
- `sql/landing/<table>.sql`: one query per landing table, of one shape: the innermost select
  yields narrow rows (integer keys, ages in days), `select * from (...) order by <key>`
  sorts them by a numeric key (cheap, and the id order), and the outer select turns them
  into the contract's columns (string ids, timestamps). The outer select must stay row-wise
  (no subquery, no join): anything else would undo the sort, and the file is written in key
  order.
"""

from __future__ import annotations

from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent / "sql"

MACRO_SCRIPTS: tuple[str, ...] = (
    "macros.sql",
    "reference_lists.sql",
    "with_address.sql",
)

STAGING_STEPS: tuple[str, ...] = (
    "dwellings",
    "people",
    "people_events",
    "accounts",
    "contacts",
    "campaigns",
    "recipients",
    "reactivation",
    "retention",
    "sessions",
    "orders",
    "invoices",
)


def read(relative: str) -> str:
    """The text of one SQL file of the package (path relative to `sql/`)."""
    return (SQL_DIR / relative).read_text(encoding="utf-8")


def macro_scripts() -> list[str]:
    """The macro scripts, in creation order."""
    return [read(name) for name in MACRO_SCRIPTS]


def staging_scripts() -> list[str]:
    """The staging steps' scripts, in build order."""
    return [read(f"staging/{step}.sql") for step in STAGING_STEPS]


def landing_query(table: str) -> str:
    """The query whose rows are the landing table `table`, in key order."""
    return read(f"landing/{table}.sql")


def used_files(tables: list[str]) -> list[Path]:
    """Every SQL file a generation of these landing tables reads."""
    return [SQL_DIR / name for name in MACRO_SCRIPTS] + [
        SQL_DIR / "staging" / f"{step}.sql" for step in STAGING_STEPS
    ] + [SQL_DIR / "landing" / f"{table}.sql" for table in tables]
