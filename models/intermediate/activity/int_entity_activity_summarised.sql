{#-
  One row per entity (individual or account) with any event: the recency, cadence and
  trend facts the lifecycle rules read. Which events count as activity or purchase is the
  seed signal_classification's call; how an event reaches an entity is keyed_by_entity().
-#}
with

events as (select * from {{ ref('int_activity_events_unioned') }}),

-- One pass over the stream, activity and purchases only (sends, opens and debits, most of
-- the rows, say nothing here): the facts per (individual, account) pair. Few pairs per
-- person, so what keyed_by_entity() repeats per entity below is small.
pair_facts as (

    select
        individual_id,
        account_id,
        max({{ latest_event() }}) filter (where is_activity) as last_activity,
        min(occurred_at) filter (where is_purchase) as first_purchase_at,
        max(occurred_at) filter (where is_purchase) as last_purchase_at,
        {%- for department in var('departments') %}
        max(occurred_at) filter (where is_activity and department = '{{ department }}')
            as last_{{ department }}_activity_at,
        {%- endfor %}
        count(*) filter (where is_activity) as activity_event_count
    from events
    where is_activity or is_purchase
    group by individual_id, account_id

),

keyed_pair_facts as (

    {{ keyed_by_entity('pair_facts') }}

),

recency as (

    select
        entity_level,
        entity_id,
        max(last_activity).occurred_at as last_activity_at,
        max(last_activity).department as last_activity_department,
        max(last_activity).event_type as last_activity_event_type,
        min(first_purchase_at) as first_purchase_at,
        max(last_purchase_at) as last_purchase_at,
        {%- for department in var('departments') %}
        max(last_{{ department }}_activity_at) as last_{{ department }}_activity_at,
        {%- endfor %}
        sum(activity_event_count) as activity_event_count
    from keyed_pair_facts
    group by entity_level, entity_id

),

-- cadence and basket: purchase days, listed in their own table (computing the median in
-- the same query as the gaps was 10x slower on DuckDB at a million customers)
purchase_days as (select * from {{ ref('int_entity_purchase_days_listed') }}),

cadence as (

    select
        entity_level,
        entity_id,
        count(*) as purchase_day_count,
        median(gap_days) as median_purchase_gap_days
    from purchase_days
    group by entity_level, entity_id

),

-- basket trend: the last N purchase days against the earlier ones. A day's orders add up to
-- one basket, as the cadence counts purchase days: ten orders in nine days are a busy
-- customer, not ten small baskets.
baskets as (

    select
        entity_level,
        entity_id,
        purchase_amount,
        row_number() over (
            partition by entity_level, entity_id order by occurred_on desc
        ) as recency_rank
    from purchase_days
    where purchase_amount is not null

),

basket_trend as (

    select
        entity_level,
        entity_id,
        avg(purchase_amount) filter (where recency_rank <= {{ var('basket_recent_purchase_days') }})
            as recent_basket_avg,
        avg(purchase_amount) filter (where recency_rank > {{ var('basket_recent_purchase_days') }})
            as earlier_basket_avg
    from baskets
    group by entity_level, entity_id

),

-- session trend: the last N gaps between web/app sessions against the earlier ones
session_gaps as (

    select
        individual_id as entity_id,
        {{ dbt.datediff(
            'lag(occurred_at) over (partition by individual_id order by occurred_at, source_record_id)',
            'occurred_at', 'day') }} as gap_days,
        row_number() over (
            partition by individual_id order by occurred_at desc, source_record_id desc
        ) as recency_rank
    from events
    where source_table = 'web_sessions' and individual_id is not null

),

session_trend as (

    select
        'individual' as entity_level,
        entity_id,
        avg(gap_days) filter (where recency_rank <= {{ var('session_recent_gaps') }})
            as recent_session_gap_avg,
        avg(gap_days) filter (where recency_rank > {{ var('session_recent_gaps') }})
            as earlier_session_gap_avg,
        count(gap_days) filter (where recency_rank > {{ var('session_recent_gaps') }})
            as earlier_session_gap_count
    from session_gaps
    group by entity_id

)

select
    recency.*,
    coalesce(cadence.purchase_day_count, 0) as purchase_day_count,
    cadence.median_purchase_gap_days,
    basket_trend.recent_basket_avg,
    basket_trend.earlier_basket_avg,
    session_trend.recent_session_gap_avg,
    session_trend.earlier_session_gap_avg,
    coalesce(session_trend.earlier_session_gap_count, 0) as earlier_session_gap_count
from recency
left join cadence using (entity_level, entity_id)
left join basket_trend using (entity_level, entity_id)
left join session_trend using (entity_level, entity_id)
