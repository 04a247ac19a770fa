with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__payments') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(payment_id as string) as payment_id,
        cast(invoice_id as string) as invoice_id,
        cast(account_id as string) as account_id,
        -- attributes
        cast(method as string) as method,
        -- amounts and counts
        cast(amount as decimal(18, 2)) as amount,
        -- flags
        cast(is_automatic as boolean) as is_automatic,
        -- dates
        {{ utc_timestamp('paid_at') }} as paid_at

    from source

)

select * from renamed
