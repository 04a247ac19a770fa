{{ config(meta={'dagster': {'ref': {'name': 'account_activity'}}}) }}
-- DOMAIN.md: an account is not inactive while any individual holding a current role on it
-- is not inactive (active or at_risk; prospects do not count, see README). Returns the
-- accounts that break it.
select account_activity.account_id, roles.individual_id, roles.role
from {{ ref('account_activity') }} as account_activity
inner join {{ ref('int_account_roles_current') }} as roles
    on account_activity.account_id = roles.account_id
inner join {{ ref('individual_activity') }} as individual_activity
    on roles.individual_id = individual_activity.individual_id
where
    account_activity.is_inactive
    and individual_activity.lifecycle_stage in ('active', 'at_risk')
