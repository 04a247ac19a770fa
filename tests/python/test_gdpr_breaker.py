"""The GDPR circuit breaker: a run that would erase more than 5 % of the base and more than
100 subjects stops before the manifest and the erasure (the candidates are still built,
for review) and says how to approve; an approved run goes through."""

from __future__ import annotations

from pathlib import Path

import pytest
from main_job import query, run_main_job
from planted_landing import AS_OF, build_planted_landing

FORGOTTEN = 120  # never heard of since 2019: all erasable


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    land = build_planted_landing()
    for n in range(FORGOTTEN):
        land.person(f"I-FORGOTTEN-{n:03d}")
        land.rows["individuals"][-1]["created_at"] = "2019-01-01T00:00:00"
    folder = tmp_path_factory.mktemp("breaker") / "landing"
    land.write(folder)
    return folder


def test_the_breaker_stops_the_erasure_and_says_how_to_approve(
    landing: Path, tmp_path: Path,
) -> None:
    published = tmp_path / "warehouse.duckdb"
    result = run_main_job(landing, published, AS_OF, RUN_DATE=AS_OF)
    assert result.returncode == 1
    assert "GDPR circuit breaker" in result.stderr
    assert "GDPR_APPROVE_ERASURE=true" in result.stderr
    # nothing is published; the candidates are in the run's build, set aside for review
    warehouse = tmp_path / "warehouse.rejected.duckdb"
    assert str(warehouse) in result.stderr
    assert not published.exists()
    to_erase = query(warehouse, "select count(*) from marts.gdpr_erasure_candidates "
                                "where erasure_status = 'to_erase'")[0][0]
    assert to_erase >= FORGOTTEN
    # nothing tombstoned (the view every run reads the tombstones through is empty)
    assert query(warehouse, "select count(*) from gdpr.erasure_tombstones_of_past_runs") == [(0,)]
    tables = {t for (t,) in query(warehouse, "select table_name from information_schema.tables "
                                             "where table_schema = 'marts'")}
    assert "gdpr_erasure_manifest" not in tables and "individual_activity" in tables
    assert query(warehouse, "select count(*) from marts.individual_activity "
                            "where lifecycle_stage = 'erased'") == [(0,)]


def test_an_approved_run_erases(landing: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    result = run_main_job(landing, warehouse, AS_OF, RUN_DATE=AS_OF, GDPR_APPROVE_ERASURE="true")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    erased = query(warehouse, "select count(*) from gdpr.erasure_audit_log")[0][0]
    assert erased >= FORGOTTEN
    assert query(warehouse, "select count(*) from marts.individual_activity "
                            "where lifecycle_stage = 'erased'") == [(erased,)]
