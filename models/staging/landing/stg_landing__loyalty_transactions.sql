with

source as (

    select * from {{ source('landing', 'loyalty_transactions') }}

),

renamed as (

    select
        -- ids
        cast(transaction_id as varchar) as transaction_id,
        cast(individual_id as varchar) as individual_id,
        -- amounts and counts
        cast(points as integer) as points,
        -- dates
        {{ utc_timestamp('occurred_at') }} as occurred_at

    from source

)

select * from renamed
