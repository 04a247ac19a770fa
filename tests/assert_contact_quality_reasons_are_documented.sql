{#- Every reason code rnvp_contacts gives is explained in the seed contact_quality_reasons
    (otherwise its severity, and so the quality status, would be unknown). -#}
{{ config(meta={'dagster': {'ref': {'name': 'rnvp_contacts'}}}) }}
select rnvp_contacts.individual_id, reason.code
from {{ ref('rnvp_contacts') }} as rnvp_contacts,
    unnest(string_split(nullif(rnvp_contacts.quality_reasons, ''), ', ')) as reason (code)
where reason.code not in (select reason_code from {{ ref('contact_quality_reasons') }})
