with

source as (

    select * from {{ source('landing', 'erasure_requests') }}

),

renamed as (

    select
        -- ids
        cast(request_id as varchar) as request_id,
        cast(individual_id as varchar) as individual_id,
        -- dates
        {{ utc_timestamp('requested_at') }} as requested_at

    from source

)

select * from renamed
