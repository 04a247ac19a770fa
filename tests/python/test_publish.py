"""A warehouse consumers can read while it builds (orchestration/publish.py).

On the planted landing set, into one warehouse:

1. a first run publishes;
2. a rejected delivery (malformed postal codes, three times the web sessions) fails the
   quality gate: the run exits 1 naming the expectation and rows, the published file is
   unchanged, and its build is set aside (marts rebuilt, the outputs behind the gate not);
3. three runs killed (SIGKILL to their process group) during the dbt build, the quality
   gate and the GDPR step: the published file is byte for byte what it was each time;
4. a last normal run passes against the published volume baseline (not the rejected one)
   and gives the same marts as the first, uninterrupted run, while a reader queries the
   published file read-only in a loop (no error, only complete states) and a run started
   meanwhile stops at once ("another run ... is writing this warehouse").

Files are readable by their owner only.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from main_job import (
    REPO,
    StartedRun,
    query,
    require_slow_marker,
    run_environment,
    start_main_job,
)
from planted_landing import AS_OF, build_planted_landing, write_planted_landing

from orchestration.publish import WarehouseFiles

pytestmark = pytest.mark.slow  # runs the main job (`make test-fast` leaves it out)

MARTS = ("individual_activity", "household_activity", "account_activity", "rnvp_contacts",
         "gdpr_erasure_candidates")
# the Dagster step whose start marks each kill point, in the run's log
KILL_POINTS = ("crm_dbt_models", "quality__landing_quality_gate", "crm_dbt_outputs")
MALFORMED_POSTAL_CODES = {"I-BADPC-1": "7500", "I-BADPC-2": "ABCDE", "I-BADPC-3": "750021"}


def write_rejected_delivery(folder: Path) -> Path:
    """The planted set plus 3 malformed French postal codes (10 % of 30 > 5 %) and three
    times the web sessions (outside the volume band of the previous published run)."""
    bad = build_planted_landing()
    for individual_id, postal_code in MALFORMED_POSTAL_CODES.items():
        bad.person(individual_id)
        bad.rows["individuals"][-1]["postal_code"] = postal_code
    sessions = bad.rows["web_sessions"]
    sessions += [{**row, "session_id": f"{row['session_id']}-{copy}"}
                 for copy in (2, 3) for row in list(sessions)]
    bad.write(folder)
    return folder


def start(landing: Path, warehouse: Path) -> StartedRun:
    """A run forked from the runner of main_job.py (RUN_ALWAYS: the run after the kills has
    the inputs of the first one and must run)."""
    return start_main_job(landing, warehouse, AS_OF)


def start_python_m_orchestration(landing: Path, warehouse: Path) -> subprocess.Popen[str]:
    """`python -m orchestration run` in a new process, as a user starts it (the forked runs
    start from orchestration.cli.main: this one runs the entry point)."""
    require_slow_marker("runs the main job")
    return subprocess.Popen(
        [sys.executable, "-m", "orchestration", "run"], cwd=REPO, text=True,
        env=run_environment(landing, warehouse, AS_OF),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )


def finish(run: StartedRun | subprocess.Popen[str]) -> tuple[int, str, str]:
    if isinstance(run, StartedRun):
        result = run.finish(timeout=900)
        return result.returncode, result.stdout, result.stderr
    stdout, stderr = run.communicate(timeout=900)
    return run.returncode, stdout, stderr


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {mart: con.execute(f"select * from marts.{mart} order by all").fetchall()
                for mart in MARTS}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def log_of(run: StartedRun, deadline: float) -> Path:
    """The run's own log file, named on its second line of output."""
    while time.monotonic() < deadline:
        for line in run.stdout_so_far().splitlines():
            if "(log: " in line:
                return Path(line.split("(log: ", 1)[1].rstrip(")"))
        assert run.poll() is None, "the run ended before it named its log"
        time.sleep(0.2)
    raise AssertionError("the run printed no log path")


def kill_when_step_starts(landing: Path, warehouse: Path, step: str) -> None:
    run = start(landing, warehouse)
    deadline = time.monotonic() + 600
    log = log_of(run, deadline)
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        if f" - {step} - " in text:  # the step's first log line
            time.sleep(2)  # well inside the step
            break
        assert run.poll() is None, f"the run ended before {step}"
        time.sleep(0.2)
    os.killpg(run.pid, signal.SIGKILL)
    finish(run)


