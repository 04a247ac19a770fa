{#- One row per individual NOT targeted at the as-of date, with every reason that applies
    (CONTRACT.md): with reactivation_targets, every individual appears exactly once.
    reasons reads worst first, with the facts behind each; reason_codes are the same
    reasons as stable codes (seed reactivation_exclusion_reasons), sorted, to count and
    filter on. -#}
{{ config(tags=['behind_quality_gate', 'reactivation']) }}

with

selected as (select * from {{ ref('int_reactivation_contacts_selected') }}),
households as (select * from {{ ref('int_individuals_householded') }})

select
    {{ as_of_date() }} as as_of_date,
    selected.individual_id,
    households.household_id,
    array_to_string(list_transform(selected.reasons, lambda reason: struct_extract(reason, 'text')), '; ') as reasons,
    list_sort(list_distinct(selected.reason_codes)) as reason_codes,
    len(selected.reasons) as reason_count
from selected
inner join households on selected.individual_id = households.individual_id
where not selected.is_target
