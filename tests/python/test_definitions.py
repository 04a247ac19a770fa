"""The Dagster code location loads and has the assets, checks, jobs and schedule we rely on."""

from pathlib import Path

import pytest
from dagster import AssetCheckKey, AssetKey, DagsterInstance, Definitions

LANDING_TABLES = {
    "individuals", "accounts", "account_contacts", "orders", "quotes", "invoices", "payments",
    "subscriptions", "tickets", "disputes", "campaigns", "email_events", "web_sessions",
    "loyalty_transactions", "usage_events", "address_changes", "deceased_notices",
    "erasure_requests",
}
INDIVIDUAL_ACTIVITY = AssetKey(["marts", "individual_activity"])


@pytest.fixture(scope="module")
def defs() -> Definitions:
    from orchestration.definitions import defs

    return defs


@pytest.fixture(scope="module")
def groups(defs: Definitions) -> dict[str, set[AssetKey]]:
    graph = defs.resolve_asset_graph()
    by_group: dict[str, set[AssetKey]] = {}
    for key in graph.get_all_asset_keys():
        by_group.setdefault(graph.get(key).group_name, set()).add(key)
    return by_group


def test_asset_groups(groups: dict[str, set[AssetKey]]) -> None:
    expected = {"landing", "staging", "intermediate", "marts", "department_views", "history",
                "business_rules", "reports", "quality", "outputs"}
    assert expected <= set(groups)
    assert {AssetKey(["marts", f"{lvl}_activity"]) for lvl in ("individual", "household",
            "account")} <= groups["marts"]
    assert AssetKey(["business_rules", "status_rules"]) in groups["business_rules"]
    assert AssetKey("inactivity_summary") in groups["reports"]
    assert AssetKey(["reports", "inactivity_report"]) in groups["reports"]


def test_landing_assets_are_the_contract_tables(groups: dict[str, set[AssetKey]]) -> None:
    assert groups["landing"] == {AssetKey(["landing", table]) for table in LANDING_TABLES}


def test_landing_feeds_staging_through_the_landing_checks(defs: Definitions) -> None:
    graph = defs.resolve_asset_graph()
    checked = AssetKey(["staging", "base_landing__orders"])
    assert AssetKey(["landing", "orders"]) in graph.get(checked).parent_keys
    # references are checked against the kept rows of the referenced tables
    assert AssetKey(["staging", "base_landing__accounts"]) in graph.get(checked).parent_keys
    assert checked in graph.get(AssetKey(["staging", "stg_landing__orders"])).parent_keys
    quarantine = graph.get(AssetKey(["quality", "landing_quarantine"]))
    assert {AssetKey(["staging", f"base_landing__{t}"]) for t in LANDING_TABLES} <= set(
        quarantine.parent_keys
    )


def test_the_quality_gate_blocks_the_outputs_behind_it(defs: Definitions) -> None:
    graph = defs.resolve_asset_graph()
    gate = AssetKey(["quality", "landing_quality_gate"])
    checks = {key.name: graph.get_check_spec(key) for key in graph.asset_check_keys
              if key.asset_key == gate}
    assert set(checks) == {f"landing__{t}" for t in LANDING_TABLES} | {"contacts__postal_codes"}
    assert all(spec.blocking for spec in checks.values())
    assert AssetKey(["staging", "stg_landing__individuals"]) in graph.get(gate).parent_keys
    rnvp = graph.get(AssetKey(["marts", "rnvp_contacts"]))
    assert gate in rnvp.parent_keys and rnvp.group_name == "outputs"
    # GDPR is one group, whatever the layer (models/intermediate/gdpr, marts/gdpr, gdpr)
    for key in (["intermediate", "int_gdpr_subjects_evaluated"], ["marts", "gdpr_erasure_candidates"],
                ["marts", "gdpr_erasure_manifest"], ["gdpr", "erasure_audit_log"]):
        assert graph.get(AssetKey(key)).group_name == "gdpr", key
    # the rest of the warehouse does not wait for the gate
    assert gate not in graph.get(INDIVIDUAL_ACTIVITY).parent_keys


