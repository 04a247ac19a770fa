"""The Great Expectations gate inside the main job: a failing suite stops the run before
anything is published, names the expectation and the rows, and leaves the published
warehouse as it was. The failed run's build (marts built, the outputs behind the gate not)
is set aside for inspection, and it does not become the next run's volume baseline."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from main_job import query, run_main_job
from planted_landing import AS_OF, build_planted_landing

MALFORMED_POSTAL_CODES = {"I-BADPC-1": "7500", "I-BADPC-2": "ABCDE", "I-BADPC-3": "750021"}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def gate_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A normal delivery, then a rejected one (3 malformed French postal codes: 10 % of 30 >
    5 %; and three times the web sessions: outside the volume band), then a normal one."""
    folder = tmp_path_factory.mktemp("gate")
    build_planted_landing().write(folder / "good")
    bad = build_planted_landing()
    for individual_id, postal_code in MALFORMED_POSTAL_CODES.items():
        bad.person(individual_id)
        bad.rows["individuals"][-1]["postal_code"] = postal_code
    sessions = bad.rows["web_sessions"]
    sessions += [{**row, "session_id": f"{row['session_id']}-{copy}"}
                 for copy in (2, 3) for row in list(sessions)]
    bad.write(folder / "bad")
    warehouse = folder / "warehouse.duckdb"
    first = run_main_job(folder / "good", warehouse, AS_OF)
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    before = digest(warehouse)
    rejected = run_main_job(folder / "bad", warehouse, AS_OF)
    unchanged = digest(warehouse) == before
    rejected_build = folder / "warehouse.rejected.duckdb"
    rejected_tables = {name for (name,) in query(
        rejected_build, "select table_name from information_schema.tables "
                        "where table_schema = 'marts'")} if rejected_build.exists() else set()
    again = run_main_job(folder / "good", warehouse, AS_OF)
    return {"warehouse": warehouse, "rejected": rejected, "unchanged": unchanged,
            "rejected_tables": rejected_tables, "again": again}


def test_a_failed_gate_fails_the_run_naming_the_expectation_and_rows(gate_runs: dict) -> None:
    result = gate_runs["rejected"]
    assert result.returncode == 1, result.stdout[-2000:]
    assert "contacts__postal_codes: expect_column_values_to_match_regex(postal_code)" in result.stderr
    for individual_id in MALFORMED_POSTAL_CODES:
        assert individual_id in result.stderr
    assert "Nothing was published" in result.stderr


def test_the_published_warehouse_stays_as_it_was(gate_runs: dict) -> None:
    assert gate_runs["unchanged"]


def test_the_rejected_build_has_the_marts_but_not_the_outputs_behind_the_gate(
    gate_runs: dict,
) -> None:
    tables = gate_runs["rejected_tables"]
    assert "individual_activity" in tables and "household_activity" in tables
    assert "rnvp_contacts" not in tables


def test_the_next_normal_delivery_passes_against_the_published_baseline(gate_runs: dict) -> None:
    again = gate_runs["again"]
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    warehouse = gate_runs["warehouse"]
    # two published runs in the load log; the rejected one never was
    assert query(warehouse, "select count(distinct dbt_invocation_id) "
                            "from quality.landing_load_log") == [(2,)]
    planted = len(build_planted_landing().rows["individuals"])
    assert query(warehouse, "select count(*) from marts.individual_activity")[0][0] == planted
    assert not (warehouse.parent / "warehouse.rejected.duckdb").exists()


def test_the_gate_writes_data_docs_and_a_report(gate_runs: dict) -> None:
    warehouse = gate_runs["warehouse"]
    quality = warehouse.parent / f"{warehouse.stem}_quality"
    report = json.loads((quality / "gate_report.json").read_text())
    assert report["success"] is True  # the last run's
    index = Path(report["data_docs_index"])
    text = index.read_text()
    assert index.exists() and "contacts__postal_codes" in text
