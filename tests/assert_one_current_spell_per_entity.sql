{{ config(meta={'dagster': {'ref': {'name': 'lifecycle_stage_history'}}}) }}
-- The stage history has exactly one current spell per entity, and it matches the marts.
with current_spells as (
    select entity_level, entity_id, lifecycle_stage
    from {{ ref('lifecycle_stage_history') }}
    where is_current
),
marts as (
    select 'individual' as entity_level, individual_id as entity_id, lifecycle_stage from {{ ref('individual_activity') }}
    union all
    select 'household', household_id, lifecycle_stage from {{ ref('household_activity') }}
    union all
    select 'account', account_id, lifecycle_stage from {{ ref('account_activity') }}
)
select marts.entity_level, marts.entity_id, marts.lifecycle_stage, count(current_spells.entity_id) as current_spells
from marts
left join current_spells
    on marts.entity_level = current_spells.entity_level
    and marts.entity_id = current_spells.entity_id
    and marts.lifecycle_stage = current_spells.lifecycle_stage
group by all
having count(current_spells.entity_id) <> 1
