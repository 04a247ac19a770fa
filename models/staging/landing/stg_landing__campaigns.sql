with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__campaigns') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(campaign_id as string) as campaign_id,
        -- categories (lower-cased so the contract's lists match)
        lower(trim(cast(campaign_type as string))) as campaign_type,
        lower(trim(cast(channel as string))) as channel,
        -- attributes
        cast(name as string) as name,
        cast(content_type as string) as content_type,
        -- amounts and counts
        cast(wave as integer) as wave,
        cast(cost_per_contact as decimal(18, 4)) as cost_per_contact,
        -- dates
        {{ utc_timestamp('launched_at') }} as launched_at

    from source

)

select * from renamed
