"""The code location: `dagster dev` / `dg` load `defs` (see [tool.dagster] in pyproject.toml)."""

from dagster import Definitions, colored_console_logger, in_process_executor

from orchestration.dbt_assets import crm_dbt_models, crm_dbt_outputs, demo_landing_data
from orchestration.gdpr import warehouse_erasure
from orchestration.progress import progress_logger
from orchestration.project import crm_dbt_project, dbt_executable
from orchestration.quality_gate import QualityGateResource, landing_quality_gate
from orchestration.reactivation import exports_scrubbed, reactivation_exports
from orchestration.report_assets import (
    inactivity_report,
    inactivity_summary,
    published_warehouse,
)
from orchestration.resources import (
    CrmDbtCliResource,
    RunSettingsResource,
    WarehouseWriterResource,
)
from orchestration.schedules import (
    build_and_erase,
    build_warehouse,
    daily_reactivation,
    daily_warehouse_build,
    gdpr_erasure,
    generate_demo_data,
    monthly_gdpr_erasure,
    monthly_score_refit,
    reactivation,
    refit_inactivity_score,
)
from orchestration.score.assets import inactivity_score_fit

defs = Definitions(
    assets=[
        demo_landing_data,
        crm_dbt_models,
        landing_quality_gate,
        crm_dbt_outputs,
        warehouse_erasure,
        inactivity_summary,
        inactivity_report,
        published_warehouse,
        reactivation_exports,
        exports_scrubbed,
        inactivity_score_fit,
    ],
    jobs=[build_warehouse, generate_demo_data, gdpr_erasure, reactivation, build_and_erase,
          refit_inactivity_score],
    schedules=[daily_warehouse_build, daily_reactivation, monthly_gdpr_erasure,
               monthly_score_refit],
    resources={
        "dbt": CrmDbtCliResource(
            project_dir=crm_dbt_project(),
            dbt_executable=dbt_executable(),
            global_config_flags=["--no-use-colors"],
        ),
        "run_settings": RunSettingsResource(),
        "quality_gate": QualityGateResource(),
        "warehouse": WarehouseWriterResource(),
    },
    # console: Dagster's default; progress: the terminal's progress line, which only `make
    # run` turns on (cli.py's run config)
    loggers={"console": colored_console_logger, "progress": progress_logger},
    # Every job, "Materialize all" included, runs its steps one at a time in one process:
    # the steps share the run's build file (one DuckDB writer) and its writer lock.
    executor=in_process_executor,
)
