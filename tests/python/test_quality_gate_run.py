"""The Great Expectations gate inside the main job: a failing suite stops the outputs
behind it (RNVP), names the expectation and the rows, and leaves the warehouse built."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from main_job import query, run_main_job
from planted_landing import AS_OF, build_planted_landing

MALFORMED_POSTAL_CODES = {"I-BADPC-1": "7500", "I-BADPC-2": "ABCDE", "I-BADPC-3": "750021"}


@pytest.fixture(scope="module")
def failed_gate_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str, int]:
    """The planted set plus 3 malformed French postal codes (10 % of 30 > 5 %)."""
    land = build_planted_landing()
    for individual_id, postal_code in MALFORMED_POSTAL_CODES.items():
        land.person(individual_id)
        land.rows["individuals"][-1]["postal_code"] = postal_code
    folder = tmp_path_factory.mktemp("gate")
    land.write(folder / "landing")
    warehouse = folder / "warehouse.duckdb"
    result = run_main_job(folder / "landing", warehouse, AS_OF)
    return warehouse, result.stdout, result.stderr, result.returncode


def test_a_failed_gate_fails_the_run_naming_the_expectation_and_rows(
    failed_gate_run: tuple[Path, str, str, int],
) -> None:
    _, stdout, stderr, returncode = failed_gate_run
    assert returncode == 1, stdout[-2000:]
    assert "contacts__postal_codes: expect_column_values_to_match_regex(postal_code)" in stderr
    for individual_id in MALFORMED_POSTAL_CODES:
        assert individual_id in stderr


def test_the_outputs_behind_the_gate_are_not_built_but_the_marts_are(
    failed_gate_run: tuple[Path, str, str, int],
) -> None:
    warehouse = failed_gate_run[0]
    tables = {name for (name,) in query(warehouse, "select table_name from information_schema.tables "
                                                   "where table_schema = 'marts'")}
    assert "individual_activity" in tables and "household_activity" in tables
    assert "rnvp_contacts" not in tables
    planted = len(build_planted_landing().rows["individuals"]) + len(MALFORMED_POSTAL_CODES)
    assert query(warehouse, "select count(*) from marts.individual_activity")[0][0] == planted


def test_the_gate_writes_data_docs_and_a_report(
    failed_gate_run: tuple[Path, str, str, int],
) -> None:
    warehouse = failed_gate_run[0]
    quality = warehouse.parent / f"{warehouse.stem}_quality"
    report = json.loads((quality / "gate_report.json").read_text())
    assert report["success"] is False
    assert [f["suite"] for f in report["failures"]] == ["contacts__postal_codes"]
    index = Path(report["data_docs_index"])
    assert index.exists() and "contacts__postal_codes" in index.read_text()
