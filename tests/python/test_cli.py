"""Run settings, and `python -m orchestration run` end to end on the planted landing set."""

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from orchestration.cli import main
from orchestration.settings import (
    DEFAULT_WAREHOUSE_PATH,
    DEMO_DATA_DIR,
    REPO_ROOT,
    RunSettings,
    SettingsError,
)


def test_defaults() -> None:
    settings = RunSettings.from_env({})
    assert settings.raw_data_dir is None and settings.uses_demo_data
    assert settings.landing_dir == settings.demo_data_dir == DEMO_DATA_DIR
    assert settings.as_of_date == datetime.now(UTC).date().isoformat()
    assert settings.warehouse_path == DEFAULT_WAREHOUSE_PATH
    assert (settings.demo_individuals, settings.demo_seed) == (3000, 42)


def test_gdpr_approval_setting() -> None:
    assert RunSettings.from_env({"GDPR_APPROVE_ERASURE": "true"}).dbt_vars()[
        "gdpr_erasure_approved"] == "true"
    with pytest.raises(SettingsError, match="GDPR_APPROVE_ERASURE"):
        RunSettings.from_env({"GDPR_APPROVE_ERASURE": "maybe"})


def test_environment_and_dbt_vars() -> None:
    settings = RunSettings.from_env(
        {"RAW_DATA_DIR": "landing/in", "AS_OF_DATE": " 2026-06-30 ", "WAREHOUSE_PATH": "/tmp/w.db",
         "DEMO_INDIVIDUALS": "10", "DEMO_SEED": "7", "GDPR_HASH_SALT": "s", "RUN_DATE": "2026-07-01"}
    )
    assert settings.raw_data_dir == REPO_ROOT / "landing" / "in"  # relative to the repo root
    assert not settings.uses_demo_data
    assert settings.dbt_vars() == {"raw_data_dir": str(REPO_ROOT / "landing" / "in"),
                                   "as_of_date": "2026-06-30", "run_date": "2026-07-01",
                                   "warehouse_path": "/tmp/w.db", "gdpr_erasure_approved": "false"}
    assert "s" not in settings.dbt_vars().values()  # the salt is never a dbt var
    assert settings.is_replay
    assert settings.dbt_vars(run_id="run-1")["run_id"] == "run-1"  # the GDPR audit log's run
    assert (settings.demo_individuals, settings.demo_seed) == (10, 7)
    assert settings.with_overrides(as_of_date="2025-01-31").as_of_date == "2025-01-31"


def test_demo_data_dir_can_move() -> None:
    settings = RunSettings.from_env({"DEMO_DATA_DIR": "/tmp/demo"})
    assert settings.landing_dir == Path("/tmp/demo") and settings.uses_demo_data
    assert RunSettings.from_env({"DEMO_DATA_DIR": "/tmp/demo", "RAW_DATA_DIR": "/tmp/demo"}
                                ).uses_demo_data


@pytest.mark.parametrize("bad", ["30/06/2026", "2026-6-30", "2026-02-30", "20260630", "today"])
def test_bad_as_of_date_is_rejected(bad: str) -> None:
    with pytest.raises(SettingsError, match=r"AS_OF_DATE must be a date written YYYY-MM-DD"):
        RunSettings.from_env({"AS_OF_DATE": bad})


def test_bad_demo_size_is_rejected() -> None:
    with pytest.raises(SettingsError, match="DEMO_INDIVIDUALS"):
        RunSettings.from_env({"DEMO_INDIVIDUALS": "many"})


def test_cli_reports_a_bad_date_without_running(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AS_OF_DATE", "2026-31-12")
    assert main(["run"]) == 2
    assert "AS_OF_DATE must be a date written YYYY-MM-DD" in capsys.readouterr().err


def test_run_date_defaults_to_today_and_erasure_is_live_on_it() -> None:
    settings = RunSettings.from_env({"AS_OF_DATE": datetime.now(UTC).date().isoformat()})
    assert settings.run_date == settings.as_of_date and not settings.is_replay
    assert RunSettings.from_env({"AS_OF_DATE": "2025-10-01"}).is_replay


def test_an_as_of_date_after_the_run_date_is_rejected() -> None:
    with pytest.raises(SettingsError, match="after the day of the run"):
        RunSettings.from_env({"AS_OF_DATE": "2026-07-02", "RUN_DATE": "2026-07-01"})


def test_real_data_needs_the_salt_and_demo_data_does_not() -> None:
    with pytest.raises(SettingsError, match="GDPR_HASH_SALT is not set"):
        RunSettings.from_env({"RAW_DATA_DIR": "/tmp/landing"})
    assert RunSettings.from_env({}).uses_demo_data  # demo data: the built-in salt
    settings = RunSettings.from_env({})
    with pytest.raises(SettingsError, match="GDPR_HASH_SALT is not set"):
        settings.with_overrides(raw_data_dir="/tmp/landing")  # e.g. from the Launchpad


def test_run_config_has_every_overridable_field() -> None:
    from orchestration.resources import RunSettingsResource

    settings = RunSettings.from_env({"AS_OF_DATE": "2026-06-30", "RUN_DATE": "2026-07-01"})
    config = settings.run_config()
    assert set(config) == set(RunSettings.OVERRIDABLE) == set(RunSettingsResource.model_fields)
    resolved = RunSettingsResource(**config).resolve()
    # the demo folder is passed as such: the same landing data, still the demo data
    assert resolved.landing_dir == settings.landing_dir and resolved.uses_demo_data
    assert replace(resolved, raw_data_dir=None) == settings


def test_export_dir_defaults_beside_the_warehouse_and_can_be_moved() -> None:
    settings = RunSettings.from_env({"WAREHOUSE_PATH": "/tmp/w/crm.duckdb"})
    assert settings.exports_dir == Path("/tmp/w/exports")
    assert RunSettings.from_env({"EXPORT_DIR": "/tmp/out"}).exports_dir == Path("/tmp/out")
    assert settings.with_overrides(export_dir="/tmp/x").exports_dir == Path("/tmp/x")
