{#- One row per subject to erase (DOMAIN.md, "GDPR erasure"): an explicit erasure request
    (honoured without waiting), or no contact coming from the person for
    {{ var('gdpr_retention_months') }} months (var gdpr_retention_months). Held subjects are
    listed with the reason and not erased; subjects a past run erased stay listed as erased.
    Built for review even when the circuit breaker stops the erasure. -#}
{{ config(tags=['behind_quality_gate', 'gdpr']) }}

with

subjects as (select * from {{ ref('int_gdpr_subjects_evaluated') }})

select
    individual_id,
    case
        when erasure_requested_at is not null then 'erasure_request'
        else 'retention_expired'
    end as rule,
    last_contact_at,
    last_contact_department,
    erasure_requested_at,
    legal_hold_reason is not null as legal_hold,
    legal_hold_reason,
    case
        when is_erased then 'erased'
        when legal_hold_reason is not null then 'held'
        else 'to_erase'
    end as erasure_status
from subjects
where
    erasure_requested_at is not null
    -- no contact ever recorded counts as no contact within the period
    or last_contact_at is null
    or last_contact_at < {{ months_before_as_of(var('gdpr_retention_months')) }}
