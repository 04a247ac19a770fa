"""End-to-end: the inactivity score on the demo data (`make run` without RAW_DATA_DIR), where
the history is long enough to train, calibrate and evaluate it."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import duckdb
import pytest
from main_job import query, run_main_job

from orchestration.score import model

pytestmark = pytest.mark.slow  # runs the main job (`make test-fast` leaves it out)

AS_OF = "2026-06-30"
DEMO_INDIVIDUALS = "3000"  # what `make run` generates


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo_score")


@pytest.fixture(scope="module")
def demo_warehouse(demo_folder: Path) -> Path:
    folder = demo_folder
    warehouse = folder / "demo.duckdb"
    # a live run (the day of the run is the as-of date): the demo's GDPR erasure happens
    result = run_main_job(None, warehouse, AS_OF, RUN_DATE=AS_OF,
                          DEMO_INDIVIDUALS=DEMO_INDIVIDUALS, DEMO_DATA_DIR=str(folder / "demo"))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "individual" in result.stdout and str(warehouse) in result.stdout
    return warehouse


def test_demo_data_run_covers_every_stage(demo_warehouse: Path) -> None:
    stages = dict(query(
        demo_warehouse, "select lifecycle_stage, count(*) from marts.individual_activity group by 1"))
    # erased: the demo plants erasure requests and people silent for years (GDPR)
    assert set(stages) == {"prospect", "active", "at_risk", "dormant", "lost", "erased"}, stages
    assert query(
        demo_warehouse,
        "select count(*) = count(distinct individual_id) from marts.individual_activity",
    ) == [(True,)]


def test_every_customer_has_a_score_in_0_1_and_only_customers(demo_warehouse: Path) -> None:
    rows = query(demo_warehouse, """
        select lifecycle_stage, count(*), count(inactivity_score), min(inactivity_score),
               max(inactivity_score), count(score_drivers)
        from marts.individual_activity group by 1""")
    for stage, total, scored, lowest, highest, explained in rows:
        if stage in ("prospect", "erased"):
            assert scored == 0, stage
        else:
            assert scored == total > 0, stage
            assert 0 <= lowest <= highest <= 1, stage
            assert explained > 0, stage


def test_the_score_ranks_the_stages(demo_warehouse: Path) -> None:
    """Dormant and lost customers are closer to (or past) dormancy than active ones."""
    mean = dict(query(demo_warehouse, """
        select lifecycle_stage, avg(inactivity_score) from marts.individual_activity
        where inactivity_score is not null group by 1"""))
    assert mean["active"] < mean["at_risk"] < mean["dormant"], mean
    assert mean["active"] < mean["lost"], mean


def test_the_learned_score_beats_recency_on_the_held_out_date(demo_warehouse: Path) -> None:
    [(fit_id, held_out, last_training, auc, baseline)] = query(demo_warehouse, """
        select distinct fit_id, held_out_date, last_training_date, auc, baseline_auc
        from marts.inactivity_score_model where is_current_fit""")
    assert held_out > last_training  # evaluated on a later as-of date than any training date
    assert auc > baseline, (fit_id, auc, baseline)


def test_customers_scored_higher_go_dormant_more_often(demo_warehouse: Path) -> None:
    deciles = query(demo_warehouse, """
        select score_decile, customers, mean_score, dormant_rate
        from marts.inactivity_score_calibration where is_current_fit order by score_decile""")
    assert [row[0] for row in deciles] == list(range(1, 11))
    rates = [row[3] for row in deciles]
    assert sum(rates[-3:]) > 3 * sum(rates[:3]), rates
    assert rates[-1] == max(rates), rates
    # calibrated: the mean score of a decile is close to the share that went dormant
    customers = sum(row[1] for row in deciles)
    gap = sum(row[1] * abs(row[2] - row[3]) for row in deciles) / customers
    assert gap < 0.05, deciles


def test_the_weights_table_has_every_criterion_of_the_seed(demo_warehouse: Path) -> None:
    criteria = {row[0] for row in query(demo_warehouse, """
        select criterion from marts.inactivity_score_model where is_current_fit""")}
    lines = {row[0] for row in query(demo_warehouse,
                                     "select business_line from business_rules.business_lines")}
    seed = {row[0] for row in query(demo_warehouse,
                                    "select criterion from business_rules.inactivity_score_criteria")}
    assert criteria == (seed - {"business_line"}) | {f"business_line={line}" for line in lines}


def test_a_refit_of_the_same_date_and_seed_gives_the_same_model(
    demo_warehouse: Path, tmp_path: Path,
) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(demo_warehouse, copy)
    as_of = datetime.date.fromisoformat(AS_OF)
    with duckdb.connect(str(copy)) as con:
        first = model.fit_score_model(con, as_of, seed=7)
        second = model.fit_score_model(con, as_of, seed=7)
    assert first.fit.fit_id == second.fit.fit_id == f"{AS_OF}/seed-7"
    assert list(first.fit.weights) == list(second.fit.weights)
    assert (first.auc, first.fit.bgnbd) == (second.auc, second.fit.bgnbd)


def test_the_refit_job_replaces_the_fit_of_its_date_and_seed(
    demo_warehouse: Path, demo_folder: Path,
) -> None:
    """`make refit-score` (the monthly job): a new fit at the as-of date, published; the same
    data and seed give the same weights, and the marts show it as the current fit."""
    before = query(demo_warehouse, "select fit_id, fitted_at from score_model.fits")
    weights_before = query(demo_warehouse, """
        select criterion, weight from score_model.fit_weights order by criterion""")
    result = run_main_job(None, demo_warehouse, AS_OF, command="refit-score", RUN_DATE=AS_OF,
                          DEMO_INDIVIDUALS=DEMO_INDIVIDUALS, DEMO_DATA_DIR=str(demo_folder / "demo"))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "inactivity score:" in result.stdout and "AUC" in result.stdout
    after = query(demo_warehouse, "select fit_id, fitted_at from score_model.fits")
    assert [row[0] for row in after] == [row[0] for row in before] == [f"{AS_OF}/seed-{model.DEFAULT_SEED}"]
    assert after[0][1] > before[0][1]  # refitted, not kept
    assert query(demo_warehouse, """
        select criterion, weight from score_model.fit_weights order by criterion""") == weights_before
    assert query(demo_warehouse, """
        select count(distinct fit_id) from marts.inactivity_score_model where is_current_fit""") == [(1,)]
