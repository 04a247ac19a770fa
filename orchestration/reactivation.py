"""Reactivation in Dagster: the export files for the marketing tools, written from the
published warehouse, and the run summary (targets per scenario, step and channel,
exclusions per reason, export paths)."""

from pathlib import Path

import duckdb
from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from orchestration.dbt_assets import OWNER
from orchestration.exports import (
    ExportResult,
    atomic_text_file,
    scrub_export_dirs,
    write_reactivation_exports,
)
from orchestration.publish import table_exists
from orchestration.report_assets import PUBLISHED_KEY
from orchestration.resources import RunSettingsResource
from orchestration.settings import RunSettings

EXPORTS_KEY = AssetKey(["reactivation", "exports"])
EXPORTS_SCRUBBED_KEY = AssetKey(["gdpr", "exports_scrubbed"])
# targets shown in the asset's metadata: ids only, no personal data in Dagster's storage
PREVIEW_ROWS = 20
PREVIEW_COLUMNS = ("priority", "individual_id", "targeting_level", "targeted_entity_id",
                   "scenario", "wave", "channel")


def latest_logged_date(con: duckdb.DuckDBPyConnection) -> str | None:
    """The latest as-of date in reactivation.contact_log (None before its first run)."""
    if not table_exists(con, "reactivation", "contact_log"):
        return None
    latest = con.execute("select max(as_of_date) from reactivation.contact_log").fetchall()[0][0]
    return latest.isoformat() if latest else None


def exports_are_due(warehouse_path: Path, as_of_date: str) -> bool:
    """The contact log moves forward only: a run whose as-of date is before the latest one
    logged (a replay of an earlier date) published nothing, so it exports nothing."""
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        latest = latest_logged_date(con)
    return latest is None or latest <= as_of_date


def export_dirs_used(settings: RunSettings) -> list[Path]:
    """Every folder this warehouse's exports were written to, this run's included: EXPORT_DIR
    may change between runs, and erased people must leave the files of every one of them.
    Kept beside the warehouse in `<warehouse>.export_dirs`, one folder a line."""
    registry = settings.warehouse_path.with_name(settings.warehouse_path.name + ".export_dirs")
    known = ([Path(line) for line in registry.read_text(encoding="utf-8").splitlines() if line]
             if registry.exists() else [])
    if settings.exports_dir not in known:
        known.append(settings.exports_dir)
        with atomic_text_file(registry) as handle:
            handle.writelines(f"{folder}\n" for folder in known)
    return known


def read_reactivation_counts(warehouse_path: Path) -> dict[str, dict[str, int]]:
    """Targets per 'scenario step N channel', exclusions per reason code, and the custom
    audience size, read from the marts (empty when they were not built)."""
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        if not table_exists(con, "marts", "reactivation_targets"):
            return {}
        targets = con.execute(
            "select scenario, wave, channel, count(*) from marts.reactivation_targets "
            "group by all order by all"
        ).fetchall()
        reasons = con.execute(
            "select code, count(*) from marts.reactivation_exclusions, "
            "unnest(reason_codes) as reason (code) group by all order by 2 desc, 1"
        ).fetchall()
        audience = con.execute(
            "select count(*) from marts.reactivation_custom_audience").fetchall()[0][0]
        excluded = con.execute(
            "select count(*) from marts.reactivation_exclusions").fetchall()[0][0]
    return {
        "targets": {f"{scenario} step {wave} {channel}": n for scenario, wave, channel, n in targets},
        "exclusion_reasons": {str(code): n for code, n in reasons},
        "totals": {"targets": sum(n for *_, n in targets), "excluded": excluded,
                   "custom_audience": audience},
    }


def format_reactivation_summary(warehouse_path: Path, settings: RunSettings) -> str:
    """What the terminal shows after a run."""
    counts = read_reactivation_counts(warehouse_path)
    if not counts:
        return "reactivation: not built in this run"
    totals = counts["totals"]
    lines = [f"reactivation targets: {totals['targets']} (per scenario, step and channel)"]
    lines += [f"  {label:<36}{n:>8}" for label, n in counts["targets"].items()]
    lines.append(f"not targeted: {totals['excluded']} (per reason; a person may have several)")
    lines += [f"  {code:<36}{n:>8}" for code, n in counts["exclusion_reasons"].items()]
    lines.append(f"custom audience (hashed): {totals['custom_audience']}")
    if exports_are_due(warehouse_path, settings.as_of_date):
        lines.append(f"exports in {settings.exports_dir}:")
        lines += [f"  {path.name}" for path in sorted(
            settings.exports_dir.glob(f"reactivation_*_{settings.as_of_date}.csv"))]
    else:
        lines.append(f"no export: {settings.as_of_date} is before the latest date in the "
                     "contact log (a replay publishes nothing)")
    return "\n".join(lines)


