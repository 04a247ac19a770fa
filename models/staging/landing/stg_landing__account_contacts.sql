with

source as (

    select * from {{ source('landing', 'account_contacts') }}

),

renamed as (

    select
        -- ids
        cast(account_id as varchar) as account_id,
        cast(individual_id as varchar) as individual_id,
        -- categories (lower-cased so the contract's lists match)
        lower(trim(cast(role as varchar))) as role,
        -- dates
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to

    from source

)

select * from renamed
