{#-
  One row per step of each relaunch scenario, from the seeds (no step, day or offer is
  written in SQL): when it is due relative to the previous step and to the last visit or
  purchase, its message and offer, and whether it is the scenario's last step.
-#}
with

scenarios as (select * from {{ ref('reactivation_scenarios') }}),
waves as (select * from {{ ref('reactivation_waves') }}),
declining_steps as (select * from {{ ref('declining_activity_steps') }}),

steps as (

    -- wave n+1 is due day_offset(n+1) - day_offset(n) days after wave n was sent
    select
        'reactivation' as scenario,
        wave as step,
        day_offset - lag(day_offset) over (order by wave) as min_days_after_previous_step,
        cast(null as integer) as days_since_last_visit_or_purchase,
        message,
        offer
    from waves

    union all

    select
        'declining_activity',
        step,
        -- the first step follows no other
        case when step > min(step) over () then min_days_after_previous_step end,
        days_since_last_visit_or_purchase,
        message,
        offer
    from declining_steps

)

select
    steps.*,
    scenarios.campaign_type,
    scenarios.lifecycle_stage,
    steps.step = max(steps.step) over (partition by steps.scenario) as is_last_step
from steps
inner join scenarios on steps.scenario = scenarios.scenario
