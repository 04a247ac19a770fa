with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__tickets') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(ticket_id as string) as ticket_id,
        cast(account_id as string) as account_id,
        cast(individual_id as string) as individual_id,
        -- attributes
        cast(category as string) as category,
        -- dates
        {{ utc_timestamp('opened_at') }} as opened_at,
        {{ utc_timestamp('closed_at') }} as closed_at

    from source

)

select * from renamed
