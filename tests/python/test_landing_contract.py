"""The landing contract is declared once, in the dbt sources (_landing__sources.yml), which
the landing checks, the demo data and the planted landing set read
(orchestration/landing_contract.py). Here that declaration is checked against CONTRACT.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from orchestration.landing_contract import contract_columns

REPO = Path(__file__).resolve().parents[2]
CONTRACT_MD = REPO.parent / "shared" / "CONTRACT.md"


def contract_md_inputs(text: str) -> dict[str, tuple[str, ...]]:
    """The `| table | columns |` rows of CONTRACT.md's Inputs, without the accepted values
    in brackets ("status (open, paid)" is the column status)."""
    inputs = text.split("## Inputs", 1)[1].split("\n## ", 1)[0]
    tables = {}
    for line in inputs.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 2 or cells[0] in ("table", "---") or not cells[1]:
            continue
        columns = re.sub(r"\([^)]*\)", "", cells[1])
        tables[cells[0]] = tuple(column.strip() for column in columns.split(","))
    return tables


def test_the_sources_declare_the_tables_and_columns_of_contract_md() -> None:
    if not CONTRACT_MD.exists():
        pytest.skip(f"{CONTRACT_MD} is absent (../shared beside the repository)")
    expected = contract_md_inputs(CONTRACT_MD.read_text(encoding="utf-8"))
    assert len(expected) == 18
    # the same tables and columns, in the same order
    assert list(contract_columns().items()) == list(expected.items())


def test_the_macro_listing_the_landing_tables_lists_the_sources() -> None:
    """landing_table_names() is a static list (models loop over it to ref every base model,
    and dbt sees refs at parse time, before `graph` holds the sources): the one copy left."""
    macro = (REPO / "macros" / "checked_landing_rows.sql").read_text(encoding="utf-8")
    body = macro.split("{% macro landing_table_names() %}", 1)[1].split("{% endmacro %}", 1)[0]
    assert re.findall(r"'(\w+)'", body) == list(contract_columns())


def test_contract_md_rows_are_read_without_their_accepted_values() -> None:
    text = ("## Inputs\n\n| table | columns |\n|---|---|\n"
            "| orders | order_id, status (placed, delivered), amount |\n\n## Outputs\n"
            "| individual_activity | one row per individual | individual_id |\n")
    assert contract_md_inputs(text) == {"orders": ("order_id", "status", "amount")}
