{#- One row per entity (individual or account) and day it purchased on, with the days since
    its previous purchase day (the cadence the "overdue" rule compares against) and the day's
    amount (the basket the "falling basket" rule compares). Two orders on one day are one
    purchase: their amounts add up. -#}
with

keyed_purchases as (

    {{ keyed_by_entity('(select * from ' ~ ref('int_activity_events_unioned') ~ ' where is_purchase)') }}

),

purchase_days as (

    select
        entity_level,
        entity_id,
        occurred_on,
        sum(amount) as purchase_amount
    from keyed_purchases
    group by entity_level, entity_id, occurred_on

)

select
    entity_level,
    entity_id,
    occurred_on,
    {{ dbt.datediff(
        'lag(occurred_on) over (partition by entity_level, entity_id order by occurred_on)',
        'occurred_on', 'day') }} as gap_days,
    purchase_amount
from purchase_days
