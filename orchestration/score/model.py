"""The inactivity score: a logistic regression over the criteria of DOMAIN.md, trained on the
warehouse's own history.

dbt computes the criteria once, for the as-of date and the month-ends before it
(intermediate.int_score_features, with the label `went_dormant` where the window after the
date has passed). This module:

- fit_score_model(): per month-end, fits a BG/NBD on the customers' purchase days and adds
  their probability alive; trains on the month-ends before the held-out date but the last,
  recalibrates on that last one (Platt: the share of customers going dormant drifts with
  time, the ranking does not), and evaluates on the held-out date (a later as-of date than
  any training date): AUC against the recency-only baseline, Brier score, calibration by
  decile. Weights, figures and BG/NBD parameters go to score_model.* (no personal data).
- score_customers(): the calibrated probability of going dormant for the as-of date's rows,
  with its top contributing criteria in words (`score_drivers`); the dbt model
  int_individual_inactivity_scores calls it with the last fit.

Everything is vectorised (numpy, pandas): no loop over customers. A fit is reproducible for
a given as-of date and seed (the seed draws the BG/NBD fitting sample and caps the training
rows; the solver is deterministic).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from orchestration.score import bgnbd

FEATURES_TABLE = "intermediate.int_score_features"
CRITERIA_TABLE = "business_rules.inactivity_score_criteria"
# criteria that are not columns of the features table
P_ALIVE = "p_alive"
BUSINESS_LINE = "business_line"
# the recency-only baseline ranks by this column
BASELINE_COLUMN = "recency_ratio"
# how many drivers `score_drivers` names
DRIVER_COUNT = 3
# bounds that keep the work per fit flat as the base grows (both drawn with the seed)
BGNBD_SAMPLE_PER_DATE = 50_000
MAX_TRAINING_ROWS = 400_000
# customers whose rows a fit reads at the most (_fit_customers_sample)
MAX_FIT_CUSTOMERS = 100_000
WEEKS_PER_MONTH = 365.25 / 12 / 7
DEFAULT_SEED = 20_240_601


@dataclass(frozen=True)
class ScoreFit:
    """What scoring needs: the weights on standardised criteria and the BG/NBD parameters."""

    fit_id: str
    fit_as_of_date: datetime.date
    intercept: float
    criteria: tuple[str, ...]  # expanded: one per business line for `business_line`
    labels: tuple[str, ...]
    weights: np.ndarray
    means: np.ndarray
    sds: np.ndarray
    bgnbd: bgnbd.BgNbdParameters


@dataclass(frozen=True)
class FitReport:
    """The figures of a fit, as stored in score_model.fits and fit_calibration."""

    fit: ScoreFit
    seed: int
    held_out_date: datetime.date
    first_training_date: datetime.date
    last_training_date: datetime.date
    calibration_date: datetime.date
    training_rows: int
    held_out_rows: int
    auc: float
    baseline_auc: float
    brier_score: float
    calibration: pd.DataFrame  # score_decile, customers, mean_score, dormant_rate


class NotEnoughHistoryError(RuntimeError):
    """The warehouse's history cannot train and evaluate a score yet."""


def fit_id_for(as_of_date: datetime.date, seed: int) -> str:
    return f"{as_of_date.isoformat()}/seed-{seed}"


# --- criteria -------------------------------------------------------------------------------


def expand_criteria(seed: pd.DataFrame, lines: list[str]) -> pd.DataFrame:
    """The seed's criteria with `business_line` expanded to one criterion per line, and the
    words score_drivers uses for each (a line reads only as the customer's own)."""
    rows = []
    for row in seed.sort_values("criterion").itertuples(index=False):
        if row.criterion == BUSINESS_LINE:
            rows += [(f"{BUSINESS_LINE}={line}", f"{row.label} {line}",
                      f"{row.reads_when_high} {line}", "") for line in sorted(lines)]
        else:
            rows.append((row.criterion, row.label, row.reads_when_high,
                         row.reads_when_low or ""))
    return pd.DataFrame(rows, columns=["criterion", "label", "reads_when_high", "reads_when_low"])


