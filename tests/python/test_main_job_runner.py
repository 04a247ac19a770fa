"""The tests' way of running the main job (main_job.py): each run a forked child with its
own environment, output and process group, killed with its processes when it overruns."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import main_job
import pytest
from main_job import REPO, run_main_job, start_main_job

pytestmark = pytest.mark.slow  # runs the main job (`make test-fast` leaves it out)

EMPTY_LANDING = REPO / "tests" / "fixtures" / "empty_landing"


def group_ends(pgid: int, within_seconds: float) -> bool:
    deadline = time.monotonic() + within_seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def test_each_run_gets_its_own_settings_and_output(tmp_path: Path) -> None:
    first = run_main_job(None, tmp_path / "w.duckdb", "not-a-date")
    second = run_main_job(None, tmp_path / "w.duckdb", "2026-13-01")
    assert first.returncode == second.returncode == 2
    assert "AS_OF_DATE must be a date" in first.stderr and "'not-a-date'" in first.stderr
    assert "'2026-13-01'" in second.stderr and "not-a-date" not in second.stderr
    assert first.stdout == second.stdout == ""


def test_a_run_past_its_timeout_is_killed_with_its_processes(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    run = start_main_job(EMPTY_LANDING, warehouse, "2026-06-30")
    assert run.poll() is None  # still running
    with pytest.raises(subprocess.TimeoutExpired):
        run.finish(timeout=3)
    assert group_ends(run.pid, within_seconds=30)  # dbt's processes too, once init reaps them
    assert not warehouse.exists()
    # the runner goes on serving the next test
    assert run_main_job(None, warehouse, "not-a-date").returncode == 2


def test_answers_sent_together_are_both_seen() -> None:
    """A run that ends at once: the runner sends its pid and its exit code together, and the
    second answer must not wait, unseen, in a read buffer (poll() and finish() would then
    wait for it until their timeout). Here a stand-in runner sends both at once."""
    both_at_once = ("import sys, time; sys.stdout.write("
                    "'{\"pid\": 1}\\n{\"returncode\": 2}\\n'); sys.stdout.flush(); time.sleep(30)")
    runner = main_job._Forker(serve=both_at_once)
    try:
        assert runner.answer(timeout=10) == {"pid": 1}
        assert runner.answered(timeout=0)
        assert runner.answer(timeout=0) == {"returncode": 2}
    finally:
        runner.close()
