"""What a run ends with: the count per lifecycle stage and level (the summary asset, and
the table `make run` prints), the HTML report beside the warehouse, and the publish."""

from collections.abc import Mapping
from pathlib import Path

import duckdb
from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from orchestration.dbt_assets import (
    CONTACT_LOG_KEY,
    MART_KEYS,
    OWNER,
    QUALITY_GATE_KEY,
    RNVP_CONTACTS_KEY,
    WAREHOUSE_ERASURE_KEY,
)
from orchestration.progress import run_step_timings, step_timings_markdown
from orchestration.quality import quarantined_rows
from orchestration.report import report_markdown, write_report
from orchestration.resources import RunSettingsResource, WarehouseWriterResource

LIFECYCLE_STAGES = ("erased", "prospect", "active", "at_risk", "dormant", "lost")


def read_stage_counts(warehouse_path: Path) -> dict[str, dict[str, int]]:
    """Rows per lifecycle stage for each level, read from marts.*_activity (read-only)."""
    counts: dict[str, dict[str, int]] = {}
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        for level, key in MART_KEYS.items():
            rows = con.execute(
                f"select lifecycle_stage, count(*) from marts.{key.path[-1]} group by 1"
            ).fetchall()
            counts[level] = {str(stage): int(n) for stage, n in rows}
    return counts


def format_stage_table(counts: Mapping[str, Mapping[str, int]]) -> str:
    """A markdown table, column-aligned so it also reads well in a terminal."""
    stages = list(LIFECYCLE_STAGES) + sorted(
        {s for per_level in counts.values() for s in per_level} - set(LIFECYCLE_STAGES)
    )
    header = ["lifecycle_stage", *counts]
    body = [[stage, *(str(counts[lvl].get(stage, 0)) for lvl in counts)] for stage in stages]
    body.append(["total", *(str(sum(counts[lvl].values())) for lvl in counts)])
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        # Stage names left-aligned, counts right-aligned.
        padded = [cells[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(cells[1:], widths[1:])]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 1) + (":" if i else "-") for i, w in enumerate(widths)) + "|"
    return "\n".join([line(header), rule, *(line(row) for row in body)])


@asset(
    group_name="reports",
    # after the GDPR erasure when a run has it (build_and_erase), so the counts include it
    deps=[*MART_KEYS.values(), WAREHOUSE_ERASURE_KEY],
    owners=[OWNER],
    kinds={"duckdb"},
)
def inactivity_summary(
    context: AssetExecutionContext, run_settings: RunSettingsResource,
    warehouse: WarehouseWriterResource,
) -> MaterializeResult:
    """Count of individuals, households and accounts per lifecycle stage after a build."""
    settings = run_settings.resolve()
    build = warehouse.build_path(settings, context.run.run_id)
    counts = read_stage_counts(build)
    return MaterializeResult(
        metadata={
            # Every stage every time (0 included), so the UI plots each as a steady series.
            **{
                f"{level}/{stage}": per_stage.get(stage, 0)
                for level, per_stage in counts.items()
                for stage in dict.fromkeys([*LIFECYCLE_STAGES, *sorted(per_stage)])
            },
            **{f"{level}/total": sum(per_stage.values()) for level, per_stage in counts.items()},
            "summary": MetadataValue.md(format_stage_table(counts)),
            # Landing rows the checks set aside this run (quality.landing_quarantine).
            **{f"quarantined/{table}": n for table, n in quarantined_rows(build).items()},
            "as_of_date": settings.as_of_date,
            "raw_data_dir": MetadataValue.path(str(settings.landing_dir)),
            "warehouse_path": MetadataValue.path(str(settings.warehouse_path)),
        }
    )


