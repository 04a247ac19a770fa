"""A small warehouse holding every table the report reads, with plausible rows, built in
well under a second: `build_report_warehouse(path)`.

The score and backtest tables follow the contract of issue 10 (columns fixed by the lead);
`add_score_tables(con)` also adds them to a copy of a real build, to look at the report on
demo data before those models exist. Some labels carry markup (HOSTILE) to check that the
report escapes every value from the data.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-30"
HOSTILE = "<script>alert(1)</script>"
HOSTILE_LINE = f"retail {HOSTILE}"
HOSTILE_TABLE = f"orders{HOSTILE}"
HOSTILE_CRITERION = "<img src=x onerror=alert(1)> & recency"

# criterion, label, weight: signs as one expects (recency against the window pushes the
# score up, an open item or a high P(alive) pulls it down)
CRITERIA = (
    ("recency_vs_window", "days since last purchase / window", 1.84),
    ("p_alive", "P(alive), BG/NBD", -1.52),
    ("open_items", "open items", -1.07),
    ("cadence_ratio", "days since last purchase / median gap", 0.88),
    ("email_engagement", "email opens and clicks, 90 days", -0.61),
    ("session_trend", "sessions spacing out", 0.47),
    ("basket_trend", "basket of the last 3 orders vs earlier", 0.38),
    ("business_line_subscription", "business line: subscription", 0.29),
    ("tickets_90d", HOSTILE_CRITERION, -0.18),
    ("disputes_90d", "disputes, 90 days", -0.09),
)
# business line, configured window (seed business_lines), how fast the share falls
BACKTEST_LINES = (("retail", 8, 5.0), ("subscription", 6, 3.5), ("b2b_services", 12, 7.0),
                  ("default", 6, 4.0), (HOSTILE_LINE, 6, 4.5))
BACKTEST_LIMIT = 0.10


def build_report_warehouse(path: Path) -> Path:
    """Writes the fixture warehouse to path (replacing it) and returns path."""
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as con:
        for schema in ("business_rules", "marts", "reactivation", "quality"):
            con.execute(f"create schema {schema}")
        for seed in ("lifecycle_stages", "reactivation_scenarios"):
            con.execute(f"create table business_rules.{seed} as select * from "
                        f"read_csv('{REPO / 'seeds' / (seed + '.csv')}', header = true)")
        _activity(con)
        _history(con)
        _reactivation(con)
        _quality(con)
        add_score_tables(con)
    return path


def _activity(con: duckdb.DuckDBPyConnection) -> None:
    # 240 individuals in 120 households, the stage from the id (a fixed spread)
    stage_of = ("case i % 12 when 0 then 'prospect' when 1 then 'erased' when 2 then 'dormant' "
                "when 3 then 'lost' when 4 then 'at_risk' when 5 then 'at_risk' "
                "when 6 then 'dormant' else 'active' end")
    con.execute(f"""
        create table marts.individual_activity as
        select printf('I%06d', i) as individual_id, printf('H%06d', i // 2) as household_id,
            {stage_of} as lifecycle_stage,
            ({stage_of}) in ('dormant', 'lost') as is_inactive,
            ['retail', 'subscription', 'b2b_services', 'default'][1 + i % 4] as business_line
        from range(240) as t(i)
    """)
    # accounts are never erased (people are)
    account_stage_of = stage_of.replace("'erased'", "'prospect'")
    for level, key, n, stage in (("household", "household_id", 120, stage_of),
                                 ("account", "account_id", 90, account_stage_of)):
        con.execute(f"""
            create table marts.{level}_activity as
            select printf('{level[0].upper()}%06d', i) as {key}, {stage} as lifecycle_stage
            from range({n}) as t(i)
        """)


def _history(con: duckdb.DuckDBPyConnection) -> None:
    """Three recorded dates: entities start at_risk or active and some turn dormant."""
    con.execute("""
        create table marts.lifecycle_stage_changes as
        with entities as (
            select 'individual' as entity_level, individual_id as entity_id, lifecycle_stage
            from marts.individual_activity
            union all select 'household', household_id, lifecycle_stage from marts.household_activity
            union all select 'account', account_id, lifecycle_stage from marts.account_activity
        )
        select entity_level, entity_id, date '2026-09-30' as as_of_date,
            case when lifecycle_stage in ('dormant', 'lost') then 'at_risk' else lifecycle_stage end
                as lifecycle_stage
        from entities
        union all
        select entity_level, entity_id, date '2026-10-31',
            case when lifecycle_stage = 'lost' then 'dormant' else lifecycle_stage end
        from entities where lifecycle_stage in ('dormant', 'lost')
        union all
        select entity_level, entity_id, date '2026-11-30', lifecycle_stage
        from entities where lifecycle_stage = 'lost'
    """)
    con.execute("""
        create view marts.lifecycle_stage_history as
        select entity_level, entity_id, lifecycle_stage, as_of_date as valid_from,
            lead(as_of_date) over (partition by entity_level, entity_id order by as_of_date)
                as valid_to,
            lead(as_of_date) over (partition by entity_level, entity_id order by as_of_date)
                is null as is_current
        from marts.lifecycle_stage_changes
    """)
    con.execute(f"""
        create table marts.reactivation_kpis_monthly as
        select month_start, entity_level, business_line,
            100 + m as customers, 10 + (m * 7) % 23 as inactive_at_start,
            date '{AS_OF}' as as_of_date
        from range(12) as t(m),
            (select unnest(['individual', 'household', 'account']) as entity_level),
            (select unnest(['retail', 'subscription']) as business_line),
            lateral (select cast(date '2025-12-01' + to_months(m) as date) as month_start)
    """)


def _reactivation(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"""
        create table reactivation.contact_log as
        select cast(date '{AS_OF}' - to_days(cast(i % 3 as integer)) as date) as as_of_date,
            printf('I%06d', i) as individual_id,
            case when i % 5 = 0 then 'declining_activity' else 'reactivation' end as scenario,
            1 + i % 4 as wave, ['email', 'sms', 'postal', 'custom_audience'][1 + i % 4] as channel
        from range(80) as t(i)
        where scenario = 'reactivation' or wave <= 2
    """)
    con.execute("""
        create table marts.reactivation_kpis as
        select printf('C%06d', c) as campaign_id,
            case when c % 3 = 0 then 'Baisse d''activité <b>&</b> ' || c
                 else 'Relance inactifs vague ' || (1 + c % 4) end as name,
            case when c % 3 = 0 then 'retention' else 'reactivation' end as campaign_type,
            case when c % 3 = 0 then 1 + c % 2 else 1 + c % 4 end as wave,
            'email' as channel,
            timestamp '2026-01-15 09:00' + to_days(cast(c * 20 as integer)) as launched_at,
            30 + c as contacts, 29 + c as delivered, 2 + c % 4 as clicked,
            5 + c % 9 as reactivated, 1 + c % 3 as converted,
            (5 + c % 9) / (30 + c) as reactivation_rate, (1 + c % 3) / (30 + c) as conversion_rate,
            cast(120.5 * c as decimal(18, 2)) as revenue,
            cast((30 + c) * 0.004 as decimal(18, 4)) as cost,
            cast((30 + c) * 0.004 / (5 + c % 9) as decimal(18, 4)) as cost_per_reactivated,
            c < 12 as is_response_window_closed
        from range(15) as t(c)
    """)


def _quality(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"""
        create table quality.landing_quarantine as
        select * from (values
            ('orders', 1, 'O1', ['missing_value(amount)'], 'amount is missing'),
            ('orders', 2, 'O2', ['duplicate_key'], 'duplicate'),
            ('tickets', 5, 'T5', ['unparseable_value(opened_at)', 'orphan_reference(individual_id)'],
             'unparseable'),
            ('{HOSTILE_TABLE}', 3, 'X3', ['unknown_value(status)'], 'unknown'))
            as t(source_table, source_row_number, record_key, failed_checks, quarantine_reason)
    """)
    con.execute("""
        create table quality.landing_value_issues as
        select * from (values ('individuals', 7, 'I7', 'birth_date', 'unparseable_value'))
            as t(source_table, source_row_number, record_key, column_name, failed_check)
    """)


def add_score_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The score columns of marts.individual_activity and the score and backtest marts, with
    plausible values (a higher score for the inactive stages), deterministic."""
    columns = {row[0] for row in con.execute(
        "select column_name from information_schema.columns where table_schema = 'marts' "
        "and table_name = 'individual_activity'").fetchall()}
    for column, data_type in (("inactivity_score", "double"), ("score_drivers", "varchar")):
        if column not in columns:
            con.execute(f"alter table marts.individual_activity add column {column} {data_type}")
    # u in [0, 1) from the id: the score's spread within a stage
    con.execute("""
        update marts.individual_activity set
            inactivity_score = case
                when lifecycle_stage in ('prospect', 'erased') then null
                else least(0.999, greatest(0.001, case lifecycle_stage
                    when 'active' then 0.03 + 0.35 * u * u
                    when 'at_risk' then 0.15 + 0.55 * u
                    when 'dormant' then 0.45 + 0.5 * sqrt(u)
                    else 0.6 + 0.39 * sqrt(u) end)) end,
            score_drivers = case when lifecycle_stage not in ('prospect', 'erased')
                then 'days since last purchase / window; open items' end
        from (select individual_id as id, (hash(individual_id) % 1000) / 1000.0 as u
              from marts.individual_activity) as spread
        where spread.id = individual_activity.individual_id
    """)
    con.execute("drop table if exists marts.inactivity_score_model")
    con.execute("""
        create table marts.inactivity_score_model (
            fit_id varchar, fit_as_of_date date, held_out_date date, criterion varchar,
            criterion_label varchar, weight double, auc double, baseline_auc double,
            is_current_fit boolean, bgnbd_r double, bgnbd_alpha double, bgnbd_a double,
            bgnbd_b double, bgnbd_log_likelihood double)
    """)
    for fit_id, fit_as_of, held_out, current, scale in (
            ("fit-2026-10-01", "2026-10-01", "2026-04-30", False, 0.9),
            ("fit-2026-11-01", "2026-11-01", "2026-05-31", True, 1.0)):
        con.executemany(
            "insert into marts.inactivity_score_model values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, 0.243, 4.414, 0.793, 2.426, -9582.4)",
            [[fit_id, fit_as_of, held_out, criterion, label, weight * scale,
              0.83 * scale, 0.76 * scale, current] for criterion, label, weight in CRITERIA])
    con.execute("drop table if exists marts.inactivity_score_calibration")
    con.execute("""
        create table marts.inactivity_score_calibration as
        select fit_id, d as score_decile, 250 as customers,
            (d - 0.5) / 10 as mean_score,
            least(1.0, greatest(0.0, (d - 0.5) / 10 * 0.92 + 0.02 + ((d * 37) % 7 - 3) / 200))
                as dormant_rate,
            fit_id = 'fit-2026-11-01' as is_current_fit
        from range(1, 11) as t(d), (select unnest(['fit-2026-10-01', 'fit-2026-11-01'])
                                    as fit_id)
    """)
    con.execute("drop table if exists marts.inactivity_window_backtest")
    con.execute("""
        create table marts.inactivity_window_backtest (
            business_line varchar, window_months integer, replay_months integer,
            flagged_dormant bigint, bought_again_uncontacted bigint, share_bought_again double,
            is_configured_window boolean, shortest_window_under_limit integer,
            comeback_share_limit double)
    """)
    rows = []
    for line, configured, pace in BACKTEST_LINES:
        shares = {w: round(0.42 * 2.718 ** (-w / pace) + 0.02, 4) for w in range(3, 19)}
        shortest = min(w for w, share in shares.items() if share < BACKTEST_LIMIT)
        for window, share in shares.items():
            flagged = 400 - 12 * window
            rows.append([line, window, 36, flagged, round(flagged * share), share,
                         window == configured, shortest, BACKTEST_LIMIT])
    con.executemany("insert into marts.inactivity_window_backtest values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows)
