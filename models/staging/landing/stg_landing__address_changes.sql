with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__address_changes') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(individual_id as string) as individual_id,
        -- categories (lower-cased so the contract's lists match)
        upper(trim(cast(country_code as string))) as country_code,
        -- attributes
        cast(address_line_1 as string) as address_line_1,
        cast(address_line_2 as string) as address_line_2,
        cast(address_line_3 as string) as address_line_3,
        cast(postal_code as string) as postal_code,
        cast(city as string) as city,
        -- dates
        {{ utc_timestamp('moved_at') }} as moved_at

    from source

)

select * from renamed
