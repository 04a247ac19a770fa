{#- One row per individual (customers and prospects): the last contact coming from them,
    their erasure request, their legal holds, and whether a past run erased them. -#}
with

individuals as (select * from {{ ref('stg_landing__individuals') }}),

-- customer-initiated activity only (seed signal_classification: a click, a visit, a
-- purchase, a ticket count; an email open or an automatic debit do not)
activity as (

    select entity_id as individual_id, last_activity_at, last_activity_department
    from {{ ref('int_entity_activity_summarised') }}
    where entity_level = 'individual'

),

requests as (

    select individual_id, min(requested_at) as erasure_requested_at
    from {{ ref('stg_landing__erasure_requests') }}
    where {{ is_known_at_as_of('requested_at') }}
    group by individual_id

),

holds as (

    select
        individual_id,
        string_agg(hold_reason, '; ' order by hold_type, item_id) as legal_hold_reason
    from {{ ref('int_gdpr_legal_holds_listed') }}
    group by individual_id

)

select
    individuals.individual_id,
    -- the sign-up is a contact from the person too
    case
        when individuals.created_at is null or activity.last_activity_at >= individuals.created_at
            then activity.last_activity_at
        else individuals.created_at
    end as last_contact_at,
    case
        when individuals.created_at is null or activity.last_activity_at >= individuals.created_at
            then activity.last_activity_department
        else 'sign_up'
    end as last_contact_department,
    requests.erasure_requested_at,
    holds.legal_hold_reason,
    {{ is_erased_subject('individuals.individual_id') }} as is_erased
from individuals
left join activity on individuals.individual_id = activity.individual_id
left join requests on individuals.individual_id = requests.individual_id
left join holds on individuals.individual_id = holds.individual_id
