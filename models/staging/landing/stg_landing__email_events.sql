with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__email_events') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(event_id as string) as event_id,
        cast(individual_id as string) as individual_id,
        cast(campaign_id as string) as campaign_id,
        -- categories (lower-cased so the contract's lists match)
        lower(trim(cast(event_type as string))) as event_type,
        -- dates
        {{ utc_timestamp('occurred_at') }} as occurred_at

    from source

)

select * from renamed
