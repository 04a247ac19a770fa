with

source as (

    select * from {{ source('landing', 'invoices') }}

),

renamed as (

    select
        -- ids
        cast(invoice_id as varchar) as invoice_id,
        cast(account_id as varchar) as account_id,
        cast(order_id as varchar) as order_id,
        -- categories (lower-cased so the contract's lists match)
        lower(trim(cast(status as varchar))) as status,
        -- amounts and counts
        cast(amount as decimal(18, 2)) as amount,
        -- dates
        cast(issued_at as timestamp) as issued_at,
        cast(due_at as timestamp) as due_at,
        cast(paid_at as timestamp) as paid_at

    from source

)

select * from renamed
