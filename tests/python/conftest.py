"""Hooks of the whole test session: the longest modules first, the `slow` marker's guard,
and a quiet end."""

import atexit
import os
import sys

import main_job
import pytest

# The modules that run the main job most, longest first: their fixtures and slowest tests
# took 421, 335, 343, 192, 109, 153, 171, 92, 118 and 80 s of one worker in `make test` at
# ecd9ce4. The workers take whole modules (`--dist loadfile`) in this order
# (`--no-loadscope-reorder`); xdist's own order, most tests first, put these few-test
# modules last.
LONGEST_FIRST = ("test_publish", "test_gdpr_erasure", "test_reactivation", "test_inactivity_score",
                 "test_online_retail", "test_dagster_ui", "test_end_to_end",
                 "test_rnvp_contacts", "test_gdpr_properties", "test_incremental_equivalence")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        module = item.path.stem
        return LONGEST_FIRST.index(module) if module in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: each module keeps its own order


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
