"""The benchmark's pure helpers (scripts/bench.py), without running it."""

from __future__ import annotations

import importlib.util
import shutil
from collections import namedtuple
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "bench", Path(__file__).resolve().parents[2] / "scripts" / "bench.py")
bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench)

_Usage = namedtuple("_Usage", "total used free")


@pytest.mark.parametrize(("free_gb", "scale", "warned"), [
    (50, 1_000_000, True), (90, 1_000_000, False), (10, 100_000, False), (5, 100_000, True),
])
def test_the_bench_warns_when_the_disk_has_less_room_than_a_run_of_its_size_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, free_gb: int, scale: int, warned: bool,
) -> None:
    monkeypatch.setattr(shutil, "disk_usage", lambda _: _Usage(0, 0, free_gb * 10**9))
    warning = bench.disk_warning(tmp_path, scale)
    assert (warning is not None) == warned
    if warned:
        assert f"{free_gb} GB free in {tmp_path}" in warning and "No space left on device" in warning
