create table campaigns as
with raw as (
    -- weekly newsletter
    select
        'newsletter' as campaign_type, week.w as seq, cast(null as integer) as wave,
        3 + 7 * week.w as launch_day, 'email' as channel, 'newsletter' as content_type
    from range(0, cast(floor((horizon() - 3) / 7) as bigint) + 1) as week (w)
    union all
    -- fortnightly promotions, some by SMS or post
    select
        'promotion', fortnight.v, null, 10 + 14 * fortnight.v,
        case
            when fortnight.v % 5 = 4 then 'sms' when fortnight.v % 13 = 6 then 'postal'
            else 'email'
        end,
        promotion_content()[fortnight.v % 5 + 1]
    from range(0, cast(floor((horizon() - 10) / 14) as bigint) + 1) as fortnight (v)
    union all
    -- reactivation scenarios, four waves 30 days apart; waves the tool did not send (after it
    -- stopped) do not exist
    select
        'reactivation', scenario.s, cast(waves.wave as integer),
        scenario_launch_age(scenario.s) - 30 * (waves.wave - 1),
        'email', reactivation_content()[waves.wave]
    from range(0, scenario_count()) as scenario (s), range(1, 5) as waves (wave)
    where waves.wave <= launched_waves(scenario.s)
    union all
    -- declining-activity journey: a weekly batch per step over the last two months
    select
        'retention', batch.k, cast(steps.step as integer), retention_day(steps.step, batch.k),
        'email', retention_content()[steps.step]
    from range(0, retention_batches()) as batch (k), range(1, 3) as steps (step)
)
select
    row_number() over (order by launch_day desc, campaign_type asc, seq asc, wave asc) as c_idx,
    *,
    launch_day - 0.375 as launch_age,  -- 09:00
    cast(case channel when 'email' then 0.004 when 'sms' then 0.045 else 0.85 end as double)
        as cost_per_contact
from raw;
