{#- One row per individual with the household they belong to: the source's household_id,
    else one derived from the normalised address and last name (derived_household_id). -#}
with

individuals as (select * from {{ ref('stg_landing__individuals') }})

select
    individual_id,
    coalesce(
        household_id,
        {{ derived_household_id('last_name', 'address_line_1', 'postal_code') }},
        'HI-' || individual_id
    ) as household_id,
    case
        when household_id is not null then 'source'
        when {{ derived_household_id('last_name', 'address_line_1', 'postal_code') }} is not null then 'derived'
        else 'single'
    end as household_source
from individuals