def test_dbt_tests_are_asset_checks_on_the_marts(defs: Definitions) -> None:
    checks = set(defs.resolve_asset_graph().asset_check_keys)
    for name in ("unique_individual_activity_individual_id",
                 "not_null_individual_activity_individual_id"):
        assert AssetCheckKey(INDIVIDUAL_ACTIVITY, name) in checks
    for mart in ("household_activity", "account_activity"):
        assert any(c.asset_key == AssetKey(["marts", mart]) for c in checks)


def test_dbt_assets_carry_owners_and_tags(defs: Definitions) -> None:
    node = defs.resolve_asset_graph().get(INDIVIDUAL_ACTIVITY)
    assert node.owners and node.tags.get("layer") == "marts"
    assert node.description


def test_jobs(defs: Definitions) -> None:
    build = defs.resolve_job_def("build_warehouse").asset_layer.selected_asset_keys
    assert INDIVIDUAL_ACTIVITY in build and AssetKey("inactivity_summary") in build
    # the HTML report, rewritten by every job that publishes
    for name in ("build_warehouse", "gdpr_erasure", "reactivation", "build_and_erase"):
        assert AssetKey(["reports", "inactivity_report"]) in (
            defs.resolve_job_def(name).asset_layer.selected_asset_keys), name
    assert {AssetKey(["quality", "landing_quality_gate"]),
            AssetKey(["marts", "rnvp_contacts"])} <= build
    assert not any(key.path[0] == "landing" for key in build)
    demo = defs.resolve_job_def("generate_demo_data").asset_layer.selected_asset_keys
    assert demo == {AssetKey(["landing", table]) for table in LANDING_TABLES}


def test_window_backtest_is_built_by_the_main_models_step(defs: Definitions) -> None:
    graph = defs.resolve_asset_graph()
    backtest = AssetKey(["marts", "inactivity_window_backtest"])
    assert graph.get(backtest).group_name == "backtest"
    assert AssetKey(["quality", "landing_quality_gate"]) not in graph.get(backtest).parent_keys
    assert backtest in defs.resolve_job_def("build_warehouse").asset_layer.selected_asset_keys


def test_gdpr_job_and_monthly_schedule(defs: Definitions) -> None:
    gdpr = defs.resolve_job_def("gdpr_erasure").asset_layer.selected_asset_keys
    assert {AssetKey(["quality", "landing_quality_gate"]),
            AssetKey(["marts", "gdpr_erasure_candidates"]),
            AssetKey(["marts", "gdpr_erasure_manifest"]),
            AssetKey(["gdpr", "erasure_audit_log"]),
            AssetKey(["gdpr", "warehouse_erasure"]),
            AssetKey(["gdpr", "exports_scrubbed"])} <= gdpr
    daily = defs.resolve_job_def("build_warehouse").asset_layer.selected_asset_keys
    assert not daily & {AssetKey(["marts", "gdpr_erasure_candidates"]),
                        AssetKey(["gdpr", "warehouse_erasure"])}
    everything = defs.resolve_job_def("build_and_erase").asset_layer.selected_asset_keys
    assert gdpr | daily <= everything
    schedule = defs.resolve_schedule_def("monthly_gdpr_erasure")
    assert (schedule.job_name, schedule.cron_schedule) == ("gdpr_erasure", "0 7 1 * *")


def test_the_circuit_breaker_is_a_blocking_check_on_the_candidates(defs: Definitions) -> None:
    candidates = AssetKey(["marts", "gdpr_erasure_candidates"])
    breaker = AssetCheckKey(candidates, "gdpr_circuit_breaker")
    graph = defs.resolve_asset_graph()
    assert breaker in graph.asset_check_keys
    assert graph.get_check_spec(breaker).blocking  # severity error
    for job in ("gdpr_erasure", "build_and_erase"):
        assert breaker in defs.resolve_job_def(job).asset_layer.asset_graph.asset_check_keys, job


def test_daily_schedule(defs: Definitions) -> None:
    schedule = defs.resolve_schedule_def("daily_warehouse_build")
    assert schedule.cron_schedule == "0 6 * * *"
    assert schedule.execution_timezone == "Europe/Paris"
    assert schedule.job_name == "build_warehouse"


PUBLISHED = AssetKey(["warehouse", "published"])
EXPORTS = AssetKey(["reactivation", "exports"])
EXPORTS_SCRUBBED = AssetKey(["gdpr", "exports_scrubbed"])


