"""The inactivity report: one self-contained HTML file written beside the warehouse.

`write_report` reads a warehouse file read-only and writes `<warehouse stem>_report.html`
(RunSettings.report_path): lifecycle stages per level, inactivity over time, the
reactivation funnel per step and channel, KPIs per campaign, the inactivity score (its
distribution per stage, calibration and weights), the backtest of the windows, and the
landing rows set aside. One file, no server: the charts are inline SVG
(orchestration/svg_charts.py), the style inline CSS, no script and no reference to the
network (a Content-Security-Policy forbids any, should one slip in). Every value from the
data is escaped.

Each chart is a `<figure data-plot="<name>" data-points="<n>">`; a chart without data says
"no rows" and why, with `data-points="0"`, never a blank frame. A table the run did not
build (the score before its first fit, say) is reported as such, not as an error: the report
shows what the warehouse holds.

Aggregates only: counts, rates, campaign names and business lines, no personal data.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from orchestration.exports import atomic_text_file
from orchestration.publish import table_exists
from orchestration.quality import (
    QUARANTINE_TABLE,
    VALUE_ISSUES_TABLE,
    quarantined_rows,
    read_value_issue_counts,
)
from orchestration.svg_charts import (
    LineChartAxes,
    Mark,
    Series,
    colour,
    esc,
    histogram_panels,
    horizontal_bars,
    line_chart,
    number,
    percent,
    stacked_bars,
)

LEVELS = ("individual", "household", "account")
# Used when the warehouse has no business_rules.lifecycle_stages (seed; it gives the order
# and which stages are inactive).
DEFAULT_STAGES = ("active", "at_risk", "dormant", "lost", "prospect", "erased")
DEFAULT_INACTIVE_STAGES = ("dormant", "lost")
# Not customers: they have never bought (prospect) or are no longer known (erased). Rates
# are over the others, and neither has a score.
NOT_CUSTOMER_STAGES = ("prospect", "erased")
STAGE_COLOURS = {
    "active": "#009E73", "at_risk": "#E69F00", "dormant": "#D55E00", "lost": "#7a2e0e",
    "prospect": "#56B4E9", "erased": "#9a9a9a",
}
LEVEL_COLOURS = {"individual": "#0072B2", "household": "#E69F00", "account": "#009E73"}
SCORE_BINS = 10

SCORE_MODEL_TABLE = "marts.inactivity_score_model"
SCORE_CALIBRATION_TABLE = "marts.inactivity_score_calibration"
BACKTEST_TABLE = "marts.inactivity_window_backtest"

# Every chart of the report, in page order (tests check each is present with data).
PLOT_NAMES = (
    "lifecycle_stages", "inactivity_history", "inactivity_monthly", "reactivation_funnel",
    "campaign_kpis", "score_by_stage", "score_calibration", "score_weights",
    "window_backtest", "quarantine",
)


# --- what the report found ----------------------------------------------------------------


@dataclass(frozen=True)
class Plot:
    """One figure: a chart (or why there is none) and an optional table below it."""

    name: str
    title: str
    reading: str  # how to read it, one or two sentences
    svg: str = ""
    points: int = 0
    empty: str = ""  # why there is no chart (shown after "no rows: ")
    table: str = ""


@dataclass(frozen=True)
class ScoreFit:
    """The current fit of the inactivity score (marts.inactivity_score_model)."""

    fit_id: str
    fit_as_of_date: str
    held_out_date: str
    auc: float | None
    baseline_auc: float | None
    bgnbd: dict[str, float | None]
    weights: list[tuple[str, float]]


@dataclass(frozen=True)
class BacktestLine:
    configured_window: int | None
    share_at_configured: float | None
    shortest_window_under_limit: int | None


@dataclass(frozen=True)
class ReportSummary:
    """What write_report wrote, and the figures the Dagster preview shows."""

    path: Path
    as_of_date: str
    plot_points: dict[str, int]
    stage_counts: dict[str, dict[str, int]]
    score: ScoreFit | None = None
    backtest: dict[str, BacktestLine] = field(default_factory=dict)
    quarantined: dict[str, int] = field(default_factory=dict)

    @property
    def empty_plots(self) -> list[str]:
        return [name for name, points in self.plot_points.items() if not points]


# --- reading the warehouse ----------------------------------------------------------------


def _exists(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    """A table or view `schema.name` (information_schema.tables lists both)."""
    return table_exists(con, *qualified.split("."))


def _has_column(con: duckdb.DuckDBPyConnection, qualified: str, column: str) -> bool:
    schema, table = qualified.split(".")
    return bool(con.execute(
        "select count(*) from information_schema.columns where table_schema = ? and "
        "table_name = ? and column_name = ?", [schema, table, column]).fetchall()[0][0])


def _missing(qualified: str) -> str:
    return f"{qualified} is not in this warehouse (not built yet)"


@dataclass(frozen=True)
class _Stages:
    order: tuple[str, ...]
    inactive: tuple[str, ...]

    def ordered(self, names: Iterable[str]) -> list[str]:
        names = set(names)
        return [s for s in self.order if s in names] + sorted(names - set(self.order))


def _read_stages(con: duckdb.DuckDBPyConnection) -> _Stages:
    """Stage order and the inactive stages, from the seed (the rule is declared there)."""
    if not _exists(con, "business_rules.lifecycle_stages"):
        return _Stages(DEFAULT_STAGES, DEFAULT_INACTIVE_STAGES)
    rows = con.execute("select lifecycle_stage, is_inactive from business_rules.lifecycle_stages "
                       "order by engagement_rank").fetchall()
    return _Stages(tuple(str(stage) for stage, _ in rows),
                   tuple(str(stage) for stage, inactive in rows if inactive))


def _in_list(values: Sequence[str]) -> str:
    """A SQL list of string literals from the project's own constants and seeds."""
    return ", ".join("'" + value.replace("'", "''") + "'" for value in values) or "null"


