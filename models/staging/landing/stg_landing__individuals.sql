with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__individuals') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(individual_id as string) as individual_id,
        cast(household_id as string) as household_id,
        -- categories (lower-cased so the contract's lists match)
        upper(trim(cast(country_code as string))) as country_code,
        -- attributes
        cast(civility as string) as civility,
        cast(first_name as string) as first_name,
        cast(last_name as string) as last_name,
        cast(email as string) as email,
        cast(phone as string) as phone,
        cast(address_line_1 as string) as address_line_1,
        cast(address_line_2 as string) as address_line_2,
        cast(address_line_3 as string) as address_line_3,
        cast(postal_code as string) as postal_code,
        cast(city as string) as city,
        -- flags
        cast(email_opt_in as boolean) as email_opt_in,
        cast(sms_opt_in as boolean) as sms_opt_in,
        cast(postal_opt_in as boolean) as postal_opt_in,
        -- dates
        cast(birth_date as date) as birth_date,
        {{ utc_timestamp('created_at') }} as created_at

    from source

)

select * from renamed
