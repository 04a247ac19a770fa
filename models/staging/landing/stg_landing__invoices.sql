with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__invoices') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(invoice_id as string) as invoice_id,
        cast(account_id as string) as account_id,
        cast(order_id as string) as order_id,
        -- categories (lower-cased so the contract's lists match)
        lower(trim(cast(status as string))) as status,
        -- amounts and counts
        cast(amount as decimal(18, 2)) as amount,
        -- dates
        {{ utc_timestamp('issued_at') }} as issued_at,
        {{ utc_timestamp('due_at') }} as due_at,
        {{ utc_timestamp('paid_at') }} as paid_at

    from source

)

select * from renamed
