with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__disputes') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(dispute_id as string) as dispute_id,
        cast(account_id as string) as account_id,
        cast(individual_id as string) as individual_id,
        -- attributes
        cast(reason as string) as reason,
        -- amounts and counts
        cast(amount as decimal(18, 2)) as amount,
        -- dates
        {{ utc_timestamp('opened_at') }} as opened_at,
        {{ utc_timestamp('resolved_at') }} as resolved_at

    from source

)

select * from renamed
