with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__accounts') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(account_id as string) as account_id,
        -- categories (lower-cased so the contract's lists match)
        lower(trim(cast(account_type as string))) as account_type,
        lower(trim(cast(business_line as string))) as business_line,
        -- attributes
        cast(company_name as string) as company_name,
        cast(siret as string) as siret,
        -- dates
        {{ utc_timestamp('opened_at') }} as opened_at,
        {{ utc_timestamp('closed_at') }} as closed_at

    from source

)

select * from renamed