INACTIVITY_REPORT_KEY = AssetKey(["reports", "inactivity_report"])
# The score and the backtest the report shows (issue 10), by key: the report runs after
# them in every job that builds them.
SCORE_AND_BACKTEST_KEYS = [
    AssetKey(["marts", "inactivity_score_model"]),
    AssetKey(["marts", "inactivity_score_calibration"]),
    AssetKey(["marts", "inactivity_window_backtest"]),
]


@asset(
    key=INACTIVITY_REPORT_KEY,
    group_name="reports",
    # Everything the report reads, and the gate: a build that failed it (and will not be
    # published) does not replace the report of the published warehouse. After the erasure
    # and the reactivation step when the job has them.
    deps=[*MART_KEYS.values(), QUALITY_GATE_KEY, WAREHOUSE_ERASURE_KEY, CONTACT_LOG_KEY,
          AssetKey(["marts", "lifecycle_stage_history"]),
          AssetKey(["marts", "reactivation_kpis"]),
          AssetKey(["marts", "reactivation_kpis_monthly"]),
          AssetKey(["quality", "landing_quarantine"]), *SCORE_AND_BACKTEST_KEYS],
    owners=[OWNER],
    kinds={"html"},
)
def inactivity_report(
    context: AssetExecutionContext, run_settings: RunSettingsResource,
    warehouse: WarehouseWriterResource,
) -> MaterializeResult:
    """One self-contained HTML file beside the warehouse (`<warehouse stem>_report.html`,
    orchestration/report.py): stages per level, inactivity over time, the reactivation
    funnel and KPIs, the score (per stage, calibration, weights), the backtest of the
    windows, the landing rows set aside. Written from this run's build just before it is
    published; its substance is in the `preview` metadata (the UI cannot open a file://
    link)."""
    settings = run_settings.resolve()
    build = warehouse.build_path(settings, context.run.run_id)
    summary = write_report(build, settings.report_path, as_of_date=settings.as_of_date,
                           run_id=context.run.run_id, warehouse_name=settings.warehouse_path.name)
    context.log.info(f"report written to {summary.path}")
    return MaterializeResult(metadata={
        "path": MetadataValue.path(str(summary.path)),
        "preview": MetadataValue.md(report_markdown(summary, LIFECYCLE_STAGES)),
        "as_of_date": settings.as_of_date,
        # points drawn per chart: 0 is a chart that says "no rows"
        **{f"points/{name}": points for name, points in summary.plot_points.items()},
        **({"score_auc": summary.score.auc, "score_baseline_auc": summary.score.baseline_auc}
           if summary.score and summary.score.auc is not None else {}),
    })


PUBLISHED_KEY = AssetKey(["warehouse", "published"])


@asset(
    key=PUBLISHED_KEY,
    group_name="publish",
    # last: after everything a run may write (each job selects what it has of these)
    deps=[inactivity_summary.key, QUALITY_GATE_KEY, RNVP_CONTACTS_KEY,
          WAREHOUSE_ERASURE_KEY, CONTACT_LOG_KEY, INACTIVITY_REPORT_KEY],
    owners=[OWNER],
    kinds={"duckdb"},
)
def published_warehouse(
    context: AssetExecutionContext, run_settings: RunSettingsResource,
    warehouse: WarehouseWriterResource,
) -> MaterializeResult:
    """WAREHOUSE_PATH, replaced atomically by this run's checked build (orchestration/
    publish.py): consumers reading it never see a half-built or unchecked warehouse. Refused
    unless the quality gate passed in this run."""
    settings = run_settings.resolve()
    published = warehouse.publish(settings, context.run.run_id)
    context.log.info(f"published {published}")
    return MaterializeResult(metadata={
        "warehouse_path": MetadataValue.path(str(published)),
        "as_of_date": settings.as_of_date,
        "run_date": settings.run_date,
        "size_mb": round(published.stat().st_size / 1e6, 1),
        # each step's time up to this one (make run prints the same, orchestration/progress.py)
        "step_timings": MetadataValue.md(step_timings_markdown(
            run_step_timings(context.instance, context.run.run_id))),
    })
