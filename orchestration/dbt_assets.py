"""The dbt assets (every seed, model and test, in two `dbt build` steps around the quality
gate), the landing tables they read and the demo data that fills them, and the names the
other assets share (owner, tags, keys). What a run ends with, the summary, the report and
the publish, is in report_assets.py."""

import contextlib
import json
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster_dbt.asset_utils
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    Failure,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.progress import DBT_PLAN_MESSAGE
from orchestration.project import crm_dbt_project
from orchestration.resources import RunSettingsResource, WarehouseWriterResource

OWNER = "team:crm-data"

# dbt folder (path under models/) -> Dagster asset group. Longest prefix wins.
_FOLDER_GROUPS: dict[tuple[str, ...], str] = {
    ("staging",): "staging",
    ("intermediate",): "intermediate",
    ("marts",): "marts",
    ("marts", "core"): "marts",
    ("marts", "departments"): "department_views",
    ("marts", "history"): "history",
    ("marts", "outputs"): "outputs",
    ("quality",): "quality",
    ("gdpr",): "gdpr",
    ("intermediate", "gdpr"): "gdpr",
    ("marts", "gdpr"): "gdpr",
    ("intermediate", "reactivation"): "reactivation",
    ("marts", "reactivation"): "reactivation",
    ("marts", "backtest"): "backtest",
    ("reactivation",): "reactivation",
    ("intermediate", "score"): "score",
    ("marts", "score"): "score",
}
_RESOURCE_TYPE_GROUPS = {"seed": "business_rules", "snapshot": "history"}
_GROUP_DESCRIPTIONS = {
    "staging": "Staging view over one landing table: renamed and typed, no joins.",
    "intermediate": "Intermediate model: shared inactivity business logic.",
    "marts": "Mart read by consumers (schema `marts`).",
    "department_views": "One department's view of the shared status (schema `marts`).",
    "history": "Status history at the as-of date of each run.",
    "outputs": "Output published behind the Great Expectations gate (schema `marts`).",
    "quality": "What the landing checks set aside, and the row counts of every run.",
    "gdpr": "GDPR erasure: subjects, holds, candidates and manifest (schema `marts`), "
            "tombstones and audit log (schema `gdpr`).",
    "reactivation": "Reactivation: scenario state, targets, exclusions, custom audience, "
                    "contact log, exports (behind the quality gate).",
    "score": "Inactivity score: its criteria, the customers' scores, the learned weights "
             "and calibration of each fit.",
    "business_rules": "Business rule table (dbt seed, schema `business_rules`).",
    "backtest": "Backtest of the inactivity definition over past month-ends (schema `marts`).",
}

# dbt models with this tag are built after the quality gate, in one step (crm_dbt_outputs),
# and published only when the gate's blocking checks pass.
GATED_TAG = "behind_quality_gate"
# ... as are the reactivation models; the GDPR and the reactivation ones each have their job.
GDPR_TAG = "gdpr"
REACTIVATION_TAG = "reactivation"
QUALITY_GATE_KEY = AssetKey(["quality", "landing_quality_gate"])
WAREHOUSE_ERASURE_KEY = AssetKey(["gdpr", "warehouse_erasure"])
# what the reactivation step writes last: the log of the targets it published
CONTACT_LOG_KEY = AssetKey(["reactivation", "contact_log"])
RNVP_CONTACTS_KEY = AssetKey(["marts", "rnvp_contacts"])

MART_KEYS: dict[str, AssetKey] = {
    level: AssetKey(["marts", f"{level}_activity"])
    for level in ("individual", "household", "account")
}


