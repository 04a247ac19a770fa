"""Jobs and the daily schedule."""

from dagster import AssetSelection, ScheduleDefinition, define_asset_job

from orchestration.assets import (
    crm_dbt_gated_outputs,
    crm_dbt_models,
    demo_landing_data,
    inactivity_summary,
)
from orchestration.quality_gate import landing_quality_gate

# The warehouse job reads whatever RAW_DATA_DIR holds; it never generates demo data, so a
# scheduled run on real data cannot be fed invented rows.
build_warehouse = define_asset_job(
    name="build_warehouse",
    selection=AssetSelection.assets(
        crm_dbt_models, landing_quality_gate, crm_dbt_gated_outputs, inactivity_summary
    ),
    description=(
        "dbt build (seeds, models, tests) into WAREHOUSE_PATH, the Great Expectations gate, "
        "the outputs behind it (RNVP), then the summary report."
    ),
)

generate_demo_data = define_asset_job(
    name="generate_demo_data",
    selection=AssetSelection.assets(demo_landing_data),
    description="Writes the deterministic demo landing set into data/demo.",
)

# 06:00 Paris: after the nightly source exports, before the departments start work.
daily_warehouse_build = ScheduleDefinition(
    name="daily_warehouse_build",
    job=build_warehouse,
    cron_schedule="0 6 * * *",
    execution_timezone="Europe/Paris",
)
