{#-
  One row per individual and per account: its own lifecycle status at the as-of date, from
  its own events and open items (the rule: lifecycle_status_rule(); the wording:
  lifecycle_status_reason()). Households, and accounts through their contacts, are
  consolidated from these rows in int_entity_statuses_consolidated.
-#}
with

entities as (select * from {{ ref('int_entities_windowed') }}),
activity as (select * from {{ ref('int_entity_activity_summarised') }}),
-- where each individual and account stands in the reactivation waves (one model owns it)
reactivation_states as (

    select * from {{ ref('int_reactivation_scenario_states') }}
    where scenario = 'reactivation' and entity_level in ('individual', 'account')

),
status_rules as (select * from {{ ref('status_rules') }}),
lifecycle_stages as (select * from {{ ref('lifecycle_stages') }}),

keyed_open_items as (

    {{ keyed_by_entity(ref('int_open_items_listed')) }}

),

-- the item a person is told about: the most decisive type (seed priority), then the oldest
open_items_ranked as (

    select
        *,
        row_number() over (
            partition by entity_level, entity_id
            order by open_item_priority, opened_at, item_id
        ) as item_rank,
        count(*) over (partition by entity_level, entity_id) as open_item_count,
        bool_or(event_type = 'dispute_opened') over (partition by entity_level, entity_id)
            as has_open_dispute
    from keyed_open_items

),

open_items as (

    select
        entity_level,
        entity_id,
        open_item_count,
        has_open_dispute,
        open_item_label || ' ' || item_id || ' since ' || {{ date_text('opened_at') }}
        || ' (' || department || ')' as open_item_description
    from open_items_ranked
    where item_rank = 1

),

facts as (

    select
        entities.entity_level,
        entities.entity_id,
        entities.business_line,
        entities.inactivity_window_months,
        -- erased by a past GDPR run (tombstone): the person keeps their id, not their data
        (entities.entity_level = 'individual' and {{ is_erased_subject('entities.entity_id') }}) as is_erased,
        {{ as_of_date() }} as as_of_date,
        {{ months_before_as_of('entities.inactivity_window_months') }} as window_start_on,
        {{ months_before_as_of('2 * entities.inactivity_window_months') }} as double_window_start_on,
        activity.last_activity_at,
        activity.last_activity_department,
        activity.last_activity_event_type,
        activity.first_purchase_at,
        activity.last_purchase_at,
        {%- for department in var('departments') %}
        activity.last_{{ department }}_activity_at,
        {%- endfor %}
        {{ dbt.datediff('activity.last_purchase_at', as_of_date(), 'day') }} as days_since_last_purchase,
        coalesce(activity.purchase_day_count, 0) as purchase_day_count,
        activity.median_purchase_gap_days,
        activity.recent_basket_avg,
        activity.earlier_basket_avg,
        activity.recent_session_gap_avg,
        activity.earlier_session_gap_avg,
        coalesce(open_items.open_item_count, 0) as open_item_count,
        coalesce(open_items.has_open_dispute, false) as has_open_dispute,
        open_items.open_item_description,
        coalesce(reactivation_states.steps_unanswered, 0) as unanswered_reactivation_waves,
        coalesce(reactivation_states.is_last_step_unanswered, false) as is_reactivation_unanswered,
        -- DOMAIN.md: at least 3 purchases and days since the last above 1.5 x the median gap
        coalesce(
            activity.purchase_day_count >= {{ var('cadence_min_purchases') }}
            and {{ dbt.datediff('activity.last_purchase_at', as_of_date(), 'day') }}
            > {{ var('cadence_overdue_factor') }} * activity.median_purchase_gap_days,
            false
        ) as is_cadence_overdue,
        -- DOMAIN.md: the last 3 orders' average basket at least 40 % below the earlier ones'
        coalesce(
            activity.recent_basket_avg <= (1 - {{ var('basket_drop_share') }}) * activity.earlier_basket_avg,
            false
        ) as is_basket_falling,
        -- DOMAIN.md: sessions spacing out
        coalesce(
            activity.earlier_session_gap_count >= {{ var('session_min_earlier_gaps') }}
            and activity.recent_session_gap_avg
            >= {{ var('session_spacing_factor') }} * greatest(activity.earlier_session_gap_avg, 1),
            false
        ) as is_sessions_spacing_out
    from entities
    left join activity using (entity_level, entity_id)
    left join open_items using (entity_level, entity_id)
    left join reactivation_states using (entity_level, entity_id)

),

ruled as (

    select
        *,
        {{ lifecycle_status_rule() }} as status_rule
    from facts

),

staged as (

    select
        ruled.*,
        status_rules.lifecycle_stage,
        lifecycle_stages.is_inactive,
        lifecycle_stages.engagement_rank
    from ruled
    inner join status_rules on ruled.status_rule = status_rules.status_rule
    inner join lifecycle_stages on status_rules.lifecycle_stage = lifecycle_stages.lifecycle_stage

)

select
    *,
    {{ lifecycle_status_reason() }} as status_reason
from staged
