{#- One row per individual: the AFNOR NF Z10-011 six lines, postal status, normalised email
    and phone, and a quality status with every reason (seed contact_quality_reasons).
    Published behind the Great Expectations gate (tag behind_quality_gate). -#}
{{ config(tags=['behind_quality_gate']) }}

with

contacts as (select * from {{ ref('int_contacts_restructured') }}),

postal as (select * from {{ ref('int_contacts_postal_validated') }}),

households as (select * from {{ ref('int_individuals_householded') }}),

reasons as (select * from {{ ref('contact_quality_reasons') }}),

flagged as (

    select
        contacts.*,
        postal.postal_status,
        postal.line_6,
        list_filter(
            [case when contacts.deceased_on is not null then 'deceased' end]
            || contacts.address_problems
            || [
                case when postal.postal_status <> 'valid' then postal.postal_status end,
                contacts.email_problem,
                contacts.phone_problem,
                case when contacts.moved_at is not null then 'moved' end
            ],
            lambda reason: reason is not null
        ) as reason_codes
    from contacts
    inner join postal on contacts.individual_id = postal.individual_id

),

reason_rows as (

    select individual_id, unnest(reason_codes) as reason_code from flagged

),

graded as (

    select
        reason_rows.individual_id,
        -- the worst reason decides the status (no reason at all: valid)
        arg_max(reasons.quality_status, reasons.severity_rank) as worst_status,
        -- a letter reaches the person unless a reason about the person or the address says
        -- it cannot (undeliverable, do_not_contact): what the postal channel requires
        not bool_or(
            reasons.applies_to in ('person', 'address')
            and reasons.quality_status in ('undeliverable', 'do_not_contact')
        ) as is_postal_deliverable,
        -- worst first, so the first reason is the one to fix first; a code missing from the
        -- seed still shows (and fails assert_contact_quality_reasons_are_documented)
        list(reason_rows.reason_code order by reasons.severity_rank desc nulls first, reason_rows.reason_code asc) as reason_codes
    from reason_rows
    left join reasons on reason_rows.reason_code = reasons.reason_code
    group by reason_rows.individual_id

)

select
    flagged.individual_id,
    households.household_id,
    flagged.line_1,
    flagged.line_2,
    flagged.line_3,
    flagged.line_4,
    flagged.line_5,
    flagged.line_6,
    flagged.postal_status,
    flagged.email_normalized,
    flagged.phone_e164,
    flagged.phone_type,
    coalesce(graded.worst_status, 'valid') as quality_status,
    coalesce(array_to_string(graded.reason_codes, ', '), '') as quality_reasons,
    coalesce(graded.is_postal_deliverable, true) as is_postal_deliverable,
    flagged.deceased_on is not null as is_deceased,
    flagged.moved_at as address_moved_at,
    flagged.country_code
from flagged
left join graded on flagged.individual_id = graded.individual_id
inner join households on flagged.individual_id = households.individual_id