class CrmDbtTranslator(DagsterDbtTranslator):
    """dbt folders -> asset groups; landing sources -> ["landing", <table>]."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        resource_type = dbt_resource_props["resource_type"]
        if resource_type in _RESOURCE_TYPE_GROUPS:
            return _RESOURCE_TYPE_GROUPS[resource_type]
        folders = tuple(dbt_resource_props.get("fqn", [])[1:-1])
        for depth in range(len(folders), 0, -1):
            if folders[:depth] in _FOLDER_GROUPS:
                return _FOLDER_GROUPS[folders[:depth]]
        return "dbt_other"

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: Any
    ) -> AssetSpec:
        """Models tagged behind_quality_gate or reactivation also depend on the gate
        (Dagster-only edge)."""
        spec = super().get_asset_spec(manifest, unique_id, project)
        tags = manifest.get("nodes", {}).get(unique_id, {}).get("tags", [])
        if GATED_TAG in tags or REACTIVATION_TAG in tags:
            spec = spec.merge_attributes(deps=[QUALITY_GATE_KEY])
        return spec

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return [OWNER]

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        tags = dict(super().get_tags(dbt_resource_props))
        tags["layer"] = self.get_group_name(dbt_resource_props) or "dbt_other"
        materialized = dbt_resource_props.get("config", {}).get("materialized")
        if materialized:
            tags["materialized"] = materialized
        return tags

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        if dbt_resource_props.get("description"):
            return super().get_description(dbt_resource_props)
        group = self.get_group_name(dbt_resource_props) or ""
        fallback = _GROUP_DESCRIPTIONS.get(group, f"dbt {dbt_resource_props['resource_type']}")
        return super().get_description({**dbt_resource_props, "description": fallback})


# Dagster runs a dbt step in parts (the score's fit sits inside the models step; the GDPR
# and reactivation step is split by its jobs), and each part selects its models by name. Past
# 200 names dagster-dbt copies the whole project folder (data, warehouse, logs, the .venv)
# into a new temporary folder per step, never removed, to write a selectors.yml there: GBs
# per run, a full dbt parse each time, and a full disk after a few test runs. The names of
# one step (a few hundred, ~30 KB) are far below Linux's command-line limit (2 MB), so they
# stay on the command line (test_end_to_end checks no step runs on a copy).
dagster_dbt.asset_utils._SELECTION_ARGS_THRESHOLD = 100_000

# failed steps' dbt folders kept for their dbt.log (older ones are removed)
KEPT_FAILED_TARGETS = 10
PARTIAL_PARSE = "partial_parse.msgpack"


@contextlib.contextmanager
def dbt_step_target(context: AssetExecutionContext) -> Iterator[Path]:
    """One dbt artifacts folder per step (~15 MB), removed once the step succeeded: a daily
    schedule must not fill target/. A failed step keeps its dbt.log there, until
    KEPT_FAILED_TARGETS newer ones have failed.

    The steps of one run pass the same --vars, so each starts from the previous step's
    partial parse (`target/run-<run id>.msgpack`): only the first step of a run parses the
    whole project (dbt re-parses everything when the vars change, i.e. on every run).
    """
    project = crm_dbt_project()
    target = project.project_dir / project.target_path
    old_runs = sorted(target.glob("run-*"), key=lambda path: path.stat().st_mtime)
    for old in old_runs[:-KEPT_FAILED_TARGETS]:
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)
    step_target = target / f"run-{context.run.run_id}-{context.op_def.name}"
    run_parse = target / f"run-{context.run.run_id}.msgpack"
    if run_parse.exists():
        step_target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(run_parse, step_target / PARTIAL_PARSE)
    yield step_target  # an exception (a failed dbt step) leaves the folder in place
    if (step_target / PARTIAL_PARSE).exists():
        shutil.copyfile(step_target / PARTIAL_PARSE, run_parse)
    shutil.rmtree(step_target, ignore_errors=True)


def _dbt_build(
    context: AssetExecutionContext, dbt: DbtCliResource, run_settings: RunSettingsResource,
    warehouse: WarehouseWriterResource, indirect_selection: str,
) -> Iterator[Any]:
    """`dbt build` of the asset's selection (seeds, models, tests as asset checks) with this
    run's settings as vars, into the run's build file (published by the last step)."""
    settings = run_settings.resolve()
    if settings.uses_demo_data and not any(settings.demo_data_dir.glob("individuals.*")):
        raise Failure(
            f"no demo data in {settings.demo_data_dir} yet: run the generate_demo_data job first, "
            "or set RAW_DATA_DIR to a landing folder"
        )
    build = warehouse.build_path(settings, context.run.run_id)
    dbt_vars = json.dumps(settings.dbt_vars(run_id=context.run.run_id, warehouse_path=build))
    context.log.info(f"dbt vars: {dbt_vars}")
    # stream() raises on failure, so a failed step keeps its dbt.log
    # dbt unit tests check the rules' SQL on fixed inputs, not the day's data: they run in
    # `make unit` / `make test` (and CI), not in every production build
    # indirect_selection (see _dbt_build_assets): which tests of the step's models dbt runs
    context.log.info(DBT_PLAN_MESSAGE.format(models=len(context.selected_asset_keys),
                                             tests=len(context.selected_asset_check_keys)))
    with dbt_step_target(context) as target_path:
        yield from dbt.cli(
            ["build", "--exclude-resource-type", "unit_test", "--indirect-selection", indirect_selection,
             "--vars", dbt_vars],
            context=context, target_path=target_path,
        ).stream()


def _dbt_build_assets(name: str, description: str, select: str = "fqn:*",
                      exclude: str | None = None,
                      indirect_selection: str = "buildable") -> AssetsDefinition:
    """One `dbt build` step over a selection of the project (see _dbt_build).

    buildable (the default): a test runs in the step that builds the last of its parents.
    Dagster may run a step in parts (the score's fit sits between the criteria and the
    scores), and dbt's default (eager) would run a test of individual_activity and a later
    model in the first part."""

    def build(
        context: AssetExecutionContext, dbt: DbtCliResource, run_settings: RunSettingsResource,
        warehouse: WarehouseWriterResource,
    ) -> Iterator[Any]:
        yield from _dbt_build(context, dbt, run_settings, warehouse, indirect_selection)

    build.__doc__ = description
    return dbt_assets(
        manifest=crm_dbt_project().manifest_path,
        project=crm_dbt_project(),
        dagster_dbt_translator=CrmDbtTranslator(),
        name=name,
        select=select,
        exclude=exclude,
    )(build)


crm_dbt_models = _dbt_build_assets(
    "crm_dbt_models",
    "The warehouse: every dbt seed, model and test except the outputs behind the gate and "
    "the reactivation outputs.",
    exclude=f"tag:{GATED_TAG} tag:{REACTIVATION_TAG}",
)
# One dbt step behind the gate: Dagster splits a dbt step wherever another asset sits between
# its models, and each part costs a dbt start and a manifest load (5 to 8 s). The gate runs
# after every model of crm_dbt_models (quality_gate.py) and each model here depends on it, so
# the RNVP file, the GDPR and the reactivation models are one `dbt build`.
crm_dbt_outputs = _dbt_build_assets(
    "crm_dbt_outputs",
    "Behind the quality gate, one dbt build: the RNVP contact file; the GDPR candidates "
    "(always, for review), then behind the circuit breaker the manifest, the tombstones and "
    "the audit log; and the reactivation outputs (targets, exclusions, custom audience, KPIs, "
    "contact log), which read the candidates. A run that erases someone rebuilds them "
    "afterwards (gdpr/warehouse_erasure). Each job selects its part (schedules.py).",
    select=f"tag:{GATED_TAG} tag:{REACTIVATION_TAG}",
    # eager: the last dbt step, so every other parent of its tests is built by now; under
    # buildable, a test between an output and an earlier model (reactivation_targets'
    # account_id against account_activity) ran in no step at all
    indirect_selection="eager",
)


# The landing tables are the dbt sources, so the contract is listed once (_landing__sources.yml).
LANDING_KEYS = sorted(
    (key for key in crm_dbt_models.dependency_keys if key.path[0] == "landing"),
    key=lambda key: key.to_user_string(),
)


@multi_asset(
    name="demo_landing_data",
    specs=[
        AssetSpec(
            key,
            group_name="landing",
            owners=[OWNER],
            kinds={"parquet"},
            description=f"Landing file `{key.path[-1]}`. Only generated demo data is "
            "materialised here; real landing files arrive from the source systems.",
        )
        for key in LANDING_KEYS
    ],
)
def demo_landing_data(
    context: AssetExecutionContext, run_settings: RunSettingsResource
) -> Iterator[MaterializeResult]:
    """Writes a deterministic demo landing set into data/demo (or DEMO_DATA_DIR), never over
    real data."""
    settings = run_settings.resolve()
    if not settings.uses_demo_data:
        raise Failure(
            f"raw_data_dir is {settings.raw_data_dir}: demo data is only written to "
            f"{settings.demo_data_dir}, never into a landing folder of real data. Unset RAW_DATA_DIR "
            "to generate and use demo data."
        )
    from orchestration.demo_data import generated_landing_data  # lazy: only this asset needs it

    row_counts, written = generated_landing_data(
        settings.demo_data_dir, settings.demo_individuals, settings.demo_seed, settings.as_of
    )
    context.log.info(f"demo data {'written to' if written else 'already in'} "
                     f"{settings.demo_data_dir}: {row_counts}")
    for key in LANDING_KEYS:
        table = key.path[-1]
        if table not in row_counts:
            raise Failure(f"the demo generator wrote no `{table}` table")
        files = sorted(settings.demo_data_dir.glob(f"{table}.*"))
        yield MaterializeResult(
            asset_key=key,
            metadata={
                "dagster/row_count": row_counts[table],
                "as_of_date": settings.as_of_date,
                "seed": settings.demo_seed,
                **({"path": MetadataValue.path(str(files[0]))} if files else {}),
            },
        )
