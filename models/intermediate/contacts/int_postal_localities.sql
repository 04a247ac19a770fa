{#- The official postal codes with the locality names they route to, as comparison keys
    (locality_key): one row per postal code and routing label or commune name. -#}
with

postal_codes as (

    select
        postal_code,
        commune_name,
        -- the list files articles after the name, "ROCHE-SUR-YON (LA)": La Poste writes
        -- "LA ROCHE SUR YON"
        {{ regex_replace_all('routing_label', '^(.+?) *\\((LA|LE|LES|L)\\s*\\)$', '\\2 \\1') }} as routing_label
    from {{ ref('stg_reference__postal_codes') }}

),

names as (

    select postal_code, routing_label, routing_label as locality_name from postal_codes
    union
    select postal_code, routing_label, commune_name from postal_codes

)

select distinct
    postal_code,
    -- what line 6 carries: the routing label, in the norm's characters
    {{ normalised_text('routing_label') }} as routing_label,
    {{ locality_key('locality_name') }} as locality_key
from names
