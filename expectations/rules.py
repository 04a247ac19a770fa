"""The gate's rules, read from the landing contract declared once in dbt.

Single source of truth: ``models/staging/landing/_landing__sources.yml``. Each column may
carry ``data_type`` and, in ``meta``, ``key``, ``required``, ``references``,
``accepted_values``, ``not_after_run_date`` (and ``pii``, ignored here). The row-level
quarantine (macro ``checked_landing_rows``) reads the same declarations.

``rules_from_manifest`` reads them from a compiled dbt manifest (what runs in production);
``rules_from_sources_yaml`` reads the YAML file itself (no dbt parse needed: tests, CLI).
Both return the same ``TableRules`` list, in declaration order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SOURCE_NAME = "landing"
STAGING_SCHEMA = "staging"
DEFAULT_SOURCES_YAML = (
    Path(__file__).resolve().parent.parent
    / "models"
    / "staging"
    / "landing"
    / "_landing__sources.yml"
)


@dataclass(frozen=True)
class TableRules:
    """What the gate checks on one landing table (validated on its staging relation).

    - ``key_columns``: the primary key (one or more columns): each present, unique together.
    - ``required``: columns declared ``required: true`` (must not be null). Key columns are
      required anyway; they are not repeated here unless the YAML says so.
    - ``references``: {column: parent table}; the value must be the (single-column) key of
      a row of the parent's staging relation; null is allowed unless the column is required.
    - ``accepted_values``: {column: [values]}, lower-cased and trimmed.
    - ``not_after_run_date``: date / timestamp columns that must not be after the run date.
    - ``columns``: {column: data_type} for every contract column, in order (data_type may be
      ``""`` when undeclared).
    """

    table: str
    key_columns: tuple[str, ...]
    required: tuple[str, ...] = ()
    references: dict[str, str] = field(default_factory=dict)
    accepted_values: dict[str, list[str]] = field(default_factory=dict)
    not_after_run_date: tuple[str, ...] = ()
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def relation(self) -> str:
        """The staging relation the gate validates, ``staging.stg_landing__<table>``."""
        return f"{STAGING_SCHEMA}.stg_landing__{self.table}"

    @property
    def suite_name(self) -> str:
        return f"landing__{self.table}"


class RulesError(ValueError):
    """The declared rules are inconsistent (no key, reference to an unknown table...)."""


def _table_rules(table: str, columns: list[tuple[str, str, dict[str, Any]]]) -> TableRules:
    key, required, not_after = [], [], []
    references: dict[str, str] = {}
    accepted: dict[str, list[str]] = {}
    for name, _data_type, meta in columns:
        if meta.get("key"):
            key.append(name)
        if meta.get("required"):
            required.append(name)
        if meta.get("references"):
            references[name] = str(meta["references"])
        if meta.get("accepted_values"):
            accepted[name] = [str(v).strip().lower() for v in meta["accepted_values"]]
        if meta.get("not_after_run_date"):
            not_after.append(name)
    if not key:
        raise RulesError(f"landing table {table!r} declares no key column (meta key: true)")
    return TableRules(
        table=table,
        key_columns=tuple(key),
        required=tuple(required),
        references=references,
        accepted_values=accepted,
        not_after_run_date=tuple(not_after),
        columns={name: data_type for name, data_type, _ in columns},
    )


def check_rules(rules: list[TableRules]) -> list[TableRules]:
    """Every reference must name a known table whose key is a single column."""
    by_table = {r.table: r for r in rules}
    for r in rules:
        for column, parent in r.references.items():
            if parent not in by_table:
                raise RulesError(f"{r.table}.{column} references unknown table {parent!r}")
            if len(by_table[parent].key_columns) != 1:
                raise RulesError(
                    f"{r.table}.{column} references {parent!r}, whose key is not one column: "
                    f"{by_table[parent].key_columns}"
                )
    return rules


def rules_from_manifest(manifest_path: Path | str) -> list[TableRules]:
    """The rules of every ``landing`` source table of a compiled dbt manifest."""
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    rules = []
    for node in manifest["sources"].values():
        if node.get("source_name") != SOURCE_NAME:
            continue
        columns = [
            (
                name,
                column.get("data_type") or "",
                column.get("meta") or (column.get("config") or {}).get("meta") or {},
            )
            for name, column in node["columns"].items()
        ]
        rules.append(_table_rules(node["name"], columns))
    if not rules:
        raise RulesError(f"no {SOURCE_NAME!r} source tables in {manifest_path}")
    return check_rules(rules)


def rules_from_sources_yaml(yaml_path: Path | str = DEFAULT_SOURCES_YAML) -> list[TableRules]:
    """The same rules read straight from the dbt source YAML (no ``dbt parse`` needed)."""
    document = yaml.safe_load(Path(yaml_path).read_text(encoding="utf-8"))
    rules = []
    for source in document.get("sources", []):
        if source.get("name") != SOURCE_NAME:
            continue
        for table in source.get("tables", []):
            columns = [
                (c["name"], c.get("data_type") or "", c.get("meta") or {})
                for c in table.get("columns", [])
            ]
            rules.append(_table_rules(table["name"], columns))
    if not rules:
        raise RulesError(f"no {SOURCE_NAME!r} source tables in {yaml_path}")
    return check_rules(rules)
