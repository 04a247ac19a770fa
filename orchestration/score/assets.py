"""The score's fit as Dagster assets: between the dbt model of the criteria and the dbt
model that scores (Dagster runs the dbt step in two parts around it). Its three tables are
the dbt source `inactivity_score`, so they carry the source's asset keys."""

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Config,
    Failure,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from orchestration.report import markdown_escape
from orchestration.resources import RunSettingsResource, WarehouseWriterResource
from orchestration.score import cdnow, model
from orchestration.settings import set_duckdb_memory_limit

# the dbt source of the fits (models/intermediate/score/_score__sources.yml)
FIT_KEYS = {table: AssetKey(["inactivity_score", table])
            for table in ("fits", "fit_weights", "fit_calibration")}
FEATURES_KEY = AssetKey(["intermediate", "int_score_features"])
CRITERIA_KEY = AssetKey(["business_rules", "inactivity_score_criteria"])


class ScoreFitConfig(Config):
    """refit: fit even when a fit at or before the as-of date exists (the monthly job sets
    it). seed: the draws of the fit (BG/NBD sample, training-row cap)."""

    refit: bool = False
    seed: int = model.DEFAULT_SEED


def _cdnow_check() -> dict[str, Any]:
    """The BG/NBD code's check on CDNOW (a hundredth of a second), beside the published
    figures, when ../shared/data is there: what the probability alive rests on."""
    path = cdnow.default_path(master=False)
    if not path.exists():
        return {}
    fitted = cdnow.fit_cdnow(path).parameters
    names = ("r", "alpha", "a", "b", "log_likelihood")
    return {"cdnow_sample_fit": MetadataValue.md("\n".join(
        ["| | r | alpha | a | b | log-likelihood |", "|---|---:|---:|---:|---:|---:|",
         *(f"| {label} | " + " | ".join(f"{getattr(params, name):.4g}" for name in names) + " |"
           for label, params in (("published", cdnow.PUBLISHED_SAMPLE), ("this code", fitted)))]))}


def _fit_metadata(con: duckdb.DuckDBPyConnection, fit_id: str) -> dict[str, Any]:
    fit = con.execute(
        "select auc, baseline_auc, brier_score, held_out_date, training_rows, held_out_rows, "
        "bgnbd_r, bgnbd_alpha, bgnbd_a, bgnbd_b, bgnbd_log_likelihood "
        "from score_model.fits where fit_id = ?", [fit_id]).df().iloc[0]
    weights = con.execute(
        "select criterion_label, weight from score_model.fit_weights where fit_id = ? "
        "order by abs(weight) desc", [fit_id]).fetchall()
    calibration = con.execute(
        "select score_decile, customers, mean_score, dormant_rate from score_model.fit_calibration "
        "where fit_id = ? order by score_decile", [fit_id]).fetchall()
    weight_table = "\n".join(["| criterion | weight |", "|---|---:|",
                              *(f"| {markdown_escape(label)} | {weight:+.3f} |" for label, weight in weights)])
    calibration_table = "\n".join(
        ["| decile | customers | mean score | went dormant |", "|---:|---:|---:|---:|",
         *(f"| {d} | {n} | {s:.3f} | {r:.3f} |" for d, n, s, r in calibration)])
    return {
        "fit_id": fit_id,
        "auc": round(float(fit["auc"]), 4),
        "baseline_auc": round(float(fit["baseline_auc"]), 4),
        "brier_score": round(float(fit["brier_score"]), 4),
        "held_out_date": str(fit["held_out_date"].date()),
        "training_rows": int(fit["training_rows"]),
        "held_out_rows": int(fit["held_out_rows"]),
        "bgnbd": MetadataValue.json({name: round(float(fit[f"bgnbd_{name}"]), 4) for name in
                                     ("r", "alpha", "a", "b", "log_likelihood")}),
        "weights": MetadataValue.md(weight_table),
        "calibration": MetadataValue.md(calibration_table),
        **_cdnow_check(),
    }


