"""GDPR erasure in Dagster: the dbt GDPR models (candidates, then, behind the circuit
breaker, manifest, tombstones and audit log), then the erasure inside the warehouse."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetKey,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dagster_dbt import DbtCliResource

from orchestration.dbt_assets import OWNER, WAREHOUSE_ERASURE_KEY, dbt_step_target
from orchestration.project import crm_dbt_project
from orchestration.publish import table_exists
from orchestration.resources import RunSettingsResource, WarehouseWriterResource
from orchestration.settings import RunSettings

TOMBSTONES_KEY = AssetKey(["gdpr", "erasure_tombstones"])
AUDIT_LOG_KEY = AssetKey(["gdpr", "erasure_audit_log"])
# dbt models of the erasure step itself: a rebuild of the warehouse must not re-run them
ERASURE_STEP_TAG = "gdpr_erasure_step"


def subjects_erased_in_run(warehouse_path: Path, run_id: str) -> int:
    """Rows the audit log gained in this run: one per subject erased."""
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        return con.execute(
            "select count(*) from gdpr.erasure_audit_log where run_id = ?", [run_id]
        ).fetchall()[0][0]


# The row the circuit breaker's dbt test stores when it stops a run (store_failures), with
# the message to print: tests/generic/gdpr_circuit_breaker.sql.
CIRCUIT_BREAKER_TABLE = ("gdpr", "gdpr_circuit_breaker")


def circuit_breaker_message(build_path: Path) -> str | None:
    """Why the circuit breaker stopped the run that built `build_path`; None if it did not."""
    schema, table = CIRCUIT_BREAKER_TABLE
    with duckdb.connect(str(build_path), read_only=True) as con:
        if not table_exists(con, schema, table):
            return None
        rows = con.execute(f"select message from {schema}.{table}").fetchall()
    return str(rows[0][0]) if rows else None


def read_candidate_counts(warehouse_path: Path) -> dict[str, int]:
    """GDPR candidates per erasure_status (to_erase, held, erased); empty if not built."""
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        if not table_exists(con, "marts", "gdpr_erasure_candidates"):
            return {}
        rows = con.execute(
            "select erasure_status, count(*) from marts.gdpr_erasure_candidates group by 1"
        ).fetchall()
    return {str(status): int(n) for status, n in rows}


@asset(
    key=WAREHOUSE_ERASURE_KEY,
    group_name="gdpr",
    deps=[TOMBSTONES_KEY, AUDIT_LOG_KEY],
    owners=[OWNER],
    kinds={"dbt", "duckdb"},
)
def warehouse_erasure(
    context: AssetExecutionContext, dbt: DbtCliResource, run_settings: RunSettingsResource,
    warehouse: WarehouseWriterResource,
) -> Iterator[Any]:
    """Erasure inside the warehouse: once this run's subjects are tombstoned, rebuild the
    models (dbt run of everything downstream of the tombstones). The landing checks blank
    the personal columns (meta pii of the landing contract) of tombstoned subjects, so no
    table keeps them, and their stage becomes `erased`. Nothing to do when nobody was
    erased."""
    settings = run_settings.resolve()
    build = warehouse.build_path(settings, context.run.run_id)
    erased = subjects_erased_in_run(build, context.run.run_id)
    if erased:
        dbt_vars = json.dumps(settings.dbt_vars(run_id=context.run.run_id, warehouse_path=build))
        # every model reading the tombstones, and what is built on them (the erasure step
        # itself excluded); the data tests ran on this data earlier in the run
        with dbt_step_target(context) as target_path:
            dbt.cli(
                ["run", "--select", "source:gdpr.erasure_tombstones_of_past_runs+",
                 "--exclude", f"tag:{ERASURE_STEP_TAG}", "--vars", dbt_vars],
                manifest=crm_dbt_project().manifest_path, target_path=target_path,
            ).wait()
    if settings.is_replay:
        context.log.info(replay_note(settings))
    context.log.info(f"{erased} subject(s) erased in this run")
    yield MaterializeResult(
        metadata={
            "subjects_erased": erased,
            "replay": settings.is_replay,
            "candidates": MetadataValue.json(read_candidate_counts(build)),
        }
    )


def format_gdpr_summary(warehouse_path: Path, settings: RunSettings | None = None) -> str:
    """What the terminal shows after a run: GDPR candidates per status, the audit log size,
    and on a replay that nobody was erased."""
    counts = read_candidate_counts(warehouse_path)
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        audited = con.execute("select count(*) from gdpr.erasure_audit_log").fetchall()[0][0]
    per_status = ", ".join(f"{status} {counts.get(status, 0)}"
                           for status in ("to_erase", "held", "erased"))
    summary = (f"GDPR erasure candidates: {sum(counts.values())} ({per_status}); "
               f"subjects erased so far (audit log): {audited}")
    if settings is not None and settings.is_replay:
        summary += f"\n{replay_note(settings)}"
    return summary


def replay_note(settings: RunSettings) -> str:
    """What a replay says of the erasure, in the step's log and the run summary alike."""
    return (f"replay of {settings.as_of_date} (run date {settings.run_date}): the candidates "
            "are listed for audit, nobody was erased (erasure happens only when AS_OF_DATE is "
            "the day of the run)")
