"""Great Expectations suites, built in code from the landing rules (``TableRules``).

One suite per landing table, ``landing__<table>``, validated on ``staging.stg_landing__<table>``:

- key present and unique (``ExpectColumnValuesToNotBeNull`` on each key column,
  ``ExpectColumnValuesToBeUnique`` / ``ExpectCompoundColumnsToBeUnique``),
- required columns not null (``ExpectColumnValuesToNotBeNull``),
- categorical columns within the contract's list (``ExpectColumnValuesToBeInSet``; staging
  has already lower-cased and trimmed them, the lists are lower-cased here),
- dates of past events not after the run date (``ExpectColumnValuesToBeBetween`` with a
  ``max_value``: date columns ``<= run_date``, timestamps ``< run_date + 1 day``, UTC),
- references resolvable (``UnexpectedRowsExpectation``: anti-join returning the orphans),
- volume within ``volume_band`` of the previous run (``ExpectTableRowCountToBeBetween``).

And ``contacts__postal_codes``: on individuals whose country is FR or empty, the share of
present postal codes that are not five digits (``^[0-9]{5}$``) at most
``max_invalid_postal_code_share`` (``ExpectColumnValuesToMatchRegex`` with ``mostly``).
Missing postal codes are not counted (a contact without a postal address is not malformed).

Each suite validates a query asset that adds one column, ``gx_row_key``, naming the row by
its key (``O1`` or ``(A1, I1, buyer, 2024-01-01)`` for composite keys): the checkpoint's
``unexpected_index_column_names`` is one list for all suites, so the key must have one name.

Every expectation carries ``meta``: ``rule`` (key_present, key_unique, required,
accepted_values, not_after_run_date, reference, volume, postal_code_share) and ``notes``
(the one-line description shown in the report and in Data Docs).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.config import GateConfig
from expectations.duckdb_dialect import COLUMNS_ONLY_MARKER
from expectations.rules import TableRules

ROW_KEY = "gx_row_key"
POSTAL_CODES_SUITE = "contacts__postal_codes"
POSTAL_CODE_REGEX = "^[0-9]{5}$"


@dataclass(frozen=True)
class VolumeBound:
    """The volume expectation of one table, from quality.landing_load_log.

    ``previous_rows`` None: no previous run, no volume expectation (``note`` says so).
    ``previous_rows`` 0: any count is accepted (a band around 0 would be meaningless).
    """

    table: str
    previous_rows: int | None
    band: float
    note: str = ""

    @property
    def min_value(self) -> int | None:
        if self.previous_rows is None:
            return None
        if self.previous_rows == 0:
            return 0
        low = Decimal(self.previous_rows) * (1 - Decimal(str(self.band)))
        return max(0, math.ceil(low))

    @property
    def max_value(self) -> int | None:
        if not self.previous_rows:
            return None
        return math.floor(Decimal(self.previous_rows) * (1 + Decimal(str(self.band))))


@dataclass(frozen=True)
class SuiteSpec:
    """A suite and the query asset it validates."""

    suite: gx.ExpectationSuite
    asset_name: str
    query: str
    key_columns: tuple[str, ...]
    skipped: tuple[str, ...] = ()  # checks not built this run, with why (e.g. no previous run)


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def row_key_sql(key_columns: tuple[str, ...]) -> str:
    """SQL naming a row by its key: the value, or ``(v1, v2, ...)`` for a composite key."""
    parts = [f"coalesce(cast({quote(c)} as varchar), 'null')" for c in key_columns]
    if len(parts) == 1:
        return parts[0]
    return "'(' || concat_ws(', ', " + ", ".join(parts) + ") || ')'"


def asset_query(rules: TableRules) -> str:
    """The query asset's SQL. The leading marker tells the dialect that, executed on its
    own (GX does so only to read the column names), it needs no rows."""
    return (
        f"{COLUMNS_ONLY_MARKER} {row_key_sql(rules.key_columns)} as {ROW_KEY}, * "
        f"from {rules.relation}"
    )


def key_label(key_columns: tuple[str, ...]) -> str:
    """``order_id`` or ``(account_id, individual_id)``: how the report names the key."""
    return key_columns[0] if len(key_columns) == 1 else "(" + ", ".join(key_columns) + ")"


def _meta(rule: str, notes: str) -> dict:
    return {"rule": rule, "notes": notes}


def _not_after(column: str, data_type: str, run_date: date) -> gxe.Expectation:
    notes = f"{column} is not after the run date {run_date.isoformat()}"
    if data_type.strip().lower() == "date":
        return gxe.ExpectColumnValuesToBeBetween(
            column=column,
            max_value=datetime.combine(run_date, time()),
            meta=_meta("not_after_run_date", notes),
        )
    # timestamps (UTC wall clock in staging): anything on the run date itself is fine
    return gxe.ExpectColumnValuesToBeBetween(
        column=column,
        max_value=datetime.combine(run_date + timedelta(days=1), time()),
        strict_max=True,
        meta=_meta("not_after_run_date", notes + " (UTC)"),
    )


def reference_query(rules: TableRules, column: str, parent: TableRules) -> str:
    """Rows of the batch whose ``column`` is set but matches no key of ``parent``."""
    (parent_key,) = parent.key_columns
    col, pk = quote(column), quote(parent_key)
    return (
        f"select child.{ROW_KEY}, child.{col} "
        f"from {{batch}} as child "
        f"left join {parent.relation} as parent on parent.{pk} = child.{col} "
        f"where child.{col} is not null and parent.{pk} is null"
    )


def table_suite(
    rules: TableRules,
    all_rules: dict[str, TableRules],
    run_date: date,
    volume: VolumeBound | None,
) -> SuiteSpec:
    """The suite ``landing__<table>`` (see the module docstring)."""
    expectations: list[gxe.Expectation] = []
    keys = rules.key_columns
    for column in keys:
        expectations.append(
            gxe.ExpectColumnValuesToNotBeNull(
                column=column, meta=_meta("key_present", f"key column {column} is present")
            )
        )
    if len(keys) == 1:
        expectations.append(
            gxe.ExpectColumnValuesToBeUnique(
                column=keys[0], meta=_meta("key_unique", f"key {keys[0]} is unique")
            )
        )
    else:
        expectations.append(
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=list(keys),
                ignore_row_if="never",
                meta=_meta("key_unique", f"key {key_label(keys)} is unique"),
            )
        )
    for column in rules.required:
        if column in keys:
            continue
        expectations.append(
            gxe.ExpectColumnValuesToNotBeNull(
                column=column, meta=_meta("required", f"required column {column} is present")
            )
        )
    for column, values in rules.accepted_values.items():
        expectations.append(
            gxe.ExpectColumnValuesToBeInSet(
                column=column,
                value_set=list(values),
                meta=_meta("accepted_values", f"{column} is one of {', '.join(values)}"),
            )
        )
    for column in rules.not_after_run_date:
        expectations.append(_not_after(column, rules.columns.get(column, ""), run_date))
    for column, parent_table in rules.references.items():
        parent = all_rules[parent_table]
        expectations.append(
            gxe.UnexpectedRowsExpectation(
                unexpected_rows_query=reference_query(rules, column, parent),
                description=f"{column} references {parent.relation}.{parent.key_columns[0]}",
                meta={
                    **_meta(
                        "reference",
                        f"every {column} is a {parent_table} key ({parent.key_columns[0]})",
                    ),
                    "column": column,
                },
            )
        )
    skipped: list[str] = []
    suite_meta = {"notes": f"Landing rules of {rules.table}, checked on {rules.relation}."}
    if volume is None or volume.previous_rows is None:
        why = volume.note if volume and volume.note else "no previous run in the load log"
        skipped.append(f"volume: {why}")
        suite_meta["volume"] = f"not checked: {why}"
    else:
        if volume.previous_rows == 0:
            notes = "previous run staged 0 rows: any row count is accepted"
        else:
            notes = (
                f"row count within ±{volume.band:.0%} of the previous run's "
                f"{volume.previous_rows} rows"
            )
        expectations.append(
            gxe.ExpectTableRowCountToBeBetween(
                min_value=volume.min_value,
                max_value=volume.max_value,
                meta={**_meta("volume", notes), "previous_rows": volume.previous_rows},
            )
        )
    suite = gx.ExpectationSuite(name=rules.suite_name, expectations=expectations, meta=suite_meta)
    return SuiteSpec(
        suite=suite,
        asset_name=f"stg_landing__{rules.table}",
        query=asset_query(rules),
        key_columns=keys,
        skipped=tuple(skipped),
    )


def postal_codes_query(individuals: TableRules) -> str:
    """Individuals with a French (or unspecified) country: the postal-code population."""
    return (
        f"{asset_query(individuals)} "
        "where country_code is null or upper(trim(country_code)) in ('FR', '')"
    )


def postal_codes_suite(individuals: TableRules, config: GateConfig) -> SuiteSpec:
    mostly = round(1 - config.max_invalid_postal_code_share, 10)
    expectation = gxe.ExpectColumnValuesToMatchRegex(
        column="postal_code",
        regex=POSTAL_CODE_REGEX,
        mostly=mostly,
        meta=_meta(
            "postal_code_share",
            f"at most {config.max_invalid_postal_code_share:.2%} of French postal codes are "
            "malformed (not five digits)",
        ),
    )
    suite = gx.ExpectationSuite(
        name=POSTAL_CODES_SUITE,
        expectations=[expectation],
        meta={
            "notes": "French postal codes (individuals with country_code FR or empty) are "
            "five digits, but for a tolerated share."
        },
    )
    return SuiteSpec(
        suite=suite,
        asset_name="individuals_postal_codes",
        query=postal_codes_query(individuals),
        key_columns=individuals.key_columns,
    )


def build_suites(
    rules: list[TableRules],
    *,
    run_date: date,
    config: GateConfig,
    volumes: dict[str, VolumeBound],
) -> list[SuiteSpec]:
    """Every suite of the gate: one per table of ``rules``, then the postal codes (if the
    rules include ``individuals``)."""
    by_table = {r.table: r for r in rules}
    specs = [table_suite(r, by_table, run_date, volumes.get(r.table)) for r in rules]
    if "individuals" in by_table:
        specs.append(postal_codes_suite(by_table["individuals"], config))
    return specs
