with

source as (

    select * from {{ source('reference', 'postal_codes') }}

),

renamed as (

    select
        cast(postal_code as varchar) as postal_code,
        cast(commune_code as varchar) as commune_code,
        cast(commune_name as varchar) as commune_name,
        cast(routing_label as varchar) as routing_label

    from source

)

select * from renamed