# --- lifecycle stages --------------------------------------------------------------------


def _stage_counts(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for level in LEVELS:
        table = f"marts.{level}_activity"
        if _exists(con, table):
            rows = con.execute(f"select lifecycle_stage, count(*) from {table} group by 1")
            counts[level] = {str(stage): int(n) for stage, n in rows.fetchall()}
    return counts


def _stages_plot(counts: Mapping[str, Mapping[str, int]], stages: _Stages) -> Plot:
    title = "Lifecycle stages per level"
    reading = ("Each bar is one level, split by lifecycle stage (share of the level's "
               "entities); the total is at the end of the bar. Inactive: "
               f"{' and '.join(stages.inactive)}.")
    if not any(counts.values()):
        return Plot("lifecycle_stages", title, reading,
                    empty="marts.individual_activity, household_activity and account_activity "
                          "hold no rows")
    names = stages.ordered({s for per_level in counts.values() for s in per_level})
    rows = [(level, [(s, counts[level].get(s, 0)) for s in names]) for level in counts]
    svg, points = stacked_bars(rows, STAGE_COLOURS, label=title)
    header = ["lifecycle stage", *counts]
    body = [[s, *(_count_and_share(counts[level].get(s, 0), sum(counts[level].values()))
                  for level in counts)] for s in names]
    body.append(["total", *(number(sum(counts[level].values())) for level in counts)])
    return Plot("lifecycle_stages", title, reading, svg, points, table=_table(header, body))


def _count_and_share(count: int, total: int) -> str:
    return f"{number(count)} ({percent(count / total)})" if total else number(count)


# --- inactivity over time ---------------------------------------------------------------


def _history_plot(con: duckdb.DuckDBPyConnection, stages: _Stages, as_of: date) -> Plot:
    title = "Inactivity rate at each recorded as-of date"
    reading = ("Share of customers (prospects and erased people left out) in an inactive "
               "stage, per level, at each as-of date the status history recorded a change "
               "(marts.lifecycle_stage_history). Each daily run adds a point.")
    table = "marts.lifecycle_stage_history"
    if not _exists(con, table):
        return Plot("inactivity_history", title, reading, empty=_missing(table))
    rows = con.execute(f"""
        with dates as (
            select distinct valid_from as as_of_date from {table} where valid_from <= ?
        ),
        stage_at_date as (
            select dates.as_of_date, history.entity_level, history.lifecycle_stage
            from dates
            inner join {table} as history
                on history.valid_from <= dates.as_of_date
                and (history.valid_to is null or history.valid_to > dates.as_of_date)
        )
        select
            as_of_date,
            entity_level,
            count(*) filter (where lifecycle_stage in ({_in_list(stages.inactive)})) as inactive,
            count(*) filter (where lifecycle_stage not in ({_in_list(NOT_CUSTOMER_STAGES)}))
                as customers
        from stage_at_date
        group by all
        order by all
    """, [as_of]).fetchall()
    by_level: dict[str, list[tuple[float, float]]] = {}
    for day, level, inactive, customers in rows:
        if customers:
            by_level.setdefault(str(level), []).append((float(day.toordinal()),
                                                        inactive / customers))
    if not by_level:
        return Plot("inactivity_history", title, reading,
                    empty=f"{table} has no customer on or before {as_of.isoformat()}")
    dates = sorted({x for points in by_level.values() for x, _ in points})
    if len(dates) == 1:
        reading += (f" The history holds one date so far ({date.fromordinal(int(dates[0]))}): "
                    "the chart below it rebuilds the past month by month.")
    series = [Series(level, by_level[level], LEVEL_COLOURS.get(level, colour(i)))
              for i, level in enumerate(_level_order(by_level))]
    young = len(dates) <= 8  # a young history: its own dates as ticks, values written
    svg, points = line_chart(series, label=title, label_values=young,
                             height=240 if len(dates) == 1 else 320, axes=LineChartAxes(
                                 y_format=percent, x_dates=True,
                                 y_label="inactive share of customers",
                                 y_domain=(0.0, max(y for s in series for _, y in s.points)),
                                 x_ticks=dates if young else None))
    return Plot("inactivity_history", title, reading, svg, points)


def _monthly_plot(con: duckdb.DuckDBPyConnection, as_of: date) -> Plot:
    title = "Inactivity rate at the start of each month, rebuilt from the events"
    reading = ("Share of customers inactive at each month's start, per level, all business "
               "lines together (marts.reactivation_kpis_monthly). Rebuilt from purchases and "
               "activity only: open items are not replayed, so it runs a little above the "
               "daily status.")
    table = "marts.reactivation_kpis_monthly"
    if not _exists(con, table):
        return Plot("inactivity_monthly", title, reading, empty=_missing(table))
    rows = con.execute(f"""
        select month_start, entity_level, sum(inactive_at_start), sum(customers)
        from {table}
        where month_start <= ?
        group by all
        having sum(customers) > 0
        order by all
    """, [as_of]).fetchall()
    by_level: dict[str, list[tuple[float, float]]] = {}
    for month, level, inactive, customers in rows:
        by_level.setdefault(str(level), []).append((float(month.toordinal()),
                                                    float(inactive) / float(customers)))
    if not by_level:
        return Plot("inactivity_monthly", title, reading, empty=f"{table} has no customer")
    series = [Series(level, by_level[level], LEVEL_COLOURS.get(level, colour(i)))
              for i, level in enumerate(_level_order(by_level))]
    svg, points = line_chart(series, label=title, axes=LineChartAxes(
        y_format=percent, x_dates=True, y_label="inactive share of customers"))
    return Plot("inactivity_monthly", title, reading, svg, points)


def _level_order(levels: Iterable[str]) -> list[str]:
    levels = set(levels)
    return [lvl for lvl in LEVELS if lvl in levels] + sorted(levels - set(LEVELS))


# --- reactivation ----------------------------------------------------------------------


_FUNNEL_SERIES = (
    ("published by the project", "#56B4E9"),
    ("sent (marketing tool)", "#0072B2"),
    ("answered (reactivated)", "#E69F00"),
    ("converted (purchase)", "#009E73"),
)


def _funnel_plot(con: duckdb.DuckDBPyConnection, as_of: date) -> Plot:
    title = "Reactivation funnel per scenario step and channel"
    reading = ("Per step and channel: the contacts the project published "
               "(reactivation.contact_log, every run up to the as-of date), then, from the "
               "marketing tool's campaigns (marts.reactivation_kpis), the people sent the "
               "step, those who answered (any activity or purchase within the response window) "
               "and those who bought. '–' means not measured: the marketing tool reports email "
               "sends only.")
    published: dict[tuple[str, int, str], int] = {}
    has_log = _exists(con, "reactivation.contact_log")
    if has_log:
        for scenario, wave, channel, n in con.execute(
                "select scenario, wave, channel, count(*) from reactivation.contact_log "
                "where as_of_date <= ? group by all", [as_of]).fetchall():
            published[(str(scenario), int(wave), str(channel))] = int(n)
    measured: dict[tuple[str, int, str], tuple[int, int, int]] = {}
    if _exists(con, "marts.reactivation_kpis"):
        # campaign types -> scenarios: the seed says which type reports which scenario
        scenario_of = ("(select scenario from business_rules.reactivation_scenarios as s "
                       "where s.campaign_type = kpis.campaign_type)"
                       if _exists(con, "business_rules.reactivation_scenarios")
                       else "kpis.campaign_type")
        for scenario, wave, channel, sent, answered, converted in con.execute(f"""
                select coalesce({scenario_of}, kpis.campaign_type), coalesce(kpis.wave, 0),
                    kpis.channel,
                    sum(kpis.contacts), sum(kpis.reactivated), sum(kpis.converted)
                from marts.reactivation_kpis as kpis
                group by all""").fetchall():
            measured[(str(scenario), int(wave), str(channel))] = (int(sent), int(answered),
                                                                  int(converted))
    keys = sorted(set(published) | set(measured))
    if not keys:
        return Plot("reactivation_funnel", title, reading,
                    empty="no contact published (reactivation.contact_log) and no relaunch "
                          "campaign (marts.reactivation_kpis)")
    # step 0: a campaign that names no step
    categories = [f"{scenario} · step {wave or '–'} · {channel}"
                  for scenario, wave, channel in keys]
    series = [
        # a step the log lacks was published to nobody; one the marketing tool does not
        # report (SMS, postal) is not measured
        (_FUNNEL_SERIES[0][0], [published.get(key, 0) if has_log else None for key in keys]),
        *((_FUNNEL_SERIES[i + 1][0], [measured[key][i] if key in measured else None
                                      for key in keys]) for i in range(3)),
    ]
    svg, points = horizontal_bars(categories, series, label=title,
                                  colours=[c for _, c in _FUNNEL_SERIES], axis_label="people")
    return Plot("reactivation_funnel", title, reading + _built_on(con, "marts.reactivation_kpis",
                                                                  as_of), svg, points)


def _built_on(con: duckdb.DuckDBPyConnection, table: str, as_of: date) -> str:
    """A note when a table was built at another as-of date than the report's (a job that
    does not rebuild it, e.g. the daily warehouse build and the reactivation KPIs)."""
    if not _exists(con, table) or not _has_column(con, table, "as_of_date"):
        return ""
    built = con.execute(f"select max(as_of_date) from {table}").fetchall()[0][0]
    return f" ({table} is as of {built.isoformat()}.)" if built and built != as_of else ""


_KPI_COLUMNS = ("campaign", "type · step · channel", "launched", "contacts", "delivered",
                "clicked", "reactivated (rate)", "converted (rate)", "revenue",
                "cost per reactivated", "final")


def _campaigns_plot(con: duckdb.DuckDBPyConnection, as_of: date) -> Plot:
    title = "KPIs per relaunch campaign"
    table = "marts.reactivation_kpis"
    reading = ("Reactivation rate (contacts who answered within the response window) of "
               "each campaign, by launch date and campaign type; the table has every KPI. "
               "A campaign whose window is still open (hollow dot, 'final' no) can still grow."
               + _built_on(con, table, as_of))
    if not _exists(con, table):
        return Plot("campaign_kpis", title, reading, empty=_missing(table))
    rows = con.execute(f"""
        select name, campaign_type, wave, channel, launched_at, contacts, delivered, clicked,
            reactivated, converted, reactivation_rate, conversion_rate, revenue,
            cost_per_reactivated, is_response_window_closed
        from {table}
        order by launched_at desc nulls last, campaign_id
    """).fetchall()
    if not rows:
        return Plot("campaign_kpis", title, reading, empty=f"{table} has no campaign")
    # one dot per campaign, hollow while its response window is open
    by_type: dict[tuple[str, bool], list[tuple[float, float]]] = {}
    for row in rows:
        kind, launched, rate, closed = row[1], row[4], row[10], row[14]
        if launched is not None and rate is not None:
            by_type.setdefault((str(kind), bool(closed)), []).append(
                (float(launched.date().toordinal()), float(rate)))
    body = [[
        name, f"{kind} · {wave} · {channel}", launched.date().isoformat() if launched else "–",
        number(contacts), number(delivered), number(clicked),
        f"{number(reactivated)} ({percent(r_rate)})", f"{number(converted)} ({percent(c_rate)})",
        _money(revenue), _money(per_reactivated), "yes" if closed else "no",
    ] for (name, kind, wave, channel, launched, contacts, delivered, clicked, reactivated,
           converted, r_rate, c_rate, revenue, per_reactivated, closed) in rows]
    kpi_table = _table(_KPI_COLUMNS, body, scroll=True)
    if not by_type:
        return Plot("campaign_kpis", title, reading, empty="no campaign has contacts yet",
                    table=kpi_table)
    kinds = sorted({kind for kind, _ in by_type})
    series = [Series(kind if closed else f"{kind}, window still open", sorted(points),
                     colour(kinds.index(kind)), joined=False, hollow=not closed)
              for (kind, closed), points in sorted(by_type.items(),
                                                   key=lambda item: (item[0][0], not item[0][1]))]
    svg, points = line_chart(series, label=title, axes=LineChartAxes(
        y_format=percent, x_dates=True, y_label="reactivation rate"))
    return Plot("campaign_kpis", title, reading, svg, points, table=kpi_table)


def _money(value: object) -> str:
    """Amounts to the cent; a cost per contact or per reactivation under 1 to 4 places."""
    if value is None:
        return "–"
    return f"{float(value):,.2f}" if abs(float(value)) >= 1 or not value else f"{float(value):.4f}"


# --- the inactivity score ---------------------------------------------------------------


def _score_by_stage_plot(con: duckdb.DuckDBPyConnection, stages: _Stages) -> Plot:
    title = "Inactivity score per lifecycle stage"
    reading = ("Distribution of inactivity_score (marts.individual_activity) within each "
               "stage, as shares of the stage's scored people, on one scale. The score "
               "ranks who is closest to going dormant; the stage decides. Expect active "
               "people on the left and dormant and lost on the right.")
    table = "marts.individual_activity"
    if not _exists(con, table) or not _has_column(con, table, "inactivity_score"):
        return Plot("score_by_stage", title, reading,
                    empty=f"{table} has no inactivity_score column (the score is not built)")
    rows = con.execute(f"""
        select lifecycle_stage,
            least(cast(floor(inactivity_score * {SCORE_BINS}) as integer), {SCORE_BINS - 1}),
            count(*)
        from {table}
        where inactivity_score is not null
        group by all
    """).fetchall()
    counts: dict[str, list[int]] = {}
    for stage, bin_index, n in rows:
        counts.setdefault(str(stage), [0] * SCORE_BINS)[int(bin_index)] += int(n)
    if not counts:
        return Plot("score_by_stage", title, reading, empty=f"nobody is scored in {table}")
    panels = [(stage, counts[stage], STAGE_COLOURS.get(stage, colour(i)))
              for i, stage in enumerate(stages.ordered(counts))]
    svg, points = histogram_panels(panels, label=title)
    summary = con.execute(f"""
        select lifecycle_stage, count(inactivity_score), avg(inactivity_score),
            quantile_cont(inactivity_score, 0.1), median(inactivity_score),
            quantile_cont(inactivity_score, 0.9), count(*) - count(inactivity_score)
        from {table}
        group by 1
    """).fetchall()
    by_stage = {str(row[0]): row[1:] for row in summary}
    body = [[stage, number(n), *(number(v) if v is not None else "–" for v in stats),
             number(unscored)]
            for stage in stages.ordered(by_stage)
            for n, *stats, unscored in [by_stage[stage]]]
    return Plot("score_by_stage", title, reading, svg, points, table=_table(
        ["lifecycle stage", "scored", "mean", "10th percentile", "median", "90th percentile",
         "not scored"], body))


def _read_score_fit(con: duckdb.DuckDBPyConnection) -> ScoreFit | None:
    if not _exists(con, SCORE_MODEL_TABLE):
        return None
    rows = con.execute(f"""
        select fit_id, fit_as_of_date, held_out_date, criterion, criterion_label, weight, auc,
            baseline_auc, bgnbd_r, bgnbd_alpha, bgnbd_a, bgnbd_b, bgnbd_log_likelihood
        from {SCORE_MODEL_TABLE}
        where is_current_fit
        order by abs(weight) desc nulls last, criterion
    """).fetchall()
    if not rows:
        return None
    first = rows[0]
    return ScoreFit(
        fit_id=str(first[0]), fit_as_of_date=_iso(first[1]), held_out_date=_iso(first[2]),
        auc=_float(first[6]), baseline_auc=_float(first[7]),
        bgnbd=dict(zip(("r", "alpha", "a", "b", "log_likelihood"),
                       (_float(v) for v in first[8:13]), strict=True)),
        weights=[(str(label or criterion), float(weight))
                 for _, _, _, criterion, label, weight, *_ in rows if weight is not None],
    )


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value or "–")


