"""Benchmark: time the demo-data generator and the main job at BENCH_INDIVIDUALS.

Prints figures; it asserts nothing (speed targets are read, not tested):
    BENCH_INDIVIDUALS=1000000 make bench
"""

from __future__ import annotations

import datetime
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]


def timed(label: str, command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    peak_gib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
    print(f"{label:<28} {seconds:8.1f} s   peak RSS so far {peak_gib:5.1f} GiB", flush=True)
    return seconds


def main() -> int:
    individuals = int(os.environ.get("BENCH_INDIVIDUALS", "1000000"))
    as_of = os.environ.get("AS_OF_DATE", "2026-06-30")
    landing = Path(os.environ.get("BENCH_DIR", REPO / "data" / "bench")) / f"n{individuals}"
    warehouse = REPO / "warehouse" / f"bench_n{individuals}.duckdb"
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    warehouse.unlink(missing_ok=True)
    # generated people: the GDPR circuit breaker would (rightly) stop a first erasure of
    # about 14 % of them; the benchmark approves it, as make run does on demo data. The run
    # date is the as-of date, so that the erasure is carried out (a replay erases nobody);
    # a landing folder needs a salt (this one is for invented people only).
    env = {"GDPR_HASH_SALT": "bench-salt", **os.environ, "RAW_DATA_DIR": str(landing),
           "AS_OF_DATE": as_of, "RUN_DATE": as_of, "WAREHOUSE_PATH": str(warehouse),
           "GDPR_APPROVE_ERASURE": "true"}

    print(f"benchmark: {individuals:,} individuals, as of {as_of}")
    timed("generate landing data", [
        sys.executable, "-m", "orchestration.demo_data", "--individuals", str(individuals),
        "--seed", "42", "--as-of", as_of, "--out", str(landing)], env)
    with duckdb.connect() as connection:
        rows = connection.execute(
            f"select count(*) from read_parquet('{landing}/*.parquet', union_by_name = true)"
        ).fetchall()[0][0]
    print(f"{'landing rows (18 tables)':<28} {rows:12,}")
    timed("main job (build_and_erase)", [sys.executable, "-m", "orchestration", "run"], env)
    print_step_times(newest_run_log())
    print(f"warehouse: {warehouse} ({warehouse.stat().st_size / 1024**3:.2f} GiB)")
    return 0


# a Dagster line of the run log: "<UTC time> +0000 - dagster - INFO - <job> - <run id> - <step> - …"
_STEP_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) \+0000 - dagster - \w+ - \w+ - [0-9a-f-]+ - (\w+) - ")


def newest_run_log() -> Path:
    return max((REPO / "logs").glob("run-*.log"), key=lambda path: path.stat().st_mtime)


def print_step_times(log: Path) -> None:
    """Each step's span in the run log (first to last line it logged), in the order run."""
    spans: dict[str, list[datetime.datetime]] = {}
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _STEP_LINE.match(line)
        if match:
            at = datetime.datetime.fromisoformat(match.group(1))
            spans.setdefault(match.group(2), [at, at])[1] = at
    for step, (first, last) in spans.items():
        print(f"  {step:<30} {(last - first).total_seconds():6.0f} s")


if __name__ == "__main__":
    raise SystemExit(main())
