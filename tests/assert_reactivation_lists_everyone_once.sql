{#- CONTRACT.md: with the targets, every individual appears exactly once (a target or an
    exclusion with its reasons). Fails with each individual missing or listed twice. -#}
{{ config(tags=['reactivation'], meta={'dagster': {'ref': {'name': 'reactivation_exclusions'}}}) }}
with listed as (
    select individual_id from {{ ref('reactivation_targets') }}
    union all
    select individual_id from {{ ref('reactivation_exclusions') }}
)
select individuals.individual_id, count(listed.individual_id) as times_listed
from {{ ref('individual_activity') }} as individuals
left join listed on individuals.individual_id = listed.individual_id
group by individuals.individual_id
having count(listed.individual_id) <> 1