def test_every_writing_job_publishes_last_and_runs_one_step_at_a_time(defs: Definitions) -> None:
    from dagster import in_process_executor

    graph = defs.resolve_asset_graph()
    # the export files are written (and erased people removed from them) from the published
    # warehouse, never from a build
    assert graph.get(EXPORTS).parent_keys == graph.get(EXPORTS_SCRUBBED).parent_keys == {PUBLISHED}
    for name in ("build_warehouse", "gdpr_erasure", "reactivation", "build_and_erase"):
        job = defs.resolve_job_def(name)
        keys = job.asset_layer.selected_asset_keys
        assert PUBLISHED in keys, name
        # every step of the job that writes the warehouse comes before the publish: each
        # step (an asset or a dbt build of several) materialises something it depends on
        upstream = {key for parent in graph.get(PUBLISHED).parent_keys
                    for key in [parent, *graph.upstream_key_iterator(parent)]}
        for key in keys - {PUBLISHED, EXPORTS, EXPORTS_SCRUBBED}:
            assert defs.resolve_assets_def(key).keys & upstream, (name, key)
        assert job.executor_def is in_process_executor, name
    # "Materialize all" in the UI: the implicit asset job, one step at a time too
    assert defs.resolve_implicit_global_asset_job_def().executor_def is in_process_executor


def test_the_main_job_starts_dbt_three_times(defs: Definitions) -> None:
    """Each dbt step costs a dbt start and a manifest load (5 to 8 s): the models in two parts
    around the score's fit, then one step behind the gate for the RNVP file, the GDPR and
    the reactivation models (it was six steps, the gate having run between two of them)."""
    steps = [node.name for node in
             defs.resolve_job_def("build_and_erase").graph.nodes_in_topological_order]
    dbt_steps = [step for step in steps if step.startswith("crm_dbt_")]
    assert dbt_steps == ["crm_dbt_models", "crm_dbt_models_2", "crm_dbt_outputs"]
    assert (steps.index("inactivity_score_fit") < steps.index("crm_dbt_models_2")
            < steps.index("quality__landing_quality_gate") < steps.index("crm_dbt_outputs")
            < steps.index("gdpr__warehouse_erasure"))


