-- Reactivation: a customer enters the first scenario launched 9 to 24 months after their last
-- purchase (3 in 4 of them are picked). A response (a click) ends the scenario; some responders
-- buy again. Most dormant people receive every wave and never answer. Some addresses stop on a
-- wave (hard bounce or complaint, or an unsubscribe), by quota of the wave's receivers in each
-- scenario: bounces and complaints stay under 1.5 % on waves 1, 2 and 4 and reach at least 4 %
-- on wave 3, so the deliverability ramp has something to widen on and something to stop at.
create table reactivation as
with entered as (
    select
        r.*, s.s, scenario_launch_age(s.s) as scenario_age, launched_waves(s.s) as launched_waves
    from recipients as r
    inner join range(0, scenario_count()) as s (s)
        on scenario_launch_age(s.s) between r.last_age - 730 and r.last_age - 270
    where
        rnd(r.i, 'reactivation_pick') < 0.75
        and r.left_age <= greatest(scenario_launch_age(s.s) - 90, 0)
    qualify row_number() over (partition by r.i order by s.s desc) = 1
), answered as (
    select
        *,
        -- first answering wave, geometric with a per-wave answer rate (never for the dead)
        case
            when deceased_age is not null then 99
            else
                1 + cast(floor(
                    ln(1 - rnd(i, 'reactivation_answer'))
                    / ln(1 - case persona when 'dormant' then 0.08 when 'lost' then 0.03 else 0.05 end)
                ) as int)
        end as answer_wave
    from entered
), quotas as (
    -- per scenario: the people who never answer in a random order (stop_rank), and how many
    -- of them stop, per slot: (bounce or complaint, unsubscribe) on wave 1, on wave 2 ... as
    -- shares of the wave's receivers (before any stop); wave 3 gets at least one bounce
    select
        *,
        row_number() over (
            partition by s
            order by answer_wave <= launched_waves, rnd(i, 'reactivation_stop'), i
        ) as stop_rank,
        [
            floor(0.015 * receivers[1]), floor(0.02 * receivers[1]),
            floor(0.015 * receivers[2]), floor(0.02 * receivers[2]),
            ceil(0.04 * receivers[3]), floor(0.02 * receivers[3]),
            floor(0.015 * receivers[4]), floor(0.03 * receivers[4])
        ] as quota
    from (
        select
            *,
            [
                count(*) filter (where least(answer_wave, launched_waves) >= 1) over s,
                count(*) filter (where least(answer_wave, launched_waves) >= 2) over s,
                count(*) filter (where least(answer_wave, launched_waves) >= 3) over s,
                count(*) filter (where least(answer_wave, launched_waves) >= 4) over s
            ] as receivers
        from answered
        window s as (partition by s)
    ) as counted
), stopped as (
    -- the slot whose running total first reaches the person's rank (none: no stop)
    select
        * exclude (quota, receivers),
        case
            when answer_wave > launched_waves
                then list_position(
                    list_transform(range(1, 9), lambda q: stop_rank <= list_sum(quota[1:q])), true
                )
        end as stop_slot
    from quotas
), stop_wave as (
    select
        * exclude (stop_slot),
        1 + (stop_slot - 1) // 2 as stop_wave,
        case
            when stop_slot is null then null
            when stop_slot % 2 = 0 then 'unsubscribe'
            when rnd(i, 'reactivation_stop_kind') < 0.6 then 'bounce_hard'
            else 'complaint'
        end as stop_reason
    from stopped
)
select
    *,
    scenario_age - 30 * (stop_wave - 1) - 0.375 as stop_age,  -- the wave's launch
    least(answer_wave, launched_waves, coalesce(stop_wave, 99)) as waves_received,
    answer_wave <= launched_waves as answered,
    answer_wave <= launched_waves and rnd(i, 'reactivation_buys') < 0.4 as buys_again,
    scenario_age - 30 * (answer_wave - 1) - 1 - 10 * rnd(i, 'reactivation_buy_at') as buy_age
from stop_wave;