def _float(value: object) -> float | None:
    return None if value is None else float(value)


def _calibration_plot(con: duckdb.DuckDBPyConnection, fit: ScoreFit | None) -> Plot:
    title = "Calibration of the score on the held-out date"
    reading = ("Customers of the held-out date in ten groups by score (deciles): the mean "
               "score of each group (across) against the share of it that went dormant "
               "(up). On the dashed diagonal, a score of 0.3 means 30 % went dormant.")
    if fit is not None:
        reading += (f" Fit {fit.fit_id} (fitted as of {fit.fit_as_of_date}, held-out date "
                    f"{fit.held_out_date}): AUC {_auc(fit.auc)} against {_auc(fit.baseline_auc)} "
                    "for recency alone.")
    if not _exists(con, SCORE_CALIBRATION_TABLE):
        return Plot("score_calibration", title, reading, empty=_missing(SCORE_CALIBRATION_TABLE))
    rows = con.execute(f"""
        select score_decile, customers, mean_score, dormant_rate
        from {SCORE_CALIBRATION_TABLE}
        where is_current_fit
        order by score_decile
    """).fetchall()
    points = [(float(mean), float(rate)) for _, _, mean, rate in rows
              if mean is not None and rate is not None]
    if not points:
        return Plot("score_calibration", title, reading,
                    empty=f"{SCORE_CALIBRATION_TABLE} has no row for the current fit")
    svg, n = line_chart(
        [Series("observed share gone dormant", points, "#D55E00")], label=title,
        mark_legend=[("dashed", "perfectly calibrated")], height=360,
        axes=LineChartAxes(x_format=number, y_format=percent, x_domain=(0.0, 1.0),
                           y_domain=(0.0, 1.0), x_label="mean score of the decile",
                           y_label="went dormant", diagonal=True))
    body = [[str(decile), number(customers), number(mean), percent(rate)]
            for decile, customers, mean, rate in rows
            if mean is not None and rate is not None]
    return Plot("score_calibration", title, reading, svg, n, table=_table(
        ["score decile", "customers", "mean score", "went dormant"], body))


