"""The run's progress and timings (orchestration/progress.py) on hand-made events: no run.

The end-to-end test reads the same lines off `make run` (test_end_to_end); this one says
what each helper gives, in a second."""

from __future__ import annotations

import io
import json
import logging
from types import SimpleNamespace

from dagster import DagsterEventType

from orchestration.progress import (
    DBT_PLAN_MESSAGE,
    ProgressHandler,
    StepTiming,
    format_step_table,
    step_label,
    step_timings_markdown,
    timings_json,
)

# in the order the steps ran, not the slowest first
TIMINGS = [
    StepTiming("warehouse__published", "publish (compact copy, atomic rename)", 1.0, True),
    StepTiming("crm_dbt_models", "dbt: landing checks, models and their tests", 40.0, True,
               dbt_models=80, dbt_model_seconds=30.4, dbt_tests=300, dbt_test_seconds=9.6),
    StepTiming("quality__landing_quality_gate", "quality gate (Great Expectations)", 5.25, False),
]


def test_a_step_run_in_parts_keeps_the_label_of_its_step_unless_the_part_has_its_own() -> None:
    assert step_label("crm_dbt_models_3") == step_label("crm_dbt_models") == (
        "dbt: landing checks, models and their tests")
    assert step_label("crm_dbt_models_2") == "dbt: the scores, the models that read them, their tests"
    assert step_label("a_step_of_tomorrow") == "a_step_of_tomorrow"


def test_the_table_lists_the_slowest_steps_first_with_dbt_time_and_failures() -> None:
    table = format_step_table(TIMINGS, slowest=2).splitlines()
    assert len(table) == 2
    assert table[0].split()[:3] == ["crm_dbt_models", "40.0", "s"]
    assert "(80 models 30 s, 300 tests 10 s of dbt time)" in table[0]
    assert table[1].split()[:3] == ["quality__landing_quality_gate", "5.2", "s"]
    assert table[1].endswith("FAILED")
    assert format_step_table([]) == ""


def test_the_markdown_and_json_have_every_step() -> None:
    markdown = step_timings_markdown(TIMINGS).splitlines()
    assert markdown[0] == "| step | what | seconds | dbt models (s) | dbt tests (s) |"
    assert markdown[3] == ("| crm_dbt_models | dbt: landing checks, models and their tests | "
                           "40.0 | 80 (30) | 300 (10) |")
    assert len(markdown) == 2 + len(TIMINGS)
    assert [step["step"] for step in json.loads(timings_json(TIMINGS))] == [
        timing.step for timing in TIMINGS]


def _record(step: str, event_type: DagsterEventType | None = None,
            message: str = "") -> logging.LogRecord:
    record = logging.LogRecord("progress", logging.INFO, __file__, 0, message, None, None)
    event = None if event_type is None else SimpleNamespace(event_type=event_type)
    record.dagster_meta = {"dagster_event": event, "step_key": step, "orig_message": message}
    return record


def test_a_dbt_step_counts_its_models_and_tests_against_its_plan() -> None:
    """Off a terminal (a pipe, a CI log): one line when a step starts, one when it ends."""
    out = io.StringIO()
    handler = ProgressHandler(out)
    step = "crm_dbt_models"
    handler.emit(_record(step, DagsterEventType.STEP_START))
    handler.emit(_record(step, message=DBT_PLAN_MESSAGE.format(models=3, tests=5)))
    for _ in range(3):
        handler.emit(_record(step, DagsterEventType.ASSET_MATERIALIZATION))
    for _ in range(4):
        handler.emit(_record(step, DagsterEventType.ASSET_CHECK_EVALUATION))
    handler.emit(_record("another_step", DagsterEventType.ASSET_MATERIALIZATION))  # not counted
    handler.emit(_record(step, DagsterEventType.STEP_FAILURE))
    started, ended = out.getvalue().splitlines()
    assert started == "[0:00] crm_dbt_models: dbt: landing checks, models and their tests ..."
    assert ended == "[0:00] crm_dbt_models FAILED in 0:00  models 3/3  tests 4/5"


def test_off_a_terminal_a_long_step_prints_its_counts_again() -> None:
    """A pipe or a CI log sees the counts of a long step now and then (at most once a
    minute), not only its start and, twenty minutes later, its end."""
    out = io.StringIO()
    handler = ProgressHandler(out)
    handler.PIPE_LINE_SECONDS = 0.0  # every count, instead of waiting a minute
    step = "crm_dbt_models"
    handler.emit(_record(step, DagsterEventType.STEP_START))
    handler.emit(_record(step, message=DBT_PLAN_MESSAGE.format(models=3, tests=5)))
    handler.emit(_record(step, DagsterEventType.ASSET_MATERIALIZATION))
    handler.emit(_record(step, DagsterEventType.ASSET_CHECK_EVALUATION))
    handler.emit(_record(step, DagsterEventType.STEP_SUCCESS))
    assert out.getvalue().splitlines()[1:] == [
        "[0:00] crm_dbt_models  models 1/3  tests 0/5  0:00",
        "[0:00] crm_dbt_models  models 1/3  tests 1/5  0:00",
        "[0:00] crm_dbt_models done in 0:00  models 1/3  tests 1/5",
    ]


def test_a_step_that_is_not_dbt_shows_no_counts() -> None:
    out = io.StringIO()
    handler = ProgressHandler(out)
    handler.emit(_record("warehouse__published", DagsterEventType.STEP_START))
    handler.emit(_record("warehouse__published", DagsterEventType.STEP_SUCCESS))
    assert out.getvalue().splitlines()[1] == "[0:00] warehouse__published done in 0:00"