def _preview(warehouse_path: Path, as_of_date: str) -> str:
    columns = ", ".join(PREVIEW_COLUMNS)
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        rows = con.execute(
            f"select {columns} from marts.reactivation_targets where as_of_date = ? "
            f"order by priority limit {PREVIEW_ROWS}", [as_of_date]
        ).fetchall()
    table = ["| " + " | ".join(PREVIEW_COLUMNS) + " |",
             "|" + "---|" * len(PREVIEW_COLUMNS)]
    # ids, codes and numbers only (no free text from the sources): nothing to escape
    table += ["| " + " | ".join("" if cell is None else str(cell) for cell in row) + " |"
              for row in rows]
    return "\n".join(table)


@asset(
    key=EXPORTS_KEY,
    group_name="reactivation",
    deps=[PUBLISHED_KEY],
    owners=[OWNER],
    kinds={"csv"},
)
def reactivation_exports(
    context: AssetExecutionContext, run_settings: RunSettingsResource
) -> MaterializeResult:
    """The day's files for the marketing tools in EXPORT_DIR (orchestration/exports.py): one
    CSV per channel and the hashed custom audience, from the warehouse this run published.
    Written only once the warehouse that logs them is published, atomically, never on a
    replay of an earlier date; erased people are removed from every earlier file too."""
    settings = run_settings.resolve()
    published = settings.warehouse_path
    other_dirs = [folder for folder in export_dirs_used(settings)
                  if folder != settings.exports_dir]
    if not exports_are_due(published, settings.as_of_date):
        context.log.info(f"no export: {settings.as_of_date} is before the latest date in "
                         "the contact log (a replay of an earlier date publishes nothing)")
        scrubbed = scrub_export_dirs(published, [*other_dirs, settings.exports_dir])
        return MaterializeResult(metadata={"exported": False, "as_of_date": settings.as_of_date,
                                           "rows_scrubbed_from_earlier_files": scrubbed})
    result: ExportResult = write_reactivation_exports(published, settings.exports_dir,
                                                      settings.as_of)
    scrubbed = result.rows_scrubbed + scrub_export_dirs(published, other_dirs)
    counts = read_reactivation_counts(published)
    return MaterializeResult(metadata={
        "exported": True,
        "as_of_date": settings.as_of_date,
        "export_dir": MetadataValue.path(str(settings.exports_dir)),
        **{f"rows/{kind}": n for kind, n in result.row_counts.items()},
        **{f"file/{kind}": MetadataValue.path(str(path)) for kind, path in result.paths.items()},
        "rows_scrubbed_from_earlier_files": scrubbed,
        **{f"targets/{label}": n for label, n in counts["targets"].items()},
        **{f"excluded/{code}": n for code, n in counts["exclusion_reasons"].items()},
        "targets_preview": MetadataValue.md(_preview(published, settings.as_of_date)),
    })


@asset(
    key=EXPORTS_SCRUBBED_KEY,
    group_name="gdpr",
    deps=[PUBLISHED_KEY],
    owners=[OWNER],
    kinds={"csv"},
)
def exports_scrubbed(
    context: AssetExecutionContext, run_settings: RunSettingsResource
) -> MaterializeResult:
    """Erasure reaches the files already sent: once a warehouse that may have erased someone
    is published, the rows of every erased subject are removed from the reactivation files
    of every folder this warehouse's exports were ever written to (`<warehouse>.export_dirs`)."""
    settings = run_settings.resolve()
    removed = scrub_export_dirs(settings.warehouse_path, export_dirs_used(settings))
    context.log.info(f"{removed} row(s) of erased people removed from the export files")
    return MaterializeResult(metadata={"rows_removed": removed})
