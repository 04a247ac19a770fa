with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__orders') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(order_id as string) as order_id,
        cast(account_id as string) as account_id,
        cast(individual_id as string) as individual_id,
        -- categories (lower-cased so the contract's lists match)
        lower(trim(cast(status as string))) as status,
        lower(trim(cast(channel as string))) as channel,
        -- amounts and counts
        cast(amount as decimal(18, 2)) as amount,
        -- dates
        {{ utc_timestamp('ordered_at') }} as ordered_at

    from source

)

select * from renamed
