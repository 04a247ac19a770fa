{#- Every reason code of reactivation_exclusions is explained in the seed
    reactivation_exclusion_reasons. -#}
{{ config(tags=['reactivation'], meta={'dagster': {'ref': {'name': 'reactivation_exclusions'}}}) }}
select exclusions.individual_id, reason.code
from {{ ref('reactivation_exclusions') }} as exclusions,
    unnest(exclusions.reason_codes) as reason (code)
where reason.code not in (select reason_code from {{ ref('reactivation_exclusion_reasons') }})
