{#-
  One row per scenario step: the largest share (percent) of email-inactive contacts its
  email sends may hold (DOMAIN.md, "Deliverability"). The base share widens by a number of
  points for each EARLIER step of the scenario whose hard bounces and complaints, as the
  marketing tool reported them, stayed under the threshold share of its sends. A step
  never sent proves nothing and does not widen the share. All figures are vars.
-#}
{{ config(tags=['behind_quality_gate', 'reactivation']) }}

with

steps as (select * from {{ ref('int_reactivation_scenario_steps') }}),
campaigns as (select * from {{ ref('stg_landing__campaigns') }}),
email_events as (select * from {{ ref('stg_landing__email_events') }}),

step_deliverability as (

    select
        steps.scenario,
        steps.step,
        count(*) filter (where email_events.event_type = 'sent') as sends,
        count(*) filter (where email_events.event_type in ('bounce_hard', 'complaint')) as issues
    from steps
    inner join campaigns
        on steps.campaign_type = campaigns.campaign_type and steps.step = campaigns.wave
    inner join email_events on campaigns.campaign_id = email_events.campaign_id
    where campaigns.channel = 'email' and {{ is_known_at_as_of('email_events.occurred_at') }}
    group by steps.scenario, steps.step

),

widened as (

    select
        steps.scenario,
        steps.step,
        count(earlier.step) filter (
            where earlier.sends > 0
            and earlier.issues * 100 < {{ var('deliverability_issue_max_percent') }} * earlier.sends
        ) as clean_earlier_steps
    from steps
    left join step_deliverability as earlier
        on steps.scenario = earlier.scenario and steps.step > earlier.step
    group by steps.scenario, steps.step

)

select
    scenario,
    step,
    clean_earlier_steps,
    least(
        100,
        {{ var('email_inactive_max_percent') }}
        + {{ var('email_inactive_widening_points') }} * clean_earlier_steps
    ) as email_inactive_max_percent
from widened
