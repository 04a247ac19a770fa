with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__loyalty_transactions') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(transaction_id as string) as transaction_id,
        cast(individual_id as string) as individual_id,
        -- amounts and counts
        cast(points as integer) as points,
        -- dates
        {{ utc_timestamp('occurred_at') }} as occurred_at

    from source

)

select * from renamed
