with

source as (

    -- the rows that passed the landing checks; the others are in quality.landing_quarantine
    select * from {{ ref('base_landing__account_contacts') }}
    where not is_quarantined

),

renamed as (

    select
        -- ids
        cast(account_id as string) as account_id,
        cast(individual_id as string) as individual_id,
        -- categories (lower-cased so the contract's lists match)
        lower(trim(cast(role as string))) as role,
        -- dates
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to

    from source

)

select * from renamed