def _auc(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _weights_plot(fit: ScoreFit | None, model_exists: bool) -> Plot:
    title = "Learned weights of the criteria"
    reading = ("Weight of each criterion in the current fit (marts.inactivity_score_model), "
               "largest first: to the right pushes the score up (closer to dormancy), to "
               "the left pulls it down.")
    if fit is None:
        return Plot("score_weights", title, reading,
                    empty=f"{SCORE_MODEL_TABLE} has no current fit" if model_exists
                    else _missing(SCORE_MODEL_TABLE))
    if not fit.weights:
        return Plot("score_weights", title, reading, empty="the current fit has no weight")
    svg, points = horizontal_bars([label for label, _ in fit.weights],
                                  [("weight", [weight for _, weight in fit.weights])],
                                  label=title, colours=["#0072B2"], axis_label="weight")
    facts = [
        ["fit", fit.fit_id], ["fitted as of", fit.fit_as_of_date],
        ["held-out date", fit.held_out_date], ["AUC (learned score)", _auc(fit.auc)],
        ["AUC (recency alone)", _auc(fit.baseline_auc)],
        *([f"BG/NBD {name}", _parameter(value)] for name, value in fit.bgnbd.items()),
    ]
    return Plot("score_weights", title, reading, svg, points, table=_table(None, facts))


def _parameter(value: float | None) -> str:
    """A fitted parameter as papers print it: four significant figures (the log-likelihood
    to one decimal)."""
    if value is None:
        return "–"
    return f"{value:.1f}" if abs(value) >= 1000 else f"{value:.4g}"


# --- backtest of the windows -----------------------------------------------------------


def _backtest(con: duckdb.DuckDBPyConnection) -> tuple[Plot, dict[str, BacktestLine]]:
    title = "Backtest of the inactivity windows"
    reading = ("For each business line and candidate window (months): the share of the "
               "customers flagged dormant who bought again without being contacted, "
               "replayed month by month over the history. Lower is better; a ring marks "
               "the window configured today (seed business_lines), a square the shortest "
               "window that keeps the share under the limit.")
    if not _exists(con, BACKTEST_TABLE):
        return Plot("window_backtest", title, reading, empty=_missing(BACKTEST_TABLE)), {}
    rows = con.execute(f"""
        select business_line, window_months, replay_months, flagged_dormant,
            bought_again_uncontacted, share_bought_again, is_configured_window,
            shortest_window_under_limit
        from {BACKTEST_TABLE}
        order by business_line, window_months
    """).fetchall()
    if not rows:
        return Plot("window_backtest", title, reading, empty=f"{BACKTEST_TABLE} is empty"), {}
    # the limit the shortest window is held to, as the mart declares it (a dbt var)
    limit = con.execute(f"select max(comeback_share_limit) from {BACKTEST_TABLE}").fetchall()[0][0]
    lines = list(dict.fromkeys(str(row[0]) for row in rows))
    line_colour = {line: colour(i) for i, line in enumerate(lines)}
    series, marks, summary = [], [], {}
    for line in lines:
        line_rows = [row for row in rows if str(row[0]) == line]
        points = [(float(w), float(share)) for _, w, _, _, _, share, *_ in line_rows
                  if share is not None]
        series.append(Series(line, points, line_colour[line]))
        configured = next((row for row in line_rows if row[6]), None)
        shortest = next((row[7] for row in line_rows if row[7] is not None), None)
        if configured is not None and configured[5] is not None:
            marks.append(Mark(float(configured[1]), float(configured[5]), line_colour[line]))
        at_shortest = next((row for row in line_rows if row[1] == shortest), None)
        if at_shortest is not None and at_shortest[5] is not None:
            marks.append(Mark(float(shortest), float(at_shortest[5]), line_colour[line],
                              shape="square"))
        summary[line] = BacktestLine(
            configured_window=int(configured[1]) if configured is not None else None,
            share_at_configured=_float(configured[5]) if configured is not None else None,
            shortest_window_under_limit=int(shortest) if shortest is not None else None)
    svg, n = line_chart(
        series, label=title, marks=marks,
        mark_legend=[("ring", "configured window"), ("square", "shortest window under the limit")],
        axes=LineChartAxes(
            x_format=lambda v: f"{v:g}", y_format=percent, x_label="window (months)",
            y_label="bought again, not contacted",
            reference_lines=[(limit, f"limit {percent(limit)}")] if limit is not None else ()),
        height=380)
    at_configured = {str(row[0]): row for row in rows if row[6]}
    body = [[line, _months(b.configured_window),
             *((number(row[3]), number(row[4]), _months(row[2])) if (row := at_configured.get(
                 line)) else ("–", "–", "–")),
             percent(b.share_at_configured, 1), _months(b.shortest_window_under_limit)]
            for line, b in summary.items()]
    table = _table(["business line", "configured window", "flagged dormant at it",
                    "bought again, not contacted", "months replayed", "share",
                    "shortest window under the limit"], body)
    return Plot("window_backtest", title, reading, svg, n, table=table), summary


def _months(value: int | None) -> str:
    return "–" if value is None else f"{value} months"


# --- landing quality -------------------------------------------------------------------


def _quarantine_plot(warehouse_path: Path, present: bool,
                     has_value_issues: bool) -> tuple[Plot, dict[str, int]]:
    title = "Landing rows set aside per table"
    reading = ("Rows the landing checks quarantined (quality.landing_quarantine: the row is "
               "kept out of the warehouse) and optional values set to null with their row "
               "kept (quality.landing_value_issues), per landing table, in this run.")
    if not present:
        return Plot("quarantine", title, reading, empty=_missing(QUARANTINE_TABLE)), {}
    quarantined = quarantined_rows(warehouse_path)
    nulled: dict[str, int] = {}
    if has_value_issues:
        for table, _, n in read_value_issue_counts(warehouse_path):
            nulled[table] = nulled.get(table, 0) + n
    tables = sorted(set(quarantined) | set(nulled))
    if not tables:
        return Plot("quarantine", title, reading,
                    empty=f"nothing set aside: {QUARANTINE_TABLE} and {VALUE_ISSUES_TABLE} "
                          "are empty, every landing row passed its checks"), quarantined
    svg, points = horizontal_bars(
        tables, [("rows quarantined", [quarantined.get(t, 0) for t in tables]),
                 ("values set to null (row kept)", [nulled.get(t, 0) for t in tables])],
        label=title, colours=["#D55E00", "#E69F00"], axis_label="rows / values")
    return Plot("quarantine", title, reading, svg, points), quarantined


# --- the page ------------------------------------------------------------------------------


_CSS = """
body { font-family: system-ui, sans-serif; color: #222; margin: 0; background: #f6f6f4; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
.meta { color: #555; margin: 0 0 12px; }
nav a { margin-right: 14px; color: #0b5cad; text-decoration: none; font-size: 14px; }
h2 { margin: 36px 0 10px; font-size: 20px; border-bottom: 2px solid #ddd; padding-bottom: 4px; }
figure { background: #fff; border: 1px solid #ddd; border-radius: 6px; margin: 14px 0;
         padding: 14px 18px; }
figcaption h3 { margin: 0 0 4px; font-size: 16px; }
figcaption p { margin: 0 0 10px; color: #555; font-size: 13px; line-height: 1.45; }
.no-rows { padding: 28px; text-align: center; color: #8a4b00; background: #fff8ec;
           border: 1px dashed #e0b873; border-radius: 4px; font-size: 14px; }
table { border-collapse: collapse; font-size: 12.5px; margin-top: 10px; }
th, td { padding: 4px 8px; border-bottom: 1px solid #eee; text-align: left; }
td { white-space: nowrap; }
td:first-child { white-space: normal; min-width: 10em; }
th { background: #f3f3f3; font-weight: 600; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { max-height: 360px; overflow: auto; border: 1px solid #eee; }
.tiles { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.tile { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 10px 14px;
        min-width: 150px; }
.tile b { display: block; font-size: 22px; }
.tile span { color: #555; font-size: 12.5px; }
footer { color: #777; font-size: 12px; margin-top: 40px; }
"""

# No script, no request: only the inline style and data: images may load.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_SECTIONS = (
    ("stages", "Lifecycle stages", ("lifecycle_stages",)),
    ("over-time", "Inactivity over time", ("inactivity_history", "inactivity_monthly")),
    ("reactivation", "Reactivation", ("reactivation_funnel", "campaign_kpis")),
    ("score", "Inactivity score", ("score_by_stage", "score_calibration", "score_weights")),
    ("backtest", "Backtest of the windows", ("window_backtest",)),
    ("quality", "Landing quality", ("quarantine",)),
)


