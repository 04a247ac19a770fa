{{ config(meta={'dagster': {'ref': {'name': 'lifecycle_stage_history'}}}) }}
-- The stage history has one current spell per entity and, when the marts are as of the
-- latest date logged (not a replay of an earlier one), it is the stage the marts show.
with current_spells as (
    select entity_level, entity_id, lifecycle_stage
    from {{ ref('lifecycle_stage_history') }}
    where is_current
),

latest_logged as (
    select max(as_of_date) as as_of_date from {{ ref('lifecycle_stage_changes') }}
),

marts as (
    select 'individual' as entity_level, individual_id as entity_id, lifecycle_stage, as_of_date
    from {{ ref('individual_activity') }}
    union all
    select 'household', household_id, lifecycle_stage, as_of_date from {{ ref('household_activity') }}
    union all
    select 'account', account_id, lifecycle_stage, as_of_date from {{ ref('account_activity') }}
)

select entity_level, entity_id, 'more than one current spell' as problem
from current_spells
group by entity_level, entity_id
having count(*) > 1

union all

select marts.entity_level, marts.entity_id, 'current spell differs from the marts'
from marts
inner join latest_logged on marts.as_of_date = latest_logged.as_of_date
left join current_spells
    on marts.entity_level = current_spells.entity_level
    and marts.entity_id = current_spells.entity_id
    and marts.lifecycle_stage = current_spells.lifecycle_stage
where current_spells.entity_id is null