def read_criteria(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """expand_criteria() on the seeds in the warehouse."""
    return expand_criteria(
        con.sql(f"select * from {CRITERIA_TABLE}").df(),
        [row[0] for row in con.sql("select business_line from business_rules.business_lines")
         .fetchall()])


def design_matrix(frame: pd.DataFrame, criteria: tuple[str, ...]) -> np.ndarray:
    """One column per criterion: the feature, p_alive, or a 0/1 business-line indicator."""
    columns = []
    for criterion in criteria:
        if criterion.startswith(f"{BUSINESS_LINE}="):
            line = criterion.split("=", 1)[1]
            columns.append((frame[BUSINESS_LINE] == line).to_numpy(dtype=float))
        else:
            columns.append(frame[criterion].to_numpy(dtype=float))
    return np.column_stack(columns)


def _window_weeks(frame: pd.DataFrame) -> np.ndarray:
    return frame["inactivity_window_months"].to_numpy(dtype=float) * WEEKS_PER_MONTH


def with_probability_alive(frame: pd.DataFrame, params: bgnbd.BgNbdParameters) -> pd.DataFrame:
    """Adds p_alive and the expected purchase days in the next window (BG/NBD)."""
    x = frame["repeat_purchase_days"].to_numpy(dtype=float)
    t_x = frame["purchase_span_weeks"].to_numpy(dtype=float)
    age = frame["customer_age_weeks"].to_numpy(dtype=float)
    return frame.assign(
        p_alive=bgnbd.p_alive(params, x, t_x, age),
        expected_purchases_next_window=bgnbd.expected_purchases(
            params, _window_weeks(frame), x, t_x, age),
    )


def _fit_bgnbd(frame: pd.DataFrame, rng: np.random.Generator) -> bgnbd.BgNbdParameters:
    if len(frame) > BGNBD_SAMPLE_PER_DATE:
        frame = frame.iloc[rng.choice(len(frame), BGNBD_SAMPLE_PER_DATE, replace=False)]
    try:
        return bgnbd.fit(frame["repeat_purchase_days"], frame["purchase_span_weeks"],
                         frame["customer_age_weeks"])
    except (ValueError, RuntimeError) as error:
        date = pd.Timestamp(frame["feature_date"].iloc[0]).date()
        raise NotEnoughHistoryError(f"BG/NBD on {len(frame)} customers at {date}: {error}") from error


def _linear(fit: ScoreFit, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(linear predictor, contribution of each criterion)."""
    contributions = (matrix - fit.means) / fit.sds * fit.weights
    return fit.intercept + contributions.sum(axis=1), contributions


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


# --- fitting --------------------------------------------------------------------------------


def fit_score_model(con: duckdb.DuckDBPyConnection, as_of_date: datetime.date,
                    seed: int = DEFAULT_SEED) -> FitReport:
    """Trains, calibrates and evaluates the score on the features table (see the module
    docstring). Raises NotEnoughHistoryError when a role has no rows or one class only."""
    # imported here: scikit-learn costs ~1.5 s of CPU to import, every run imports this
    # module (the score step, the dbt model that scores), and most runs score with a
    # stored fit
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import brier_score_loss, roc_auc_score

    rng = np.random.default_rng(seed)
    criteria = read_criteria(con)
    names = tuple(criteria["criterion"])
    _check_history(con)
    frame = con.sql(f"""
        select * exclude (input_digest, built_by) from {FEATURES_TABLE}
        where {_fit_customers_sample(con, seed)}
        order by feature_date, individual_id""").df()

    # BG/NBD per date, on what was known then; the as-of date's parameters score the base
    parts, as_of_params = [], None
    for feature_date, rows in frame.groupby("feature_date", sort=True):
        params = _fit_bgnbd(rows, rng)
        parts.append(with_probability_alive(rows, params))
        if pd.Timestamp(feature_date).date() == as_of_date:
            as_of_params = params
    frame = pd.concat(parts)
    if as_of_params is None:
        raise NotEnoughHistoryError(f"no customer at the as-of date {as_of_date}")

    labelled = frame[frame["sample_role"].isin(["train", "held_out"])]
    training = labelled[labelled["sample_role"] == "train"]
    held_out = labelled[labelled["sample_role"] == "held_out"]
    training_dates = sorted(training["feature_date"].unique())  # three or more (_check_history)
    calibration_date = training_dates[-1]
    calibration_rows = training[training["feature_date"] == calibration_date]
    training = training[training["feature_date"] < calibration_date]
    if len(training) > MAX_TRAINING_ROWS:
        training = training.iloc[np.sort(rng.choice(len(training), MAX_TRAINING_ROWS,
                                                    replace=False))]
    for role, rows in (("training", training), ("calibration", calibration_rows),
                       ("held-out", held_out)):
        if rows["went_dormant"].nunique() < 2:
            raise NotEnoughHistoryError(f"the {role} rows have one outcome only")

    matrix = design_matrix(training, names)
    means = matrix.mean(axis=0)
    sds = matrix.std(axis=0)
    sds[sds == 0] = 1.0
    regression = LogisticRegression(C=1.0, max_iter=2000)
    regression.fit((matrix - means) / sds, training["went_dormant"].to_numpy(dtype=int))
    raw = ScoreFit(
        fit_id=fit_id_for(as_of_date, seed), fit_as_of_date=as_of_date,
        intercept=float(regression.intercept_[0]), criteria=names,
        labels=tuple(criteria["label"]), weights=regression.coef_[0].copy(), means=means,
        sds=sds, bgnbd=as_of_params,
    )
    # Platt on the latest training month: a slope and an intercept on the linear predictor,
    # folded into the weights so the stored weights are the ones that score
    linear, _ = _linear(raw, design_matrix(calibration_rows, names))
    platt = LogisticRegression(C=1e6, max_iter=1000)
    platt.fit(linear.reshape(-1, 1), calibration_rows["went_dormant"].to_numpy(dtype=int))
    slope, shift = float(platt.coef_[0][0]), float(platt.intercept_[0])
    fit = ScoreFit(**{**raw.__dict__, "intercept": slope * raw.intercept + shift,
                      "weights": slope * raw.weights})

    outcome = held_out["went_dormant"].to_numpy(dtype=int)
    score = _sigmoid(_linear(fit, design_matrix(held_out, names))[0])
    return FitReport(
        fit=fit, seed=seed,
        held_out_date=pd.Timestamp(held_out["feature_date"].iloc[0]).date(),
        first_training_date=pd.Timestamp(training_dates[0]).date(),
        last_training_date=pd.Timestamp(training_dates[-2]).date(),
        calibration_date=pd.Timestamp(calibration_date).date(),
        training_rows=len(training), held_out_rows=len(held_out),
        auc=float(roc_auc_score(outcome, score)),
        baseline_auc=float(roc_auc_score(outcome, held_out[BASELINE_COLUMN])),
        brier_score=float(brier_score_loss(outcome, score)),
        calibration=calibration_by_decile(score, outcome),
    )


def _fit_customers_sample(con: duckdb.DuckDBPyConnection, seed: int) -> str:
    """A SQL condition keeping every row of at most MAX_FIT_CUSTOMERS customers, drawn by a
    hash of their id and the seed (the same draw for the same seed). Loading every customer
    at every month-end does not fit in memory at a million customers (31 million rows), and
    a sample of this size estimates 15 weights and 4 BG/NBD parameters as well."""
    customers = con.sql(f"select count(distinct individual_id) from {FEATURES_TABLE}").fetchall()[0][0]
    if customers <= MAX_FIT_CUSTOMERS:
        return "true"
    kept_per_million = MAX_FIT_CUSTOMERS * 1_000_000 // customers
    return f"hash(individual_id, {int(seed)}) % 1000000 < {kept_per_million}"


def _check_history(con: duckdb.DuckDBPyConnection) -> None:
    """Before any fitting: a history too short to train, recalibrate and evaluate stops here
    (the daily run on a small or young landing set pays a query, not the fits)."""
    dates, outcomes, held_out = con.sql(f"""
        select count(distinct feature_date) filter (where sample_role = 'train'),
               count(distinct went_dormant) filter (where sample_role = 'train'),
               count(distinct went_dormant) filter (where sample_role = 'held_out')
        from {FEATURES_TABLE}""").fetchall()[0]
    if dates < 3 or outcomes < 2 or held_out < 2:
        raise NotEnoughHistoryError(
            f"{dates} training month-end(s), {outcomes} training outcome(s), {held_out} held-out "
            "outcome(s): the score needs three month-ends with a known outcome before the "
            "held-out date and both outcomes (went dormant or not) in each")


def calibration_by_decile(score: np.ndarray, outcome: np.ndarray) -> pd.DataFrame:
    """Customers, mean score and observed dormant share per score decile (1 = lowest)."""
    decile = np.minimum((pd.Series(score).rank(method="first").to_numpy() - 1)
                        * 10 // len(score) + 1, 10).astype(int)
    return (pd.DataFrame({"score_decile": decile, "score": score, "outcome": outcome})
            .groupby("score_decile", as_index=False)
            .agg(customers=("score", "size"), mean_score=("score", "mean"),
                 dormant_rate=("outcome", "mean")))


# --- storing and reading fits --------------------------------------------------------------


def save_fit(con: duckdb.DuckDBPyConnection, report: FitReport) -> None:
    """Replaces the rows of this fit id (a refit of the same date and seed) in one
    transaction: score_model.fits, fit_weights, fit_calibration."""
    fit = report.fit
    weights = pd.DataFrame({
        "fit_id": fit.fit_id, "criterion": fit.criteria, "criterion_label": fit.labels,
        "weight": fit.weights, "feature_mean": fit.means, "feature_sd": fit.sds,
    })
    calibration = report.calibration.assign(fit_id=fit.fit_id)
    con.execute("begin transaction")
    try:
        for table in ("fits", "fit_weights", "fit_calibration"):
            con.execute(f"delete from score_model.{table} where fit_id = ?", [fit.fit_id])
        figures = {
            "fit_id": fit.fit_id, "fit_as_of_date": fit.fit_as_of_date, "seed": report.seed,
            "held_out_date": report.held_out_date,
            "first_training_date": report.first_training_date,
            "last_training_date": report.last_training_date,
            "calibration_date": report.calibration_date, "training_rows": report.training_rows,
            "held_out_rows": report.held_out_rows, "auc": report.auc,
            "baseline_auc": report.baseline_auc, "brier_score": report.brier_score,
            "intercept": fit.intercept, "bgnbd_r": fit.bgnbd.r, "bgnbd_alpha": fit.bgnbd.alpha,
            "bgnbd_a": fit.bgnbd.a, "bgnbd_b": fit.bgnbd.b,
            "bgnbd_log_likelihood": fit.bgnbd.log_likelihood,
        }
        # by name: the table carries over from run to run, its column order may not
        con.execute(
            f"insert into score_model.fits by name select current_timestamp as fitted_at, "
            f"{', '.join(f'${name} as {name}' for name in figures)}", figures)
        con.register("new_fit_weights", weights)
        con.register("new_fit_calibration", calibration)
        con.execute("insert into score_model.fit_weights by name select * from new_fit_weights")
        con.execute("insert into score_model.fit_calibration by name "
                    "select fit_id, score_decile, customers, mean_score, dormant_rate "
                    "from new_fit_calibration")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def latest_fit(fits: pd.DataFrame, weights: pd.DataFrame,
               as_of_date: datetime.date) -> ScoreFit | None:
    """The last fit made at or before the as-of date (a replay never scores with a model
    that saw its future); None when there is none."""
    usable = fits[pd.to_datetime(fits["fit_as_of_date"]).dt.date <= as_of_date]
    if usable.empty:
        return None
    row = usable.sort_values(["fit_as_of_date", "fitted_at"]).iloc[-1]
    rows = weights[weights["fit_id"] == row["fit_id"]].sort_values("criterion")
    return ScoreFit(
        fit_id=row["fit_id"], fit_as_of_date=pd.Timestamp(row["fit_as_of_date"]).date(),
        intercept=float(row["intercept"]), criteria=tuple(rows["criterion"]),
        labels=tuple(rows["criterion_label"]), weights=rows["weight"].to_numpy(dtype=float),
        means=rows["feature_mean"].to_numpy(dtype=float),
        sds=rows["feature_sd"].to_numpy(dtype=float),
        bgnbd=bgnbd.BgNbdParameters(
            r=float(row["bgnbd_r"]), alpha=float(row["bgnbd_alpha"]), a=float(row["bgnbd_a"]),
            b=float(row["bgnbd_b"]), log_likelihood=float(row["bgnbd_log_likelihood"])),
    )


def fits_the_criteria(fit: ScoreFit, con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a stored fit weighs exactly today's criteria (seed inactivity_score_criteria,
    one per business line): a changed seed or a new business line needs a new fit."""
    return set(fit.criteria) == set(read_criteria(con)["criterion"])


def read_latest_fit(con: duckdb.DuckDBPyConnection,
                    as_of_date: datetime.date) -> ScoreFit | None:
    return latest_fit(con.sql("select * from score_model.fits").df(),
                      con.sql("select * from score_model.fit_weights").df(), as_of_date)


# --- scoring --------------------------------------------------------------------------------


SCORE_COLUMNS = ["individual_id", "inactivity_score", "score_drivers", "p_alive",
                 "expected_purchases_next_window", "score_fit_id"]


def score_customers(frame: pd.DataFrame, fit: ScoreFit | None,
                    wording: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per customer of `frame` (the as-of date's rows of the features table): the
    calibrated probability of going dormant within the window, and the criteria that push
    it up most, in words ("time since the last activity; session trend"). No fit yet:
    no row (the score stays null)."""
    if fit is None or frame.empty:
        return pd.DataFrame({column: pd.Series(dtype=dtype) for column, dtype in zip(
            SCORE_COLUMNS, ["string", "float64", "string", "float64", "float64", "string"])})
    missing = [criterion for criterion in fit.criteria
               if criterion.split("=", 1)[0] not in {*frame.columns, P_ALIVE}]
    if missing:
        raise ValueError(
            f"fit {fit.fit_id} weighs criteria that {FEATURES_TABLE} no longer has: "
            f"{', '.join(missing)}. The criteria changed since that fit: refit "
            "(make refit-score, or the Dagster job refit_inactivity_score)")
    frame = with_probability_alive(frame, fit.bgnbd)
    matrix = design_matrix(frame, fit.criteria)
    linear, contributions = _linear(fit, matrix)
    # the words of each criterion above and below the training mean (expand_criteria);
    # without them, its name from the fit either way
    words = (wording if wording is not None else pd.DataFrame(
        {"criterion": fit.criteria, "reads_when_high": fit.labels, "reads_when_low": fit.labels})
    ).set_index("criterion").reindex(list(fit.criteria))
    high = words["reads_when_high"].fillna("").to_numpy(dtype=object)
    low = words["reads_when_low"].fillna("").to_numpy(dtype=object)
    # a business line drives a customer's score only if it is their line ("business line
    # retail" never explains the score of a subscriber)
    other_line = np.array([c.startswith(f"{BUSINESS_LINE}=") for c in fit.criteria]) & (matrix == 0)
    return pd.DataFrame({
        "individual_id": frame["individual_id"].to_numpy(),
        "inactivity_score": _sigmoid(linear),
        "score_drivers": _drivers(np.where(other_line, 0.0, contributions),
                                  matrix > fit.means, high, low),
        "p_alive": frame["p_alive"].to_numpy(),
        "expected_purchases_next_window": frame["expected_purchases_next_window"].to_numpy(),
        "score_fit_id": fit.fit_id,
    })


def _drivers(contributions: np.ndarray, above_mean: np.ndarray, high: np.ndarray,
             low: np.ndarray) -> np.ndarray:
    """The words of the DRIVER_COUNT criteria that raise the score most, strongest first,
    '; '-joined: each criterion's words for a value above or below the training mean
    (column operations over the rank positions, no loop over customers)."""
    order = np.argsort(-contributions, axis=1, kind="stable")[:, :DRIVER_COUNT]
    customers = np.arange(len(contributions))
    text = pd.Series("", index=range(len(contributions)), dtype=object)
    for position in range(order.shape[1]):
        column = order[:, position]
        words = np.where(above_mean[customers, column], high[column], low[column])
        raises = (contributions[customers, column] > 0) & (words != "")
        named = pd.Series(np.where(raises, words, ""), dtype=object)
        text = text + np.where(raises & (text != ""), "; ", "") + named
    return np.where(text != "", text, None).astype(object)
