{#- Erased people, and people whose erasure is pending, are in no relaunch output. -#}
{{ config(tags=['reactivation'], meta={'dagster': {'ref': {'name': 'reactivation_targets'}}}) }}
with relaunched as (
    select individual_id, 'reactivation_targets' as output from {{ ref('reactivation_targets') }}
    union all
    select individual_id, 'reactivation_custom_audience' from {{ ref('reactivation_custom_audience') }}
)
select relaunched.individual_id, relaunched.output
from relaunched
where relaunched.individual_id in (
    select individual_id from {{ ref('individual_activity') }}
    where lifecycle_stage = 'erased'
    union all
    select individual_id from {{ ref('gdpr_erasure_candidates') }}
    where erasure_status <> 'erased'
)