def _numeric(cell: object) -> bool:
    if cell == "–":
        return True
    text = str(cell).replace(",", "").replace(" %", "").split(" (")[0]
    try:
        float(text)
    except ValueError:
        return False
    return True


def _table(header: Sequence[str] | None, rows: Sequence[Sequence[object]], *,
           scroll: bool = False) -> str:
    head = ("<thead><tr>" + "".join(f"<th>{esc(cell)}</th>" for cell in header)
            + "</tr></thead>") if header else ""
    body = "".join(
        "<tr>" + "".join(f'<td{" class=num" if _numeric(cell) else ""}>{esc(cell)}</td>'
                         for cell in row) + "</tr>"
        for row in rows)
    table = f"<table>{head}<tbody>{body}</tbody></table>"
    return f'<div class="scroll">{table}</div>' if scroll else table


def _figure(plot: Plot) -> str:
    content = plot.svg if plot.points else (
        f'<p class="no-rows">no rows: {esc(plot.empty or "nothing to draw")}</p>')
    return (f'<figure id="plot-{esc(plot.name)}" data-plot="{esc(plot.name)}" '
            f'data-points="{plot.points}"><figcaption><h3>{esc(plot.title)}</h3>'
            f"<p>{esc(plot.reading)}</p></figcaption>{content}{plot.table}</figure>")


