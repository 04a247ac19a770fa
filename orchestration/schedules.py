"""Jobs and their schedules.

Every job runs its steps one after the other in one process (in_process_executor): the
steps write one build file (DuckDB allows a single writer) under one writer lock, and the
last step publishes it (orchestration/publish.py).
"""

from dagster import (
    AssetKey,
    AssetSelection,
    ScheduleDefinition,
    define_asset_job,
    in_process_executor,
)

from orchestration.dbt_assets import (
    GDPR_TAG,
    REACTIVATION_TAG,
    RNVP_CONTACTS_KEY,
    crm_dbt_models,
    crm_dbt_outputs,
    demo_landing_data,
)
from orchestration.gdpr import warehouse_erasure
from orchestration.quality_gate import landing_quality_gate
from orchestration.reactivation import exports_scrubbed, reactivation_exports
from orchestration.report_assets import (
    inactivity_report,
    inactivity_summary,
    published_warehouse,
)
from orchestration.score.assets import FEATURES_KEY, inactivity_score_fit

# The warehouse job reads whatever RAW_DATA_DIR holds; it never generates demo data, so a
# scheduled run on real data cannot be fed invented rows.
# Each writing job ends with published_warehouse: it builds into a private copy and
# publishes it atomically once the gate passed (orchestration/publish.py).
# The score's fit sits inside the dbt models step (criteria -> fit -> scores): Dagster runs
# that step in two parts around it.
WAREHOUSE_ASSETS = AssetSelection.assets(
    crm_dbt_models, landing_quality_gate, RNVP_CONTACTS_KEY, inactivity_summary,
    inactivity_score_fit, inactivity_report, published_warehouse,
)
# The monthly refit: the score's criteria and what they are built from, the gate, a new fit
# and the marts that show it. The daily runs then score with it.
SCORE_REFIT_ASSETS = (
    AssetSelection.assets(FEATURES_KEY).upstream()
    - AssetSelection.assets(demo_landing_data)
    | AssetSelection.assets(
        landing_quality_gate, inactivity_score_fit, AssetKey(["marts", "inactivity_score_model"]),
        AssetKey(["marts", "inactivity_score_calibration"]), published_warehouse,
    )
)
# The RNVP file, the GDPR and the reactivation dbt models share one step behind the gate
# (crm_dbt_outputs); each job selects its own part of it (by dbt tag).
_REACTIVATION_MODELS = [spec.key for spec in crm_dbt_outputs.specs
                        if REACTIVATION_TAG in spec.tags]
_GDPR_MODELS = [spec.key for spec in crm_dbt_outputs.specs if GDPR_TAG in spec.tags]
# Every job that publishes rewrites the report, so it shows what was published (after an
# erasure too).
GDPR_ASSETS = AssetSelection.assets(
    landing_quality_gate, *_GDPR_MODELS, warehouse_erasure, inactivity_report,
    published_warehouse, exports_scrubbed,
)
# On the built warehouse: the gate, the GDPR candidates alone (who must not be relaunched:
# erasure requested or due), the reactivation models, then the exports once published.
REACTIVATION_ASSETS = AssetSelection.assets(
    landing_quality_gate, AssetKey(["marts", "gdpr_erasure_candidates"]), *_REACTIVATION_MODELS,
    inactivity_report, published_warehouse, reactivation_exports,
)

build_warehouse = define_asset_job(
    name="build_warehouse",
    selection=WAREHOUSE_ASSETS,
    executor_def=in_process_executor,
    description=(
        "dbt build (seeds, models, tests) into WAREHOUSE_PATH, the Great Expectations gate, "
        "the outputs behind it (RNVP), then the summary and the HTML report."
    ),
)

generate_demo_data = define_asset_job(
    name="generate_demo_data",
    selection=AssetSelection.assets(demo_landing_data),
    executor_def=in_process_executor,
    description="Writes the deterministic demo landing set into data/demo.",
)

gdpr_erasure = define_asset_job(
    name="gdpr_erasure",
    selection=GDPR_ASSETS,
    executor_def=in_process_executor,
    description=(
        "On the built warehouse: the quality gate, the GDPR candidates, then behind the circuit "
        "breaker the manifest, tombstones and audit log, then the erasure inside the warehouse. "
        "Run config resources.run_settings.config.approve_gdpr_erasure: true approves a run "
        "the breaker stopped."
    ),
)

reactivation = define_asset_job(
    name="reactivation",
    selection=REACTIVATION_ASSETS,
    executor_def=in_process_executor,
    description=(
        "On the built warehouse: the quality gate, the GDPR candidates, the reactivation "
        "targets, exclusions, custom audience and contact log, then the export files for the "
        "marketing tools in EXPORT_DIR."
    ),
)

# What `make run` runs: all three, in one run (one gate, the summary and exports last).
build_and_erase = define_asset_job(
    name="build_and_erase",
    selection=WAREHOUSE_ASSETS | GDPR_ASSETS | REACTIVATION_ASSETS,
    executor_def=in_process_executor,
    description="build_warehouse, gdpr_erasure and reactivation in one run: what `make run` "
                "executes.",
)

refit_inactivity_score = define_asset_job(
    name="refit_inactivity_score",
    selection=SCORE_REFIT_ASSETS,
    executor_def=in_process_executor,
    config={"ops": {"inactivity_score_fit": {"config": {"refit": True}}}},
    description=(
        "Refits the inactivity score's model at the as-of date (criteria, the gate, the fit, "
        "its weights and calibration marts); the daily runs score with the last fit. Fails "
        "when the history cannot train and evaluate a model."
    ),
)

# 06:00 Paris: after the nightly source exports, before the departments start work.
daily_warehouse_build = ScheduleDefinition(
    name="daily_warehouse_build",
    job=build_warehouse,
    cron_schedule="0 6 * * *",
    execution_timezone="Europe/Paris",
)

# Every day after the warehouse build (06:00), before the marketing tools' morning sends.
daily_reactivation = ScheduleDefinition(
    name="daily_reactivation",
    job=reactivation,
    cron_schedule="30 6 * * *",
    execution_timezone="Europe/Paris",
)

# The first of each month, before that day's warehouse build scores with the new fit.
monthly_score_refit = ScheduleDefinition(
    name="monthly_score_refit",
    job=refit_inactivity_score,
    cron_schedule="0 5 1 * *",
    execution_timezone="Europe/Paris",
)

# The first of each month, after that day's warehouse build.
monthly_gdpr_erasure = ScheduleDefinition(
    name="monthly_gdpr_erasure",
    job=gdpr_erasure,
    cron_schedule="0 7 1 * *",
    execution_timezone="Europe/Paris",
)
