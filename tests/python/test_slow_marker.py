"""The `slow` marker's guard (conftest.py, main_job.require_slow_marker): `make test-fast`
leaves the slow tests out, so a test that runs the main job without the marker fails rather
than making the fast tests slow."""

from __future__ import annotations

from pathlib import Path

import main_job
import pytest
from main_job import run_main_job


def test_a_test_not_marked_slow_cannot_run_the_main_job(tmp_path: Path) -> None:
    assert not main_job.marked_slow
    with pytest.raises(AssertionError, match="must be marked slow: add @pytest.mark.slow"):
        run_main_job(None, tmp_path / "w.duckdb", "2026-06-30")
    assert list(tmp_path.iterdir()) == []  # nothing ran


@pytest.mark.slow
def test_a_test_marked_slow_may() -> None:
    assert main_job.marked_slow


def test_the_longest_modules_named_first_exist() -> None:
    """conftest.LONGEST_FIRST orders `make test`'s modules: a renamed module would drop out
    of it silently."""
    from conftest import LONGEST_FIRST

    missing = [name for name in LONGEST_FIRST if not (Path(__file__).parent / f"{name}.py").exists()]
    assert missing == []
