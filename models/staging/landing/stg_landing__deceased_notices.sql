with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__deceased_notices') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(individual_id as string) as individual_id,
        -- dates
        cast(deceased_on as date) as deceased_on

    from source

)

select * from renamed