def test_a_dbt_step_starts_no_extra_dbt_and_opens_no_adapter(
    defs: Definitions, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """dagster-dbt starts `dbt --version` (2 s) and opens a dbt adapter in Dagster's process
    (1.5 s per step) for features no step uses (orchestration/resources.py)."""
    import dagster_dbt.core.resource
    import dbt.version

    def no_process(*args: object, **kwargs: object) -> bytes:
        raise AssertionError(f"started {args}")

    monkeypatch.setattr(dagster_dbt.core.resource, "check_output", no_process)
    resource = defs.resources["dbt"]
    assert str(resource._cli_version) == dbt.version.__version__
    assert resource._initialize_dbt_core_adapter(["build"]) is None


def test_demo_data_refuses_a_real_landing_folder(
    defs: Definitions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GDPR_HASH_SALT", "a-salt")  # a real landing folder needs it
    result = defs.resolve_job_def("generate_demo_data").execute_in_process(
        run_config={"resources": {"run_settings": {"config": {"raw_data_dir": str(tmp_path)}}}},
        instance=DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    assert not result.success
    messages = [e.step_failure_data.error.message for e in result.all_events if e.is_step_failure]
    assert any("only written to" in m and str(tmp_path) in m for m in messages)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow  # starts the Dagster CLI, which loads the definitions anew (12 s)
def test_dagster_cli_validates_the_code_location() -> None:
    """What a newcomer runs from the repository root: `.venv/bin/dagster definitions validate`,
    with the venv not activated (its bin not on PATH)."""
    import os
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [str(Path(sys.prefix, "bin", "dagster")), "definitions", "validate"],
        cwd=repo, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "passed validation" in result.stdout + result.stderr


def test_importing_the_project_changes_no_path_and_builds_nothing() -> None:
    """orchestration/project.py used to put the venv's bin first on PATH when it imported,
    for every program the process started; the dbt executable is now named where it is used
    (project.dbt_executable), and the project is built on first call (crm_dbt_project)."""
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[2]
    program = ("import os, orchestration.project as project; "
               "print(os.environ['PATH'], project.crm_dbt_project.cache_info().currsize, "
               "project.dbt_executable())")
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=repo, capture_output=True, text=True, timeout=120, check=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(Path.home())},
    )
    assert result.stdout.split() == ["/usr/bin:/bin", "0", str(Path(sys.prefix, "bin", "dbt"))]


def test_reactivation_job_group_and_daily_schedule(defs: Definitions) -> None:
    graph = defs.resolve_asset_graph()
    gate = AssetKey(["quality", "landing_quality_gate"])
    targets = AssetKey(["marts", "reactivation_targets"])
    assert graph.get(targets).group_name == "reactivation"
    assert gate in graph.get(targets).parent_keys  # behind the quality gate
    # computed after the GDPR candidates (erasure pending); a run that erases someone rebuilds
    # them afterwards (everything downstream of the tombstones)
    assert AssetKey(["marts", "gdpr_erasure_candidates"]) in set(graph.upstream_key_iterator(targets))
    job = defs.resolve_job_def("reactivation").asset_layer.selected_asset_keys
    assert {gate, targets, AssetKey(["marts", "reactivation_exclusions"]),
            AssetKey(["marts", "reactivation_custom_audience"]),
            AssetKey(["reactivation", "contact_log"]), EXPORTS, PUBLISHED,
            AssetKey(["marts", "gdpr_erasure_candidates"])} <= job
    # the daily job does not erase anyone, and the monthly GDPR job relaunches nobody
    assert not job & {AssetKey(["marts", "gdpr_erasure_manifest"]),
                      AssetKey(["gdpr", "erasure_tombstones"]),
                      AssetKey(["gdpr", "warehouse_erasure"])}
    assert not defs.resolve_job_def("gdpr_erasure").asset_layer.selected_asset_keys & {
        targets, AssetKey(["reactivation", "contact_log"]), EXPORTS}
    assert job <= defs.resolve_job_def("build_and_erase").asset_layer.selected_asset_keys
    schedule = defs.resolve_schedule_def("daily_reactivation")
    assert (schedule.job_name, schedule.cron_schedule, schedule.execution_timezone) == (
        "reactivation", "30 6 * * *", "Europe/Paris")
    # the checks of the reactivation marts: every individual listed once, reasons documented
    checks = {key.name for key in graph.asset_check_keys}
    assert {"assert_reactivation_lists_everyone_once",
            "assert_reactivation_exclusion_reasons_are_documented",
            "assert_no_erased_person_is_targeted"} <= checks


def test_score_fit_sits_between_its_criteria_and_the_scores(defs: Definitions) -> None:
    graph = defs.resolve_asset_graph()
    fits = AssetKey(["inactivity_score", "fits"])
    features = AssetKey(["intermediate", "int_score_features"])
    scores = AssetKey(["intermediate", "int_individual_inactivity_scores"])
    individuals = AssetKey(["marts", "individual_activity"])
    assert features in graph.get(fits).parent_keys
    assert fits in set(graph.upstream_key_iterator(individuals))
    assert fits in graph.get(scores).parent_keys
    # the daily build fits when no fit exists yet and scores with the last one
    daily = defs.resolve_job_def("build_warehouse")
    assert {fits, scores, individuals} <= daily.asset_layer.selected_asset_keys
    # the monthly refit: criteria, gate, a forced fit, its marts, the publish; no reactivation
    refit = defs.resolve_job_def("refit_inactivity_score")
    selected = refit.asset_layer.selected_asset_keys
    assert {features, fits, AssetKey(["marts", "inactivity_score_model"]),
            AssetKey(["marts", "inactivity_score_calibration"]),
            AssetKey(["quality", "landing_quality_gate"]), PUBLISHED} <= selected
    assert not selected & {AssetKey(["marts", "reactivation_targets"]), EXPORTS,
                           AssetKey(["gdpr", "warehouse_erasure"])}
    assert refit.run_config["ops"]["inactivity_score_fit"]["config"] == {"refit": True}
    schedule = defs.resolve_schedule_def("monthly_score_refit")
    assert (schedule.job_name, schedule.cron_schedule, schedule.execution_timezone) == (
        "refit_inactivity_score", "0 5 1 * *", "Europe/Paris")
