with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__quotes') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(quote_id as string) as quote_id,
        cast(account_id as string) as account_id,
        cast(individual_id as string) as individual_id,
        -- categories (lower-cased so the contract's lists match)
        lower(trim(cast(status as string))) as status,
        -- amounts and counts
        cast(amount as decimal(18, 2)) as amount,
        -- dates
        {{ utc_timestamp('requested_at') }} as requested_at,
        {{ utc_timestamp('closed_at') }} as closed_at

    from source

)

select * from renamed
