"""Volume history: each table's staged row count at the previous run.

``quality.landing_load_log`` has one row per landing table per dbt run (appended before the
gate runs, so the latest ``loaded_at`` is the current run). For each table, the previous
count is ``rows_staged`` of that table's most recent entry written by an EARLIER run than
the current one (another ``dbt_invocation_id``, ``loaded_at`` before the current run's
first entry). No such entry, or no log table at all: no volume expectation for that table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from expectations.suites import VolumeBound

LOAD_LOG = "quality.landing_load_log"

_PREVIOUS_COUNTS = f"""
with current_run as (
    select dbt_invocation_id, min(loaded_at) as started_at
    from {LOAD_LOG}
    where dbt_invocation_id = (
        select dbt_invocation_id from {LOAD_LOG} order by loaded_at desc limit 1
    )
    group by dbt_invocation_id
),
earlier as (
    select
        log.source_table,
        log.rows_staged,
        row_number() over (partition by log.source_table order by log.loaded_at desc) as recency
    from {LOAD_LOG} as log, current_run
    where log.dbt_invocation_id <> current_run.dbt_invocation_id
      and log.loaded_at < current_run.started_at
      and log.rows_staged is not null
)
select source_table, rows_staged from earlier where recency = 1
"""


@dataclass(frozen=True)
class WarehouseState:
    """What the gate reads before validating (one short read-only connection)."""

    relations: frozenset[str]  # "schema.name" of every table and view
    previous_counts: dict[str, int] | None  # None: no load log table


def inspect_warehouse(warehouse_path: Path) -> WarehouseState:
    """The warehouse's relations and each table's rows_staged at the previous run."""
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        relations = frozenset(
            f"{schema}.{name}"
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        )
        counts = None
        if LOAD_LOG in relations:
            rows = con.execute(_PREVIOUS_COUNTS).fetchall()
            counts = {table: int(count) for table, count in rows}
    return WarehouseState(relations, counts)


def volume_bounds(
    counts: dict[str, int] | None, tables: list[str], band: float
) -> dict[str, VolumeBound]:
    """The volume expectation of each table (``previous_rows`` None when there is none)."""
    bounds = {}
    for table in tables:
        if counts is None:
            bounds[table] = VolumeBound(table, None, band, f"no table {LOAD_LOG}")
        elif table not in counts:
            bounds[table] = VolumeBound(table, None, band, "no previous run in the load log")
        else:
            bounds[table] = VolumeBound(table, counts[table], band)
    return bounds
