"""The Great Expectations gate as a Dagster asset: one blocking asset check per suite, in
front of the outputs (dbt models tagged behind_quality_gate: RNVP, GDPR, reactivation)."""

import json
from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import Any

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    ConfigurableResource,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from expectations.config import GateConfig
from expectations.gate import GateReport, quality_dir, run_quality_gate
from expectations.rules import TableRules, rules_from_manifest
from expectations.suites import POSTAL_CODES_SUITE
from orchestration.dbt_assets import MART_KEYS, OWNER, QUALITY_GATE_KEY, crm_dbt_models
from orchestration.project import crm_dbt_project
from orchestration.publish import record_gate_result
from orchestration.report import markdown_escape
from orchestration.resources import RunSettingsResource, WarehouseWriterResource
from orchestration.settings import duckdb_memory_limit

LOAD_LOG_KEY = AssetKey(["quality", "landing_load_log"])
GATE_REPORT_FILE = "gate_report.json"


class QualityGateResource(ConfigurableResource):
    """Per-run overrides of expectations/gate_config.yml (e.g. from the Launchpad: accept a
    bigger volume change once, after a known backfill). Unset fields keep the file's value."""

    volume_band: float | None = None
    max_invalid_postal_code_share: float | None = None
    failing_rows_shown: int | None = None

    def config(self) -> GateConfig:
        return GateConfig.load(overrides=self.model_dump())


@cache
def gate_rules() -> list[TableRules]:
    """The gate's rules, one per landing table, read from the dbt manifest (the landing
    contract) on first use."""
    return rules_from_manifest(crm_dbt_project().manifest_path)


def suite_names() -> list[str]:
    """The gate's suites: one per landing table, and the postal codes'."""
    return [rules.suite_name for rules in gate_rules()] + [POSTAL_CODES_SUITE]


def _check_result(suite: str, report: GateReport) -> AssetCheckResult:
    failures = report.failures_of(suite)
    return AssetCheckResult(
        check_name=suite,
        passed=report.suites.get(suite, False),
        severity=AssetCheckSeverity.ERROR,
        metadata={
            "failed_expectations": len(failures),
            "failures": MetadataValue.md(
                "\n".join(f"- {failure.line()}" for failure in failures) or "none"
            ),
        },
    )


def data_docs_markdown(report: GateReport) -> str:
    """One row per suite (passed or not, failed expectations), then each failure with its
    rows, as the Data Docs show them. Markdown-escaped: values come from the data."""
    rows = [f"| {suite} | {'passed' if passed else '**failed**'} | "
            f"{len(report.failures_of(suite))} |" for suite, passed in report.suites.items()]
    failures = [f"- {markdown_escape(failure.line())}" for failure in report.failures]
    return "\n".join(["| suite | result | failed expectations |", "|---|---|---:|", *rows,
                      *(["", "**Failures**", "", *failures] if failures else [])])


# The gate reads the staged landing tables and the load log (the previous run's volumes).
STAGING_KEYS = sorted(
    (key for key in crm_dbt_models.keys if key.path[-1].startswith("stg_landing__")),
    key=lambda key: key.to_user_string(),
)
# It runs once the warehouse's models are built, after the score's fit (hence the marts of the
# three levels, which read the scores): what is behind the gate then depends on nothing built
# after it but the gate, and Dagster runs it as one dbt step instead of three
# (assets.crm_dbt_outputs).
BUILT_WAREHOUSE_KEYS = list(MART_KEYS.values())


@asset(
    key=QUALITY_GATE_KEY,
    group_name="quality",
    deps=[*STAGING_KEYS, LOAD_LOG_KEY, *BUILT_WAREHOUSE_KEYS],
    owners=[OWNER],
    kinds={"great_expectations", "duckdb"},
    check_specs=[
        AssetCheckSpec(name=suite, asset=QUALITY_GATE_KEY, blocking=True,
                       description=f"Great Expectations suite {suite}")
        for suite in suite_names()
    ],
)
def landing_quality_gate(
    context: AssetExecutionContext,
    run_settings: RunSettingsResource,
    quality_gate: QualityGateResource,
    warehouse: WarehouseWriterResource,
) -> Iterator[Any]:
    """Great Expectations suites (expectations/) on the staged landing data: keys,
    references, categories, dates, volumes against the previous run, postal codes. One
    blocking check per suite: a failure stops the outputs behind the gate in this run (the
    rest of the warehouse is already built) and names the expectation and the rows."""
    settings = run_settings.resolve()
    build = warehouse.build_path(settings, context.run.run_id)
    context.log.info(f"Great Expectations suites on {build}")
    out_dir = quality_dir(settings.warehouse_path)  # beside the published warehouse
    report = run_quality_gate(
        build, rules=gate_rules(), output_dir=out_dir,
        run_date=date.fromisoformat(settings.run_date), config=quality_gate.config(),
        memory_limit=duckdb_memory_limit(),
    )
    (out_dir / GATE_REPORT_FILE).write_text(json.dumps(report.to_dict(), indent=2))
    # the publish step publishes this run's build only if this says it passed
    record_gate_result(build, context.run.run_id, settings.as_of_date, report.success,
                       [suite for suite, passed in report.suites.items() if not passed])
    log = context.log.info if report.success else context.log.error
    log(report.summary())
    yield MaterializeResult(
        metadata={
            "passed": report.success,
            "seconds": round(report.seconds, 1),
            "data_docs": MetadataValue.url(report.data_docs_index.resolve().as_uri()),
            "data_docs_path": MetadataValue.path(str(report.data_docs_index)),
            "summary": MetadataValue.md(f"```\n{report.summary()}\n```"),
            # the substance of the Data Docs, readable in the UI (a file:// link does not
            # open from its http page)
            "data_docs_summary": MetadataValue.md(data_docs_markdown(report)),
        },
    )
    for suite in suite_names():
        yield _check_result(suite, report)
    if not report.success:
        # The failed blocking checks already stop what is behind the gate; failing the step
        # too puts the expectations and rows in the run's error (and `make run`'s message).
        raise Failure(description=report.summary())