def _tiles(counts: Mapping[str, Mapping[str, int]], stages: _Stages, fit: ScoreFit | None,
           quarantined: Mapping[str, int]) -> str:
    tiles = []
    for level, per_stage in counts.items():
        customers = sum(n for s, n in per_stage.items() if s not in NOT_CUSTOMER_STAGES)
        inactive = sum(per_stage.get(s, 0) for s in stages.inactive)
        share = percent(inactive / customers) if customers else "–"
        tiles.append((share, f"of {number(customers)} {level} customers inactive"))
    if fit is not None:
        tiles.append((_auc(fit.auc), f"score AUC (recency alone {_auc(fit.baseline_auc)})"))
    tiles.append((number(sum(quarantined.values())), "landing rows quarantined"))
    return '<div class="tiles">' + "".join(
        f'<div class="tile"><b>{esc(value)}</b><span>{esc(text)}</span></div>'
        for value, text in tiles) + "</div>"


def render_page(plots: Sequence[Plot], *, as_of_date: str, warehouse_name: str,
                tiles: str, run_id: str | None = None) -> str:
    """The HTML document (every value already escaped by the builders, or here)."""
    by_name = {plot.name: plot for plot in plots}
    run = f" · run {esc(run_id)}" if run_id else ""
    nav = "".join(f'<a href="#{anchor}">{esc(title)}</a>' for anchor, title, _ in _SECTIONS)
    sections = "".join(
        f'<section id="{anchor}"><h2>{esc(title)}</h2>'
        + "".join(_figure(by_name[name]) for name in names if name in by_name) + "</section>"
        for anchor, title, names in _SECTIONS)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Customer inactivity report, {esc(as_of_date)}</title>"
        f"<style>{_CSS}</style></head><body><main>"
        f"<header><h1>Customer inactivity report</h1>"
        f'<p class="meta">as of {esc(as_of_date)} · warehouse {esc(warehouse_name)}{run}</p>'
        f"<nav>{nav}</nav></header>{tiles}{sections}"
        "<footer>Written by orchestration/report.py from the warehouse's marts; the rules "
        "are DOMAIN.md's. Aggregates only, no personal data.</footer>"
        "</main></body></html>\n"
    )


