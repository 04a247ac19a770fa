"""Hooks of the whole test session: the `slow` marker's guard, and a quiet end."""

import atexit
import os
import sys

import main_job
import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test that runs the main job, dbt or the Dagster UI must be marked slow (`make
    test-fast` leaves those out), or it fails when it tries (main_job.require_slow_marker).
    Set before the test's fixtures: a module fixture that runs the job counts too."""
    main_job.marked_slow = item.get_closest_marker("slow") is not None


def _drop_the_shutdown_report() -> None:
    sys.stderr.flush()
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)


# At exit, in this process and in each xdist worker, once pytest has reported and restored its
# captured streams: what the interpreter writes while it shuts down is DuckDB 2.0's (nanobind)
# "leaked instance" report, some eighty lines per process that read like a failure.
atexit.register(_drop_the_shutdown_report)
