with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__erasure_requests') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(request_id as string) as request_id,
        cast(individual_id as string) as individual_id,
        -- dates
        {{ utc_timestamp('requested_at') }} as requested_at

    from source

)

select * from renamed
