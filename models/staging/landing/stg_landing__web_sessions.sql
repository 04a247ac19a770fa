with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__web_sessions') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(session_id as string) as session_id,
        cast(individual_id as string) as individual_id,
        -- categories (lower-cased so the contract's lists match)
        lower(trim(cast(channel as string))) as channel,
        -- amounts and counts
        cast(page_views as integer) as page_views,
        -- dates
        {{ utc_timestamp('started_at') }} as started_at

    from source

)

select * from renamed
