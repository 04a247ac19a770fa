{{ config(meta={'dagster': {'ref': {'name': 'household_activity'}}}) }}
-- DOMAIN.md: a household is not inactive while any of its members is not inactive
-- (active or at_risk; a prospect member does not count, see README "Readings of DOMAIN.md").
-- Returns the households that break it.
select household_activity.household_id, individual_activity.individual_id
from {{ ref('household_activity') }} as household_activity
inner join {{ ref('individual_activity') }} as individual_activity
    on household_activity.household_id = individual_activity.household_id
where
    household_activity.is_inactive
    and individual_activity.lifecycle_stage in ('active', 'at_risk')
