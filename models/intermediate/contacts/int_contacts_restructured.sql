{#- The AFNOR NF Z10-011 restructuring, email and phone normalisation of every contact,
    by the Python functions of orchestration/rnvp (registered in DuckDB by the dbt-duckdb
    plugin in profiles.yml; their rule tables are the seeds afnor_abbreviations and
    afnor_line_keywords). A table: consumers' connections do not have those functions. -#}
-- depends_on: {{ ref('afnor_abbreviations') }}
-- depends_on: {{ ref('afnor_line_keywords') }}
with

contacts as (select * from {{ ref('int_contact_addresses_current') }}),

normalised as (

    select
        individual_id,
        household_id,
        last_name,
        country_code,
        moved_at,
        deceased_on,
        rnvp_address(
            civility, first_name, last_name, address_line_1, address_line_2, address_line_3,
            postal_code, city, country_code
        ) as address,
        rnvp_email(email) as email,
        rnvp_phone(phone) as phone
    from contacts

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
