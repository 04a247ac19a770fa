with

source as (

    select * from {{ source('landing', 'deceased_notices') }}

),

renamed as (

    select
        -- ids
        cast(individual_id as varchar) as individual_id,
        -- dates
        cast(deceased_on as date) as deceased_on

    from source

)

select * from renamed
