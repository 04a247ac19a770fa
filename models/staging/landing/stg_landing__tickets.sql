with

source as (

    select * from {{ source('landing', 'tickets') }}

),

renamed as (

    select
        -- ids
        cast(ticket_id as varchar) as ticket_id,
        cast(account_id as varchar) as account_id,
        cast(individual_id as varchar) as individual_id,
        -- attributes
        cast(category as varchar) as category,
        -- dates
        cast(opened_at as timestamp) as opened_at,
        cast(closed_at as timestamp) as closed_at

    from source

)

select * from renamed
