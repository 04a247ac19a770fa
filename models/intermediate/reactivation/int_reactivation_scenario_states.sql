{#-
  Where each individual, household and account stands in each relaunch scenario at the
  as-of date (DOMAIN.md, "Reactivation"). The one model that owns this state: the targets
  read the next step from it, and the lifecycle rule "lost after every wave unanswered"
  reads is_last_step_unanswered (int_entity_statuses_evaluated).

  A step counts as sent when the marketing tool reports it (a campaign of the scenario's
  campaign type whose `wave` is the step, with an email event `sent` for the person) or
  when the project published it on an earlier run (reactivation.contact_log, read through
  the view of past runs: SMS and postal steps count too). Only the steps sent since the
  entity's last activity count: any activity after a step (a purchase, a click, a visit ...)
  answers it and ends the scenario.

  A step reaches an entity when it was sent to the individual; to any member of the
  household; for an account, when the project sent it through the account, or the
  marketing tool sent it to one of its current role-holders.
-#}
with

email_events as (select * from {{ ref('stg_landing__email_events') }}),
campaigns as (select * from {{ ref('stg_landing__campaigns') }}),
contact_log as (select * from {{ source('reactivation_history', 'contact_log_of_past_runs') }}),
steps as (select * from {{ ref('int_reactivation_scenario_steps') }}),
activity as (select * from {{ ref('int_entity_activity_summarised') }}),
households as (select * from {{ ref('int_individuals_householded') }}),
roles as (select distinct account_id, individual_id from {{ ref('int_account_roles_current') }}),
accounts as (select * from {{ ref('stg_landing__accounts') }}),

scenarios as (select distinct scenario, campaign_type from steps),

sends as (

    select
        email_events.individual_id,
        cast(null as string) as account_id,
        'marketing_tool' as sent_by,
        scenarios.scenario,
        campaigns.wave as step,
        email_events.occurred_at as sent_at,
        cast(email_events.occurred_at as date) as sent_on
    from email_events
    inner join campaigns on email_events.campaign_id = campaigns.campaign_id
    inner join scenarios on campaigns.campaign_type = scenarios.campaign_type
    where
        email_events.event_type = 'sent'
        and campaigns.wave is not null
        and {{ is_known_at_as_of('email_events.occurred_at') }}

    union all

    -- published with the as-of date's data: answered by any activity after that day
    select
        individual_id,
        account_id,
        'contact_log',
        scenario,
        wave,
        cast(as_of_date as timestamp) + interval 1 day,
        as_of_date
    from contact_log

),

individual_activity as (

    select
        entity_id as individual_id,
        last_activity_at,
        greatest(last_purchase_at, last_digital_activity_at) as last_visit_or_purchase_at
    from activity
    where entity_level = 'individual'

),

-- every entity, with the individuals whose activity counts for it
entity_members as (

    select 'individual' as entity_level, individual_id as entity_id, individual_id
    from households

    union all
    select 'household', household_id, individual_id
    from households

    union all
    select 'account', account_id, individual_id
    from roles

    union all
    select 'account', account_id, cast(null as string)
    from accounts

),

entity_activity as (

    select
        entity_members.entity_level,
        entity_members.entity_id,
        greatest(
            max(individual_activity.last_activity_at),
            max(own_activity.last_activity_at)
        ) as last_activity_at,
        greatest(
            max(individual_activity.last_visit_or_purchase_at),
            max(greatest(own_activity.last_purchase_at, own_activity.last_digital_activity_at))
        ) as last_visit_or_purchase_at
    from entity_members
    left join individual_activity on entity_members.individual_id = individual_activity.individual_id
    -- an account's own events (B2B orders placed by the account, its usage ...)
    left join activity as own_activity
        on entity_members.entity_level = 'account'
        and entity_members.individual_id is null
        and own_activity.entity_level = 'account'
        and entity_members.entity_id = own_activity.entity_id
    group by entity_members.entity_level, entity_members.entity_id

),

entity_sends as (

    select 'individual' as entity_level, individual_id as entity_id, scenario, step, sent_at, sent_on
    from sends

    union all
    select 'household', households.household_id, sends.scenario, sends.step, sends.sent_at, sends.sent_on
    from sends
    inner join households on sends.individual_id = households.individual_id

    union all
    -- the project's sends through the account ...
    select 'account', account_id, scenario, step, sent_at, sent_on
    from sends
    where account_id is not null

    union all
    -- ... and the marketing tool's to the account's current role-holders
    select 'account', roles.account_id, sends.scenario, sends.step, sends.sent_at, sends.sent_on
    from sends
    inner join roles on sends.individual_id = roles.individual_id
    -- (the project's own sends to a person or a household are not the account's)
    where sends.sent_by = 'marketing_tool'

),

unanswered as (

    select
        entity_sends.entity_level,
        entity_sends.entity_id,
        entity_sends.scenario,
        count(distinct entity_sends.step) as steps_unanswered,
        -- the furthest step reached, and when it was last sent
        max({{ struct_of({'step': 'entity_sends.step', 'sent_on': 'entity_sends.sent_on'}) }}) as current_send
    from entity_sends
    inner join entity_activity using (entity_level, entity_id)
    where
        entity_activity.last_activity_at is null
        or entity_sends.sent_at > entity_activity.last_activity_at
    group by entity_sends.entity_level, entity_sends.entity_id, entity_sends.scenario

),

states as (

    select
        entity_activity.entity_level,
        entity_activity.entity_id,
        scenarios.scenario,
        entity_activity.last_activity_at,
        entity_activity.last_visit_or_purchase_at,
        coalesce(unanswered.steps_unanswered, 0) as steps_unanswered,
        -- fields of the struct column current_send (sqlfluff reads table.column.field as a schema)
        unanswered.current_send.step as current_step,  -- noqa: RF01
        unanswered.current_send.sent_on as current_step_sent_on  -- noqa: RF01
    from entity_activity
    cross join scenarios
    left join unanswered
        on entity_activity.entity_level = unanswered.entity_level
        and entity_activity.entity_id = unanswered.entity_id
        and scenarios.scenario = unanswered.scenario

),

next_steps as (

    select
        states.entity_level,
        states.entity_id,
        states.scenario,
        min(steps.step) as next_step
    from states
    inner join steps
        on states.scenario = steps.scenario
        and steps.step > coalesce(states.current_step, -1)
    group by states.entity_level, states.entity_id, states.scenario

),

scenario_sizes as (

    select scenario, count(*) as step_count from steps
    group by scenario

)

select
    states.*,
    next_steps.next_step,
    -- due when every condition of the next step holds: the gap since the previous step
    -- (waves, and step 2 of declining activity) and the days without a visit or purchase
    -- (declining activity); null = due as soon as the scenario applies
    nullif(greatest(
        coalesce(states.current_step_sent_on + steps.min_days_after_previous_step, date '0001-01-01'),
        coalesce(
            cast(states.last_visit_or_purchase_at as date) + steps.days_since_last_visit_or_purchase,
            date '0001-01-01'
        )
    ), date '0001-01-01') as next_step_due_on,
    steps.message as next_step_message,
    steps.offer as next_step_offer,
    -- DOMAIN.md: after the last step unanswered (or as many unanswered steps as the scenario
    -- has) the scenario is over: for reactivation, the customer is lost
    coalesce(
        current_steps.is_last_step or states.steps_unanswered >= scenario_sizes.step_count,
        false
    ) as is_last_step_unanswered
from states
inner join scenario_sizes on states.scenario = scenario_sizes.scenario
left join next_steps
    on states.entity_level = next_steps.entity_level
    and states.entity_id = next_steps.entity_id
    and states.scenario = next_steps.scenario
left join steps
    on next_steps.scenario = steps.scenario and next_steps.next_step = steps.step
left join steps as current_steps
    on states.scenario = current_steps.scenario and states.current_step = current_steps.step
