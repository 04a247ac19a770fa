"""What a long run shows while it runs, and each step's time once it is over.

One source, the run's Dagster events, two readers:

- `make run` (cli.py) turns on the `progress` logger: a line when a step starts and when it
  ends, and on a terminal a line that follows dbt's models and tests as they finish
  (`crm_dbt_models  models 37/86  tests 120/227  0:45`). The full logs still go to the run log.
- `step_timings()` reads the steps' start and end from the event log: the publish step
  attaches them to its materialization (every Dagster run, the UI's too), `make run` prints
  the slowest and writes them beside its run log, and `make bench` reads that file.
"""

import json
import logging
import re
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import IO, Any

from dagster import DagsterEventType, EventLogEntry, InitLoggerContext, logger

# What each step of the main job does, for people reading the timings (the keys are Dagster's
# step keys; a dbt step Dagster runs in parts gets _2, _3 ..., labelled as the step unless
# listed: the main job runs crm_dbt_models in two parts, around the score's fit).
STEP_LABELS = {
    "demo_landing_data": "demo landing data",
    "crm_dbt_models": "dbt: landing checks, models and their tests",
    "crm_dbt_models_2": "dbt: the scores, the models that read them, their tests",
    "inactivity_score_fit": "score: model fit (refits only)",
    "quality__landing_quality_gate": "quality gate (Great Expectations)",
    "crm_dbt_outputs": "dbt: RNVP contact file, GDPR and reactivation models",
    "gdpr__warehouse_erasure": "GDPR erasure (and the rebuild after it)",
    "inactivity_summary": "summary",
    "reports__inactivity_report": "HTML report",
    "warehouse__published": "publish (compact copy, atomic rename)",
    "reactivation__exports": "reactivation export files",
    "gdpr__exports_scrubbed": "erased people scrubbed from earlier exports",
}

# The dbt step's announcement of its size, which the progress line counts against.
DBT_PLAN_MESSAGE = "dbt step selects {models} models and seeds, {tests} tests"
_DBT_PLAN = re.compile(r"^dbt step selects (\d+) models and seeds, (\d+) tests")
_DURATION = "Execution Duration"  # dagster-dbt's metadata: dbt's own time for the node


def step_label(step_key: str) -> str:
    base = re.sub(r"_\d+$", "", step_key)
    return STEP_LABELS.get(step_key) or STEP_LABELS.get(base, base)


@dataclass
class StepTiming:
    """One step of a run: its wall time, and for a dbt step the models and tests it ran with
    dbt's time for them (summed over dbt's threads, so it can exceed the wall time)."""

    step: str
    label: str
    seconds: float
    succeeded: bool
    dbt_models: int = 0
    dbt_model_seconds: float = 0.0
    dbt_tests: int = 0
    dbt_test_seconds: float = 0.0


def _node_seconds(entry: EventLogEntry) -> tuple[str, float] | None:
    """('model' | 'test', dbt's seconds) of a materialization or check event, else None."""
    event = entry.dagster_event
    if event is None:
        return None
    if event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
        metadata = event.step_materialization_data.materialization.metadata
        kind = "model"
    elif event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
        metadata = event.event_specific_data.metadata
        kind = "test"
    else:
        return None
    duration = metadata.get(_DURATION)  # only dbt's nodes have it
    if duration is None:
        return None
    return kind, float(getattr(duration, "value", duration) or 0.0)


def step_timings(entries: Iterable[EventLogEntry]) -> list[StepTiming]:
    """The steps of a run in the order they started, from its event log."""
    started: dict[str, float] = {}
    timings: dict[str, StepTiming] = {}
    for entry in entries:
        event, step = entry.dagster_event, entry.step_key
        if event is None or step is None:
            continue
        if event.event_type == DagsterEventType.STEP_START:
            started[step] = entry.timestamp
            timings[step] = StepTiming(step, step_label(step), 0.0, False)
        elif event.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
            if step in timings:
                timings[step].seconds = round(entry.timestamp - started[step], 1)
                timings[step].succeeded = event.event_type == DagsterEventType.STEP_SUCCESS
        elif (node := _node_seconds(entry)) and step in timings:
            kind, seconds = node
            timing = timings[step]
            if kind == "model":
                timing.dbt_models += 1
                timing.dbt_model_seconds = round(timing.dbt_model_seconds + seconds, 2)
            else:
                timing.dbt_tests += 1
                timing.dbt_test_seconds = round(timing.dbt_test_seconds + seconds, 2)
    return list(timings.values())


def run_step_timings(instance: Any, run_id: str) -> list[StepTiming]:
    """step_timings of a run of `instance` (a DagsterInstance)."""
    return step_timings(instance.all_logs(run_id))