def write_report(warehouse_path: Path, out_path: Path, *, as_of_date: str,
                 run_id: str | None = None, warehouse_name: str | None = None) -> ReportSummary:
    """Reads the warehouse (read-only) and writes the report to out_path atomically.

    `warehouse_name` is what the page calls the warehouse (default: the file's name; a run
    passes the published name, since it reads its private build file).
    """
    as_of = date.fromisoformat(as_of_date)
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        stages = _read_stages(con)
        counts = _stage_counts(con)
        fit = _read_score_fit(con)
        backtest_plot, backtest = _backtest(con)
        plots = [
            _stages_plot(counts, stages),
            _history_plot(con, stages, as_of),
            _monthly_plot(con, as_of),
            _funnel_plot(con, as_of),
            _campaigns_plot(con, as_of),
            _score_by_stage_plot(con, stages),
            _calibration_plot(con, fit),
            _weights_plot(fit, _exists(con, SCORE_MODEL_TABLE)),
            backtest_plot,
        ]
        has_quarantine = _exists(con, QUARANTINE_TABLE)
        has_value_issues = _exists(con, VALUE_ISSUES_TABLE)
    quarantine_plot, quarantined = _quarantine_plot(warehouse_path, has_quarantine,
                                                    has_value_issues)
    plots.append(quarantine_plot)
    page = render_page(plots, as_of_date=as_of_date,
                       warehouse_name=warehouse_name or Path(warehouse_path).name,
                       tiles=_tiles(counts, stages, fit, quarantined), run_id=run_id)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_text_file(out_path) as handle:
        handle.write(page)
    return ReportSummary(path=out_path, as_of_date=as_of_date,
                         plot_points={plot.name: plot.points for plot in plots},
                         stage_counts=counts, score=fit, backtest=backtest,
                         quarantined=quarantined)


