{#- One row per household: as engaged as its most engaged member. -#}
select
    entity_id as household_id,
    lifecycle_stage,
    is_inactive,
    status_reason,
    status_rule,
    decided_by_individual_id,
    individual_count as member_count,
    last_activity_at,
    last_activity_department,
    last_purchase_at,
    has_open_dispute,
    as_of_date
from {{ ref('int_entity_statuses_consolidated') }}
where entity_level = 'household'
