"""The landing contract's tables and columns, in the contract's order, read from the dbt
sources (`models/staging/landing/_landing__sources.yml`): the one declaration that the landing
checks, the demo data and the tests' planted landing set follow. test_landing_contract checks
it against CONTRACT.md."""

from functools import cache
from pathlib import Path

import yaml

SOURCES_YAML = (Path(__file__).resolve().parents[1]
                / "models" / "staging" / "landing" / "_landing__sources.yml")


@cache
def contract_columns() -> dict[str, tuple[str, ...]]:
    """{table: its columns}, both in the order of the contract."""
    sources = yaml.safe_load(SOURCES_YAML.read_text(encoding="utf-8"))["sources"]
    (landing,) = [source for source in sources if source["name"] == "landing"]
    return {table["name"]: tuple(column["name"] for column in table["columns"])
            for table in landing["tables"]}
