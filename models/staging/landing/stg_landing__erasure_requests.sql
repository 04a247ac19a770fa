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
        cast(requested_at as timestamp) as requested_at

    from source

)

select * from renamed
