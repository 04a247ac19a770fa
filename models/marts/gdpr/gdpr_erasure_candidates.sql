{#- One row per subject to erase (DOMAIN.md, "GDPR erasure"): an explicit erasure request
    (honoured without waiting), or no contact coming from the person for
    {{ var('gdpr_retention_months') }} months (var gdpr_retention_months). Held subjects are
    listed with the reason and not erased; subjects a past run erased stay listed as erased.
    Built for review even when the circuit breaker stops the erasure. -#}
{{ config(tags=['behind_quality_gate', 'gdpr']) }}

with

subjects as (select * from {{ ref('int_gdpr_subjects_evaluated') }}),

-- quarantined rows naming nobody identifiable: any silent subject's last contact could be
-- in them, so no one is erased for silence until the data is clean
unattributed_quarantine as (

    select
        'records under quarantine: ' || count(*) || ' landing row(s) name no identifiable person '
        || 'and could hold their last contact, e.g. '
        || array_to_string(
            list(source_table || ' row ' || source_row_number order by source_table, source_row_number)[1:5], ', '
        ) as hold_reason
    from {{ ref('int_gdpr_quarantined_rows_linked') }}
    where individual_id is null
    having count(*) > 0

),

selected as (

    select
        subjects.*,
        case
            when subjects.erasure_requested_at is not null then 'erasure_request'
            else 'retention_expired'
        end as rule
    from subjects
    where
        subjects.erasure_requested_at is not null
        -- no contact ever recorded counts as no contact within the period
        or subjects.last_contact_at is null
        or subjects.last_contact_at < {{ months_before_as_of(var('gdpr_retention_months')) }}

),

held as (

    select
        selected.*,
        nullif(concat_ws(
            '; ',
            selected.legal_hold_reason,
            case when selected.rule = 'retention_expired' then unattributed_quarantine.hold_reason end
        ), '') as hold_reason
    from selected
    left join unattributed_quarantine on true

)

select
    individual_id,
    rule,
    last_contact_at,
    last_contact_department,
    erasure_requested_at,
    hold_reason is not null as legal_hold,
    hold_reason as legal_hold_reason,
    case
        when is_erased then 'erased'
        when hold_reason is not null then 'held'
        else 'to_erase'
    end as erasure_status
from held
