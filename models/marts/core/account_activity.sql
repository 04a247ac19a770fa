{#- One row per account: as engaged as the most engaged of itself and its current contacts. -#}
with

consolidated as (
    select * from {{ ref('int_entity_statuses_consolidated') }}
    where entity_level = 'account'
),

own_status as (
    select * from {{ ref('int_entity_statuses_evaluated') }}
    where entity_level = 'account'
),

accounts as (select * from {{ ref('stg_landing__accounts') }})

select
    consolidated.entity_id as account_id,
    accounts.account_type,
    own_status.business_line,
    own_status.inactivity_window_months,
    consolidated.lifecycle_stage,
    consolidated.is_inactive,
    consolidated.status_reason,
    consolidated.status_rule,
    own_status.lifecycle_stage as own_lifecycle_stage,
    consolidated.decided_by_individual_id,
    consolidated.decided_by as decided_by_role,
    consolidated.individual_count as current_contact_count,
    consolidated.last_activity_at,
    consolidated.last_activity_department,
    consolidated.last_purchase_at,
    consolidated.has_open_dispute,
    consolidated.as_of_date
from consolidated
inner join own_status on consolidated.entity_id = own_status.entity_id
inner join accounts on consolidated.entity_id = accounts.account_id