# --- the Dagster preview -------------------------------------------------------------------


def markdown_escape(value: object) -> str:
    """Text from the data for Dagster's Markdown (a table cell or a line): no markup passes,
    HTML escaped (&, < and >: no '#' of an entity) and Markdown's own characters too."""
    # a newline would end a table row or a list item early
    escaped = html.escape(" ".join(str(value).split()), quote=False)
    for character in "\\`*_[]|#":
        escaped = escaped.replace(character, "\\" + character)
    return escaped


def _md_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """A Markdown table: the header is ours, the cells come from the data (escaped)."""
    return ["| " + " | ".join(header) + " |",
            "|" + "|".join("---" for _ in header) + "|",
            *("| " + " | ".join(markdown_escape(cell) for cell in row) + " |" for row in rows)]


def report_markdown(summary: ReportSummary, stage_order: Sequence[str] = DEFAULT_STAGES) -> str:
    """The substance of the report as Markdown, for the Dagster UI (which cannot open a
    file:// link): stages, score, backtest, quarantine, and which charts had no data."""
    counts = summary.stage_counts
    title = (f"**Inactivity report as of {markdown_escape(summary.as_of_date)}**: {markdown_escape(summary.path)} "
             "(one HTML file; open it in a browser)")
    lines = [title, ""]
    lines.append("**Lifecycle stages**")
    names = [s for s in stage_order if any(s in c for c in counts.values())] + sorted(
        {s for c in counts.values() for s in c} - set(stage_order))
    lines += _md_table(["lifecycle_stage", *counts],
                       [[s, *(counts[lvl].get(s, 0) for lvl in counts)] for s in names]
                       + [["total", *(sum(c.values()) for c in counts.values())]])
    lines += ["", "**Inactivity score**"]
    fit = summary.score
    if fit is None:
        lines.append(f"no current fit in {SCORE_MODEL_TABLE}")
    else:
        lines.append(f"AUC {_auc(fit.auc)} on the held-out date {markdown_escape(fit.held_out_date)} "
                     f"against {_auc(fit.baseline_auc)} for recency alone (fit "
                     f"{markdown_escape(fit.fit_id)}, fitted as of {markdown_escape(fit.fit_as_of_date)}). BG/NBD: "
                     + ", ".join(f"{name} {_parameter(v)}" for name, v in fit.bgnbd.items())
                     + ".")
        lines += ["", *_md_table(["criterion", "weight"],
                                 [[label, f"{weight:.3f}"] for label, weight in fit.weights])]
    lines += ["", "**Backtest of the windows**"]
    if not summary.backtest:
        lines.append(f"{BACKTEST_TABLE} not built")
    else:
        lines += _md_table(
            ["business line", "configured window", "bought again at it",
             "shortest window under the limit"],
            [[line, _months(b.configured_window),
              percent(b.share_at_configured, 1), _months(b.shortest_window_under_limit)]
             for line, b in summary.backtest.items()])
    lines += ["", "**Landing rows quarantined**"]
    if summary.quarantined:
        lines += _md_table(["table", "rows"], sorted(summary.quarantined.items()))
    else:
        lines.append("none")
    if summary.empty_plots:
        lines += ["", "Charts without data (the report says why): "
                  + ", ".join(summary.empty_plots)]
    return "\n".join(lines)
