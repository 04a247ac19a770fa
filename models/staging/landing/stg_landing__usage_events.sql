with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__usage_events') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(usage_id as string) as usage_id,
        cast(account_id as string) as account_id,
        cast(individual_id as string) as individual_id,
        -- amounts and counts
        cast(units as integer) as units,
        -- dates
        cast(used_on as date) as used_on

    from source

)

select * from renamed
