"""`python -m orchestration run | generate-demo`: what `make run` calls.

`run` executes the same Dagster jobs as `dagster dev`, in process, then prints a summary.
Dagster's log and dbt's event stream go to logs/orchestration_run.log, so the
terminal shows the settings, the outcome and, on failure, dbt's error (e.g. the landing
contract message naming the table and the missing column).
"""

import argparse
import contextlib
import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from orchestration.settings import REPO_ROOT, RunSettings, SettingsError

if TYPE_CHECKING:  # dagster is imported lazily: `--help` and bad settings answer at once
    from dagster import DagsterInstance

LOG_DIR = REPO_ROOT / "logs"
# the run logs kept (one file per run; older ones are removed)
KEPT_RUN_LOGS = 20


def new_run_log() -> Path:
    """logs/run-<UTC time>-<pid>.log: each run its own log, so two runs never mix theirs."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    for old in sorted(LOG_DIR.glob("run-*.log"))[:-KEPT_RUN_LOGS]:
        old.unlink(missing_ok=True)
        old.with_suffix(".steps.json").unlink(missing_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return LOG_DIR / f"run-{stamp}-{os.getpid()}.log"


def _instance() -> "DagsterInstance":
    """Ephemeral (in memory) unless DAGSTER_HOME is set.

    `make run` then needs no Dagster storage and can never contend with a `dagster dev`
    instance (SQLite run storage, daemon, schedules). Who wants CLI runs in the UI's history
    sets DAGSTER_HOME to the folder `dagster dev` uses (e.g. .dagster_home) for both.
    """
    from dagster import DagsterInstance

    return DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else DagsterInstance.ephemeral()


def _execute(
    job_name: str, settings: RunSettings, instance: "DagsterInstance", log_file: IO[str],
    run_log: Path,
) -> tuple[str, str | None]:
    """Runs one job of `defs`; returns its run id and None on success, else the error text."""
    run_config = {
        # The settings this command resolved (and printed) are exactly what the run uses.
        "resources": {
            "run_settings": {
                "config": settings.run_config()
            }
        },
        # the console logger writes to the run log (stderr is redirected below); progress
        # writes the step running and its progress to the terminal (orchestration/progress.py)
        "loggers": {"console": {"config": {"log_level": "INFO"}}, "progress": {}},
    }
    # dbt's stream (stdout), Dagster's log and warnings (stderr) go to the file, not the terminal.
    with contextlib.redirect_stdout(log_file), contextlib.redirect_stderr(log_file):
        from orchestration.definitions import defs

        result = defs.resolve_job_def(job_name).execute_in_process(
            run_config=run_config, instance=instance, raise_on_error=False
        )
    if result.success:
        return result.run_id, None
    errors = [
        _readable(event.step_failure_data.error.message)
        for event in result.all_events
        if event.is_step_failure and event.step_failure_data.error
    ]
    return result.run_id, "\n\n".join(errors) or f"job {job_name} failed (see {run_log})"


def _readable(message: str) -> str:
    """dagster-dbt's error ends with dbt's own messages: those, plus where dbt's log is."""
    head, found, dbt_errors = message.partition("Errors parsed from dbt logs:")
    if not found:
        return message.strip()
    log = re.search(r"dbt debug log: (\S+?)\.?$", head, flags=re.MULTILINE)
    return dbt_errors.strip() + (f"\n\ndbt debug log: {log.group(1)}" if log else "")


def _run_always() -> bool:
    """RUN_ALWAYS=true: run even when nothing changed since the last publish."""
    return os.environ.get("RUN_ALWAYS", "").strip().lower() in ("1", "true", "yes")


MAIN_JOB = "build_and_erase"
SCORE_REFIT_JOB = "refit_inactivity_score"


