{#- One row per individual with the household they belong to: the source's household_id,
    else one derived from the RNVP-normalised address (street line 4 and the validated
    postal code, after moves) and the last name (derived_household_id). -#}
with

contacts as (select * from {{ ref('int_contacts_restructured') }}),

postal as (select * from {{ ref('int_contacts_postal_validated') }}),

keyed as (

    select
        contacts.individual_id,
        contacts.household_id as source_household_id,
        {{ derived_household_id('contacts.last_name', 'contacts.line_4', 'postal.postal_code') }} as derived_household_id
    from contacts
    inner join postal on contacts.individual_id = postal.individual_id

)

select
    individual_id,
    coalesce(source_household_id, derived_household_id, 'HI-' || individual_id) as household_id,
    case
        when source_household_id is not null then 'source'
        when derived_household_id is not null then 'derived'
        else 'single'
    end as household_source
from keyed