@multi_asset(
    name="inactivity_score_fit",
    specs=[AssetSpec(key, group_name="score", deps=[FEATURES_KEY, CRITERIA_KEY],
                     owners=["team:crm-data"], kinds={"python", "duckdb"},
                     description=f"score_model.{table}: written by the score's fit.")
           for table, key in FIT_KEYS.items()],
)
def inactivity_score_fit(
    context: AssetExecutionContext, config: ScoreFitConfig, run_settings: RunSettingsResource,
    warehouse: WarehouseWriterResource,
) -> Iterator[MaterializeResult]:
    """The inactivity score's model (orchestration/score/model.py): BG/NBD per month-end, a
    logistic regression over the criteria trained on earlier month-ends, recalibrated, and
    evaluated on a later held-out one against recency alone. Fits when no fit at or before
    the as-of date exists, when the criteria changed since it (seed, business lines), or
    when asked (refit, the monthly job); otherwise the daily run scores with the last fit. A history too short to fit leaves the score null, with the
    reason here, unless a refit was asked for."""
    settings = run_settings.resolve()
    as_of = datetime.date.fromisoformat(settings.as_of_date)
    build = warehouse.build_path(settings, context.run.run_id)
    with duckdb.connect(str(build)) as con:
        set_duckdb_memory_limit(con)
        current = model.read_latest_fit(con, as_of)
        if current is not None and not config.refit:
            if model.fits_the_criteria(current, con):
                context.log.info(f"scoring with the last fit, {current.fit_id}")
                yield from _results({"refitted": False, **_fit_metadata(con, current.fit_id)})
                return
            context.log.info(f"the criteria changed since the last fit, {current.fit_id}: "
                             "refitting")
        try:
            report = model.fit_score_model(con, as_of, config.seed)
        except model.NotEnoughHistoryError as error:
            if config.refit:
                raise Failure(f"the inactivity score cannot be refitted: {error}") from error
            context.log.warning(f"no inactivity score yet: {error}")
            yield from _results({"refitted": False, "no_fit": str(error)})
            return
        model.save_fit(con, report)
        context.log.info(f"fitted {report.fit.fit_id}: AUC {report.auc:.4f} against "
                         f"{report.baseline_auc:.4f} for recency alone")
        yield from _results({"refitted": True, **_fit_metadata(con, report.fit.fit_id)})


def _results(metadata: dict[str, Any]) -> Iterator[MaterializeResult]:
    """The figures on the `fits` table's asset; the two others only say they were written."""
    for table, key in FIT_KEYS.items():
        yield MaterializeResult(asset_key=key, metadata=metadata if table == "fits" else {})


def format_score_summary(warehouse_path: Path) -> str:
    """What the terminal shows after a run: the fit the score uses and how it ranks."""
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        # the fit the published scores were made with (a refit alone scores nobody yet)
        fits = con.execute("""
            select fits.fit_id, fits.held_out_date, fits.auc, fits.baseline_auc, count(*)
            from intermediate.int_individual_inactivity_scores as scores
            inner join score_model.fits as fits on scores.score_fit_id = fits.fit_id
            inner join marts.individual_activity as individuals
                on scores.individual_id = individuals.individual_id
                and individuals.inactivity_score is not null
            group by all""").fetchall()
        latest = con.execute("select max(fit_id) filter (where is_current_fit) "
                             "from marts.inactivity_score_model").fetchall()[0][0]
    if not fits:
        return ("inactivity score: no fit yet (the history is too short to train and evaluate "
                "one: see the inactivity_score_fit step's log)")
    fit_id, held_out, auc, baseline, scored = fits[0]
    pending = (f"; the next run scores with {latest}" if latest and latest != fit_id else "")
    return (f"inactivity score: {scored} customers scored with fit {fit_id}; AUC {auc:.3f} on "
            f"{held_out} against {baseline:.3f} for recency alone{pending}")
