"""The inactivity rule is written once and every department reads it: checked on the dbt
manifest (built by `make setup`), so a department view that recomputes the flag fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROJECT = "crm_inactivity"


@pytest.fixture(scope="module")
def manifest() -> dict:
    path = REPO / "target" / "manifest.json"
    if not path.exists():
        pytest.fail("target/manifest.json is missing: run `make setup` (dbt parse) first")
    return json.loads(path.read_text())


def models(manifest: dict) -> dict[str, dict]:
    return {
        node["name"]: node for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == PROJECT
    }


def test_department_views_select_the_shared_flag_and_nothing_upstream(manifest: dict) -> None:
    department_views = {
        name: node for name, node in models(manifest).items()
        if node["original_file_path"].startswith("models/marts/departments/")
    }
    assert set(department_views) == {
        "sales_customer_status", "billing_customer_status", "after_sales_customer_status",
    }
    for name, node in department_views.items():
        parents = {parent.split(".")[-1] for parent in node["depends_on"]["nodes"]}
        assert "individual_activity" in parents, name
        # the status inputs (events, summaries, evaluated statuses) are out of reach
        assert not parents & {
            "int_activity_events_unioned", "int_entity_activity_summarised",
            "int_entity_statuses_evaluated", "int_entity_statuses_consolidated",
        }, (name, parents)
        assert f"macro.{PROJECT}.shared_status_columns" in node["depends_on"]["macros"], name
        for forbidden in ("lifecycle_status_rule", "is_inactive =", "as is_inactive",
                          "as lifecycle_stage", "case"):
            assert forbidden not in node["raw_code"].lower(), (name, forbidden)


def test_the_lifecycle_rule_is_called_in_one_model_only(manifest: dict) -> None:
    callers = sorted(
        name for name, node in models(manifest).items()
        if f"macro.{PROJECT}.lifecycle_status_rule" in node["depends_on"]["macros"]
    )
    assert callers == ["int_entity_statuses_evaluated"]


def test_every_mart_is_documented_and_its_key_tested(manifest: dict) -> None:
    tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]
    for name, node in models(manifest).items():
        if not node["original_file_path"].startswith("models/marts/"):
            continue
        assert node["description"].startswith("One row per"), name
        tested = {
            test["test_metadata"]["name"] for test in tests
            if node["unique_id"] in test["depends_on"]["nodes"] and test.get("test_metadata")
        }
        assert {"not_null"} <= tested, (name, tested)