def wait_for_the_writer_lock(warehouse: Path, run: StartedRun) -> None:
    """Until `run` holds the warehouse's writer lock: its lock file names its pid (a fixed
    sleep of 8 s was a guess that a loaded machine could beat)."""
    lock = WarehouseFiles(warehouse).lock
    deadline = time.monotonic() + 600
    while f"pid {run.pid}," not in (lock.read_text(encoding="utf-8") if lock.exists() else ""):
        assert run.poll() is None, "the run ended before it took the writer lock"
        assert time.monotonic() < deadline, "the run did not take the writer lock in 600 s"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def publish_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("publish")
    landing = write_planted_landing(folder / "landing")
    warehouse = folder / "warehouse.duckdb"
    code, stdout, stderr = finish(start(landing, warehouse))
    assert code == 0, stdout[-2000:] + stderr[-2000:]
    first = snapshot(warehouse)

    # 2. a delivery the quality gate rejects
    before = digest(warehouse)
    rejected = finish(start(write_rejected_delivery(folder / "bad"), warehouse))
    rejected_build = folder / "warehouse.rejected.duckdb"
    rejected_ids = {
        mart: {row[0] for row in query(rejected_build, f"select individual_id from marts.{mart}")}
        for mart in ("individual_activity", "rnvp_contacts")} if rejected_build.exists() else {}
    unchanged_after_rejection = digest(warehouse) == before

    # 3. killed at three points
    kept = []
    for step in KILL_POINTS:
        before = digest(warehouse)
        kill_when_step_starts(landing, warehouse, step)
        kept.append(digest(warehouse) == before)

    # 4. the run after the kills, while a reader queries in a loop and a second writer tries
    reads: list[object] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                with duckdb.connect(str(warehouse), read_only=True) as con:
                    reads.append(con.execute(
                        "select count(*), count(distinct lifecycle_stage) "
                        "from marts.individual_activity").fetchall()[0])
            except duckdb.Error as error:  # what consumers saw before: a lock conflict
                reads.append(error)
            time.sleep(0.05)

    thread = threading.Thread(target=reader)
    thread.start()
    running = start(landing, warehouse)
    wait_for_the_writer_lock(warehouse, running)
    started = time.monotonic()
    concurrent = finish(start_python_m_orchestration(landing, warehouse))
    concurrent_seconds = time.monotonic() - started
    code, stdout, stderr = finish(running)
    stop.set()
    thread.join()
    assert code == 0, stdout[-2000:] + stderr[-2000:]
    return {"warehouse": warehouse, "first": first, "reads": reads,
            "rejected": rejected, "rejected_ids": rejected_ids,
            "unchanged_after_rejection": unchanged_after_rejection,
            "concurrent": concurrent, "concurrent_seconds": concurrent_seconds,
            "kept": kept, "after_kills": snapshot(warehouse), "folder": folder}


def test_readers_never_fail_and_see_complete_states(publish_runs: dict) -> None:
    reads = publish_runs["reads"]
    errors = [read for read in reads if isinstance(read, Exception)]
    assert errors == []
    complete = {(len(publish_runs["first"]["individual_activity"]),
                 len({row[2] for row in publish_runs["first"]["individual_activity"]}))}
    # the first run's state, then the same after the last run (same landing data)
    assert len(reads) > 50 and set(reads) == complete


def test_a_second_writer_stops_at_once(publish_runs: dict) -> None:
    code, _, stderr = publish_runs["concurrent"]
    assert code == 1
    assert "another run (pid " in stderr and "is writing this warehouse" in stderr
    assert "Traceback" not in stderr
    assert publish_runs["concurrent_seconds"] < 30


def test_a_killed_run_leaves_the_published_warehouse_as_it_was(publish_runs: dict) -> None:
    assert publish_runs["kept"] == [True] * len(KILL_POINTS)


def test_a_run_after_kills_gives_the_marts_of_an_uninterrupted_run(publish_runs: dict) -> None:
    assert publish_runs["after_kills"] == publish_runs["first"]
    leftovers = [p.name for p in publish_runs["folder"].iterdir() if ".build-" in p.name
                 or ".publishing-" in p.name]
    assert leftovers == []


def test_files_are_readable_by_their_owner_only(publish_runs: dict) -> None:
    warehouse: Path = publish_runs["warehouse"]
    quality = warehouse.parent / f"{warehouse.stem}_quality"
    logs = sorted((REPO / "logs").glob("run-*.log"))
    for path in (warehouse, quality, *list(quality.rglob("*"))[:20], logs[-1]):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path, oct(mode))


def test_the_published_file_holds_the_gate_verdict_of_its_run(publish_runs: dict) -> None:
    verdicts = query(publish_runs["warehouse"],
                     "select passed from quality.quality_gate_runs order by checked_at")
    assert verdicts and verdicts[-1] == (True,)


def test_a_failed_gate_fails_the_run_naming_the_expectation_and_rows(publish_runs: dict) -> None:
    code, stdout, stderr = publish_runs["rejected"]
    assert code == 1, stdout[-2000:]
    assert "contacts__postal_codes: expect_column_values_to_match_regex(postal_code)" in stderr
    for individual_id in MALFORMED_POSTAL_CODES:
        assert individual_id in stderr
    assert "Nothing was published" in stderr


def test_a_failed_gate_leaves_the_published_warehouse_as_it_was(publish_runs: dict) -> None:
    assert publish_runs["unchanged_after_rejection"]


def test_the_rejected_build_has_the_new_marts_but_not_the_outputs_behind_the_gate(
    publish_runs: dict,
) -> None:
    ids = publish_runs["rejected_ids"]
    assert set(MALFORMED_POSTAL_CODES) <= ids["individual_activity"]
    # rnvp_contacts is the last published one, not rebuilt from the rejected delivery
    assert not set(MALFORMED_POSTAL_CODES) & ids["rnvp_contacts"]


def test_the_next_delivery_passes_against_the_published_baseline(publish_runs: dict) -> None:
    warehouse = publish_runs["warehouse"]
    # the normal delivery after the rejected one passed: the baseline was the last
    # published run, not the rejected one (three times the sessions)
    assert len(publish_runs["after_kills"]["individual_activity"]) == len(
        build_planted_landing().rows["individuals"])
    assert query(warehouse, "select count(distinct dbt_invocation_id) "
                            "from quality.landing_load_log") == [(2,)]  # the first and the last
    assert not (warehouse.parent / "warehouse.rejected.duckdb").exists()


def test_the_gate_writes_data_docs_and_a_report(publish_runs: dict) -> None:
    warehouse = publish_runs["warehouse"]
    quality = warehouse.parent / f"{warehouse.stem}_quality"
    report = json.loads((quality / "gate_report.json").read_text())
    assert report["success"] is True  # the last run's
    index = Path(report["data_docs_index"])
    assert index.exists() and "contacts__postal_codes" in index.read_text()
