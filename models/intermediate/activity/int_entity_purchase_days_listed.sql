{#- One row per entity (individual or account) and day it purchased on, with the days since
    its previous purchase day: the cadence the "overdue" rule compares against. Two orders
    on one day are one purchase. -#}
with

keyed_purchases as (

    {{ keyed_by_entity('(select * from ' ~ ref('int_activity_events_unioned') ~ ' where is_purchase)') }}

),

purchase_days as (

    select distinct entity_level, entity_id, occurred_on
    from keyed_purchases

)

select
    entity_level,
    entity_id,
    occurred_on,
    {{ dbt.datediff(
        'lag(occurred_on) over (partition by entity_level, entity_id order by occurred_on)',
        'occurred_on', 'day') }} as gap_days
from purchase_days
