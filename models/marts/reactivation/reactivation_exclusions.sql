{#- One row per individual NOT targeted at the as-of date, with every reason that applies
    (CONTRACT.md): with reactivation_targets, every individual appears exactly once.
    reason_codes are stable codes (seed reactivation_exclusion_reasons) to count and
    filter on; reasons says the same with the facts behind each. -#}
{{ config(tags=['behind_quality_gate', 'reactivation']) }}

with

selected as (select * from {{ ref('int_reactivation_contacts_selected') }}),
households as (select * from {{ ref('int_individuals_householded') }})

select
    {{ as_of_date() }} as as_of_date,
    selected.individual_id,
    households.household_id,
    array_to_string(list_transform(selected.reasons, lambda reason: reason.text), '; ') as reasons,
    {{ list_distinct_in_order('selected.reason_codes') }} as reason_codes,
    len(selected.reasons) as reason_count
from selected
inner join households on selected.individual_id = households.individual_id
where not selected.is_target
