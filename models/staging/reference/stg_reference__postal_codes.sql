with

source as (

    select * from {{ source('reference', 'postal_codes') }}

),

renamed as (

    select
        cast(postal_code as string) as postal_code,
        cast(commune_code as string) as commune_code,
        cast(commune_name as string) as commune_name,
        cast(routing_label as string) as routing_label

    from source

)

select * from renamed
