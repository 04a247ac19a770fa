with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__address_changes') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(individual_id as varchar) as individual_id,
        -- categories (lower-cased so the contract's lists match)
        upper(trim(cast(country_code as varchar))) as country_code,
        -- attributes
        cast(address_line_1 as varchar) as address_line_1,
        cast(address_line_2 as varchar) as address_line_2,
        cast(address_line_3 as varchar) as address_line_3,
        cast(postal_code as varchar) as postal_code,
        cast(city as varchar) as city,
        -- dates
        {{ utc_timestamp('moved_at') }} as moved_at

    from source

)

select * from renamed