def format_step_table(timings: list[StepTiming], slowest: int | None = None) -> str:
    """The steps, slowest first (the first `slowest` of them), as aligned text."""
    rows = sorted(timings, key=lambda timing: -timing.seconds)[:slowest]
    width = max((len(timing.step) for timing in rows), default=4)
    lines = []
    for timing in rows:
        dbt = ""
        if timing.dbt_models or timing.dbt_tests:
            dbt = (f"  ({timing.dbt_models} models {timing.dbt_model_seconds:.0f} s, "
                   f"{timing.dbt_tests} tests {timing.dbt_test_seconds:.0f} s of dbt time)")
        failed = "" if timing.succeeded else "  FAILED"
        lines.append(f"  {timing.step:<{width}} {timing.seconds:7.1f} s  {timing.label}{dbt}{failed}")
    return "\n".join(lines)


def step_timings_markdown(timings: list[StepTiming]) -> str:
    """The timings as a Markdown table (Dagster's metadata of the publish step)."""
    lines = ["| step | what | seconds | dbt models (s) | dbt tests (s) |", "|---|---|---:|---:|---:|"]
    for timing in timings:
        lines.append(f"| {timing.step} | {timing.label} | {timing.seconds:.1f} | "
                     f"{timing.dbt_models} ({timing.dbt_model_seconds:.0f}) | "
                     f"{timing.dbt_tests} ({timing.dbt_test_seconds:.0f}) |")
    return "\n".join(lines)


def timings_json(timings: list[StepTiming]) -> str:
    return json.dumps([asdict(timing) for timing in timings], indent=2)


# --- the terminal's progress line -------------------------------------------------------


class ProgressHandler(logging.Handler):
    """Renders a run's Dagster events as progress on a terminal (or, when the output is not a
    terminal, a pipe or a CI log: a line per step start and end, and the counts again at most
    once a minute while a long step runs)."""

    # a terminal's line is redrawn at most this often
    REDRAW_SECONDS = 0.5
    # off a terminal, a step's counts are printed again at most this often: at 1,000,000
    # individuals the first dbt step runs for about 20 minutes
    PIPE_LINE_SECONDS = 60.0

    def __init__(self, stream: IO[str]) -> None:
        super().__init__(level=logging.DEBUG)
        self.stream = stream
        self.live = stream.isatty()
        self.run_started = time.monotonic()
        self.step: str | None = None
        self.step_started = 0.0
        self.totals = (0, 0)
        self.done = [0, 0]
        self.drawn = 0.0

    def _elapsed(self, since: float) -> str:
        seconds = int(time.monotonic() - since)
        return f"{seconds // 60}:{seconds % 60:02d}"

    def _write(self, text: str, final: bool) -> None:
        if self.live:
            self.stream.write("\r\033[K" + text + ("\n" if final else ""))
        elif final:
            self.stream.write(text + "\n")
        self.stream.flush()

    def _counts(self) -> str:
        models, tests = self.totals
        if not (models or tests):  # not a dbt step
            return ""
        return f"  models {self.done[0]}/{models}  tests {self.done[1]}/{tests}"

    def emit(self, record: logging.LogRecord) -> None:
        meta: Mapping[str, Any] = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key")
        if event is None:
            plan = _DBT_PLAN.match(str(meta.get("orig_message", "")))
            if plan and step == self.step:
                self.totals = (int(plan.group(1)), int(plan.group(2)))
            return
        kind = event.event_type
        if kind == DagsterEventType.STEP_START:
            self.step, self.step_started = step, time.monotonic()
            self.drawn = self.step_started
            self.totals, self.done = (0, 0), [0, 0]
            self._write(f"[{self._elapsed(self.run_started)}] {step}: {step_label(step)} ...",
                        final=not self.live)
        elif kind in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
            outcome = "done" if kind == DagsterEventType.STEP_SUCCESS else "FAILED"
            self._write(f"[{self._elapsed(self.run_started)}] {step} {outcome} in "
                        f"{self._elapsed(self.step_started)}{self._counts()}", final=True)
            self.step = None
        elif kind in (DagsterEventType.ASSET_MATERIALIZATION,
                      DagsterEventType.ASSET_CHECK_EVALUATION) and step == self.step:
            self.done[0 if kind == DagsterEventType.ASSET_MATERIALIZATION else 1] += 1
            interval = self.REDRAW_SECONDS if self.live else self.PIPE_LINE_SECONDS
            if time.monotonic() - self.drawn >= interval:
                self.drawn = time.monotonic()
                self._write(f"[{self._elapsed(self.run_started)}] {step}{self._counts()}  "
                            f"{self._elapsed(self.step_started)}", final=not self.live)


@logger(description="Progress of a run on the terminal that started it (make run).")
def progress_logger(_init_context: InitLoggerContext) -> logging.Logger:
    # a new logger per run (not logging.getLogger's shared one): its handler holds this run's
    # state, and a process that runs several jobs (tests) must not stack handlers
    progress = logging.Logger("crm_inactivity.progress", level=logging.DEBUG)  # noqa: LOG001
    # sys.__stdout__: cli.py sends sys.stdout to the run log while the job runs
    progress.addHandler(ProgressHandler(sys.__stdout__ or sys.stdout))
    return progress
