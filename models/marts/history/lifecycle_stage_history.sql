{{ config(materialized="view") }}

{#-
  One row per entity and spell in a lifecycle stage: when it started (valid_from, the as-of
  date of the run that saw it first) and ended. "Since when is this customer dormant" is
      select valid_from from marts.lifecycle_stage_history
      where entity_level = 'individual' and entity_id = 'I0000042' and is_current
  Consecutive records of the same stage (possible after replaying an older date) are one
  spell.
-#}
with

changes as (

    select
        *,
        lag(lifecycle_stage) over (
            partition by entity_level, entity_id order by as_of_date
        ) as stage_before
    from {{ ref('lifecycle_stage_changes') }}

),

spells as (

    select entity_level, entity_id, lifecycle_stage, status_rule, status_reason, as_of_date as valid_from
    from changes
    where stage_before is distinct from lifecycle_stage

)

select
    entity_level,
    entity_id,
    lifecycle_stage,
    status_rule,
    status_reason as reason_when_entered,
    valid_from,
    lead(valid_from) over (partition by entity_level, entity_id order by valid_from) as valid_to,
    lead(valid_from) over (partition by entity_level, entity_id order by valid_from) is null
        as is_current
from spells
