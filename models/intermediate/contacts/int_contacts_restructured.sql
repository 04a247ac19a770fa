{#- Every contact restructured to AFNOR NF Z10-011, its email and phone normalised: the
    results of the RNVP Python functions (rnvp), which
    int_contacts_rnvp_normalised keeps from run to run and computes only for contacts that
    changed. A table: consumers' connections do not have those functions. -#}
with

normalised as (

    select
        contacts.individual_id,
        contacts.household_id,
        contacts.last_name,
        contacts.country_code,
        contacts.moved_at,
        contacts.deceased_on,
        rnvp.address,
        rnvp.email,
        rnvp.phone
    from {{ ref('int_contact_addresses_current') }} as contacts
    inner join {{ ref('int_contacts_rnvp_normalised') }} as rnvp
        on contacts.individual_id = rnvp.individual_id

)

select
    normalised.individual_id,
    normalised.household_id,
    normalised.last_name,
    coalesce(normalised.country_code, 'FR') as country_code,
    normalised.moved_at,
    normalised.deceased_on,
    address.line_1,
    address.line_2,
    address.line_3,
    address.line_4,
    address.line_5,
    address.street_number,
    address.repetition_index,
    address.street_label,
    address.postal_code,
    address.locality,
    address.cedex,
    address.problems as address_problems,
    email.email_normalized,
    email.problem as email_problem,
    phone.phone_e164,
    phone.phone_type,
    phone.problem as phone_problem
from normalised
