{#- One row per individual with the postal address to use at the as-of date: the latest
    move from the change-of-address feed when there is one (moves are applied first,
    DOMAIN.md), else the address on the individual; and the deceased notice if any. -#}
with

individuals as (select * from {{ ref('stg_landing__individuals') }}),

moves_ranked as (

    select
        *,
        row_number() over (partition by individual_id order by moved_at desc) as move_rank
    from {{ ref('stg_landing__address_changes') }}
    where {{ is_known_at_as_of('moved_at') }}

),

latest_moves as (

    select * from moves_ranked
    where move_rank = 1

),

deceased as (

    select individual_id, min(deceased_on) as deceased_on
    from {{ ref('stg_landing__deceased_notices') }}
    where deceased_on <= {{ as_of_date() }}
    group by individual_id

)

select
    individuals.individual_id,
    individuals.household_id,
    individuals.civility,
    individuals.first_name,
    individuals.last_name,
    individuals.email,
    individuals.phone,
    -- a move replaces the whole address, even the lines it leaves empty
    {%- for column in ['address_line_1', 'address_line_2', 'address_line_3', 'postal_code', 'city', 'country_code'] %}
    case when latest_moves.individual_id is not null then latest_moves.{{ column }} else individuals.{{ column }} end as {{ column }},
    {%- endfor %}
    latest_moves.moved_at,
    deceased.deceased_on
from individuals
left join latest_moves on individuals.individual_id = latest_moves.individual_id
left join deceased on individuals.individual_id = deceased.individual_id
