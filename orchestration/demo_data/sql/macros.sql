-- Constants and helpers of the demo data as DuckDB macros, so that every step is static SQL.
-- The run's settings are DuckDB variables set by generate.py: individuals, b2b_accounts,
-- seed and as_of.
create macro n_people() as cast(getvariable('individuals') as bigint);
create macro n_b2b() as cast(getvariable('b2b_accounts') as bigint);
create macro seed() as getvariable('seed');
create macro as_of() as cast(getvariable('as_of') as date);
create macro horizon() as 2190;  -- about six years of history before the as-of date
-- Email event ids pack (individual, campaign, slot) into one integer: at most this many
-- campaigns (generate.py checks).
create macro max_campaigns() as 1024;
-- Random draws are hashes of (seed, key..., salt): no random(), no thread effect. hash() of
-- several values only xors the salt in, so the result is hashed again: without that, draws
-- with different salts for one key would be correlated.
create macro rhash(p_k, p_salt) as hash(hash(seed(), p_k, p_salt));
create macro rhash2(p_k1, p_k2, p_salt) as hash(hash(seed(), p_k1, p_k2, p_salt));
-- Uniform in [0, 1) (53 bits).
create macro rnd(p_k, p_salt) as (rhash(p_k, p_salt) >> 11) * (1.0 / 9007199254740992);
create macro rnd2(p_k1, p_k2, p_salt) as (
    (rhash2(p_k1, p_k2, p_salt) >> 11) * (1.0 / 9007199254740992)
);
create macro pick(p_xs, p_u) as p_xs[1 + cast(floor(p_u * len(p_xs)) as integer)];
create macro loguni(p_u, p_lo, p_hi) as p_lo * pow(p_hi / p_lo, p_u);
-- Ages (days before the as-of date) to timestamps / dates, never later than one second / one
-- day before the as-of date: the as-of day itself has not happened yet. Null stays null
-- (greatest() alone would turn it into "yesterday").
create macro ts_ago(p_days) as case
    when p_days is not null then
        cast(as_of() as timestamp) - to_seconds(greatest(1, cast(p_days * 86400 as bigint)))
end;
create macro date_ago(p_days) as case
    when p_days is not null then
        as_of() - greatest(1, cast(ceil(p_days) as integer))
end;
create macro fmt_id(p_prefix, p_n, p_width) as p_prefix || lpad(cast(p_n as varchar), p_width, '0');
create macro money(p_x) as cast(round(p_x, 2) as decimal(12, 2));
-- Event series walking back from the most recent event (age p_last): the latest gap is p_gap
-- and gaps shrink by p_shrink per step into the past (shrink < 1: a cadence that decays over
-- time), never below a quarter of p_gap; the series stops at the first possible age p_first
-- or after p_kmax events. Closed forms: event j's age, and the number of events.
create macro series_knee(p_shrink) as (
    case when p_shrink >= 0.9999 then 1e9 else floor(ln(0.25) / ln(p_shrink)) end
);
create macro series_geo(p_gap, p_shrink, p_j) as (
    case
        when p_shrink >= 0.9999 then p_gap * p_j
        else p_gap * (1 - pow(p_shrink, p_j)) / (1 - p_shrink)
    end
);
create macro series_age(p_last, p_gap, p_shrink, p_j) as (
    p_last + series_geo(p_gap, p_shrink, least(p_j, series_knee(p_shrink)))
    + greatest(0, p_j - series_knee(p_shrink)) * 0.25 * p_gap
);
create macro series_len(p_last, p_first, p_gap, p_shrink, p_kmax) as cast(case
    when p_last is null or p_first < p_last then 0
    when p_shrink >= 0.9999 then least(p_kmax, 1 + floor((p_first - p_last) / p_gap))
    when p_first - p_last <= series_geo(p_gap, p_shrink, series_knee(p_shrink))
        then least(
            p_kmax,
            1 + floor(ln(1 - (p_first - p_last) * (1 - p_shrink) / p_gap) / ln(p_shrink))
        )
    else least(
        p_kmax,
        series_knee(p_shrink) + 1
        + floor(
            (p_first - p_last - series_geo(p_gap, p_shrink, series_knee(p_shrink)))
            / (0.25 * p_gap)
        )
    )
end as bigint);
-- The j-th contact slot of B2B account k: stride 7 keeps a company's contacts distinct and
-- out of one household.
create macro b2b_contact(p_k, p_slot) as (
    cast((rhash(p_k, 'b2b_contact') % n_people() + p_slot * 7) % n_people() + 1 as bigint)
);
-- Reactivation scenarios (waves 30 days apart): four recent ones launched 10, 34, 64 and 94
-- days ago, then one 130 days ago and one every 182 days back. The marketing tool stopped
-- sending waves a week ago (the project publishes them now), so at the as-of date wave 2 is
-- not due yet for the first cohort, and waves 2, 3 and 4 are due (since 4 days) for the
-- next three; the older cohorts got all four waves.
create macro scenario_count() as 14;  -- an older one would find nobody 9 months dormant
create macro scenario_launch_age(p_s) as (
    case when p_s < 4 then [10, 34, 64, 94][p_s + 1] else 130 + 182 * (p_s - 4) end
);
create macro tool_stop_age() as 7;
create macro launched_waves(p_s) as (
    cast(least(4, floor((scenario_launch_age(p_s) - tool_stop_age()) / 30) + 1) as integer)
);
-- Declining-activity journey of the marketing tool (two months old, still running): weekly
-- batches, step 1 three days before the as-of date and every 7 days back, step 2 five days
-- after each step 1 batch (so at the as-of date step 2 is due for those whose step 1 went out
-- 10 days ago, and not due yet for those of 3 days ago).
create macro retention_batches() as 8;
create macro retention_day(p_step, p_k) as case p_step when 1 then 3 else 5 end + 7 * p_k;
