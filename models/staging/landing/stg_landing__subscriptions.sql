with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__subscriptions') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(subscription_id as string) as subscription_id,
        cast(account_id as string) as account_id,
        -- attributes
        cast(plan as string) as plan,
        -- flags
        cast(auto_renew as boolean) as auto_renew,
        -- dates
        {{ utc_timestamp('started_at') }} as started_at,
        {{ utc_timestamp('ended_at') }} as ended_at

    from source

)

select * from renamed