def run(settings: RunSettings, job: str = MAIN_JOB) -> int:
    """Runs `job` (the main job by default; before it, the demo data when RAW_DATA_DIR is
    unset), then prints the summary."""
    # only what the check for a run with nothing new needs: Dagster comes after it
    from orchestration.gdpr_salt import SaltMismatchError
    from orchestration.publish import (
        WarehouseBusyError,
        WarehouseFiles,
        check_can_write,
        release_writer_lock,
        restrict_new_files,
    )
    from orchestration.run_inputs import nothing_changed, record_completed_run

    restrict_new_files()  # the warehouse, the outputs and the logs: owner (and group) only
    print(f"as-of date     {settings.as_of_date}")
    replay = f"  (replay: run date {settings.run_date}, nobody is erased)" if settings.is_replay else ""
    print(f"run date       {settings.run_date}{replay}")
    demo = "  (demo data)" if settings.uses_demo_data else ""
    print(f"raw data dir   {settings.landing_dir}{demo}")
    print(f"warehouse      {settings.warehouse_path}")
    print(f"exports        {settings.exports_dir}")
    files = WarehouseFiles(settings.warehouse_path)
    try:
        check_can_write(files)  # held until this command ends; the job's steps share it
    except (WarehouseBusyError, SaltMismatchError) as error:
        print(f"\nerror: {error}", file=sys.stderr)
        return 1
    try:
        if settings.uses_demo_data and not settings.approve_gdpr_erasure:
            # The breaker protects real customers; the demo people are invented.
            settings = replace(settings, approve_gdpr_erasure=True)
            print("gdpr erasure   approved for the demo data (on real data the circuit breaker "
                  "applies)")
        # checked before Dagster is even imported: a run with nothing new takes seconds
        unchanged = None if _run_always() or job != MAIN_JOB else nothing_changed(settings, job)
        if unchanged:
            print(f"\n{unchanged}")
            return 0
        from orchestration.gdpr import circuit_breaker_message, format_gdpr_summary
        from orchestration.progress import (
            StepTiming,
            format_step_table,
            run_step_timings,
            timings_json,
        )
        from orchestration.quality import format_quarantine_summary
        from orchestration.reactivation import format_reactivation_summary
        from orchestration.report_assets import format_stage_table, read_stage_counts
        from orchestration.score.assets import format_score_summary
        run_log = new_run_log()
        started = time.time()
        instance = _instance()
        # line-buffered: `tail -f` on the log follows the run as it goes
        with run_log.open("w", encoding="utf-8", buffering=1) as log_file:
            # Demo data only when RAW_DATA_DIR is unset: real landing files are never overwritten.
            demo = settings.raw_data_dir is None and job == MAIN_JOB
            timings: list[StepTiming] = []
            for job_name in [*(["generate_demo_data"] if demo else []), job]:
                print(f"running {job_name} ... (log: {run_log})", flush=True)
                run_id, error = _execute(job_name, settings, instance, log_file, run_log)
                timings += run_step_timings(instance, run_id)
                # each step's time beside the run log, for make bench and later reading
                run_log.with_suffix(".steps.json").write_text(timings_json(timings),
                                                              encoding="utf-8")
                if error:
                    # an older run's rejected build is not this one's
                    set_aside = files.rejected if (files.rejected.exists() and
                                                   files.rejected.stat().st_mtime >= started) else None
                    breaker = circuit_breaker_message(set_aside) if set_aside else None
                    print(f"\n{job_name} FAILED:\n\n"
                          + (f"{breaker}\n\n" if breaker else "")
                          + f"{error}\n\nNothing was published: "
                          f"{settings.warehouse_path} is as it was"
                          + (f"; what this run built is in {set_aside}" if set_aside else "")
                          + f".\ndbt and Dagster output: {run_log}", file=sys.stderr)
                    return 1
        record_completed_run(settings, job, run_id)  # the next run compares with it
    finally:
        release_writer_lock(files)
    print(f"\nslowest steps (all: {run_log.with_suffix('.steps.json')}):\n"
          f"{format_step_table(timings, slowest=5)}")
    print(f"\nwarehouse published: {settings.warehouse_path} (schema marts)\n")
    print(format_stage_table(read_stage_counts(settings.warehouse_path)))
    print(f"\n{format_quarantine_summary(settings.warehouse_path)}")
    print(f"\n{format_gdpr_summary(settings.warehouse_path, settings)}")
    print(f"\n{format_reactivation_summary(settings.warehouse_path, settings)}")
    print(f"\n{format_score_summary(settings.warehouse_path)}")
    if settings.report_path.exists():
        print(f"\nreport: {settings.report_path} (one HTML file: open it in a browser)")
    return 0


def generate_demo(settings: RunSettings, out_dir: Path) -> int:
    from orchestration.demo_data import generate_landing_data

    counts = generate_landing_data(
        out_dir, settings.demo_individuals, settings.demo_seed, settings.as_of
    )
    print(f"demo landing data (as of {settings.as_of_date}, seed {settings.demo_seed}) "
          f"written to {out_dir}:")
    for table, rows in sorted(counts.items()):
        print(f"  {table:<22}{rows:>10}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run_cmd = commands.add_parser("run", help="build the warehouse (demo data if no RAW_DATA_DIR)")
    run_cmd.add_argument("--as-of", help="overrides AS_OF_DATE (YYYY-MM-DD)")
    run_cmd.add_argument("--run-date", help="overrides RUN_DATE (YYYY-MM-DD, default today UTC)")
    run_cmd.add_argument("--raw-data-dir", help="overrides RAW_DATA_DIR")
    run_cmd.add_argument("--warehouse", help="overrides WAREHOUSE_PATH")
    run_cmd.add_argument("--export-dir", help="overrides EXPORT_DIR")
    refit_cmd = commands.add_parser(
        "refit-score", help="refit the inactivity score's model at the as-of date (the "
        "monthly job refit_inactivity_score); the next run scores with it")
    for option, text in (("--as-of", "overrides AS_OF_DATE (YYYY-MM-DD)"),
                         ("--raw-data-dir", "overrides RAW_DATA_DIR"),
                         ("--warehouse", "overrides WAREHOUSE_PATH")):
        refit_cmd.add_argument(option, help=text)
    demo_cmd = commands.add_parser("generate-demo", help="write a demo landing set")
    demo_cmd.add_argument("--individuals", type=int, help="overrides DEMO_INDIVIDUALS")
    demo_cmd.add_argument("--seed", type=int, help="overrides DEMO_SEED")
    demo_cmd.add_argument("--out", type=Path, help="default: DEMO_DATA_DIR, else data/demo")
    demo_cmd.add_argument("--as-of", help="overrides AS_OF_DATE (YYYY-MM-DD)")
    args = parser.parse_args(argv)

    try:
        settings = RunSettings.from_env().with_overrides(
            as_of_date=args.as_of,
            run_date=getattr(args, "run_date", None),
            raw_data_dir=getattr(args, "raw_data_dir", None),
            warehouse_path=getattr(args, "warehouse", None),
            export_dir=getattr(args, "export_dir", None),
            demo_individuals=getattr(args, "individuals", None),
            demo_seed=getattr(args, "seed", None),
        )
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.command == "run":
        return run(settings)
    if args.command == "refit-score":
        return run(settings, SCORE_REFIT_JOB)
    return generate_demo(settings, (args.out or settings.demo_data_dir).resolve())
