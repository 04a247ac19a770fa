{#- The shared status columns every department view selects from individual_activity,
    as they are: a department reads the one flag, it never recomputes it. -#}
{% macro shared_status_columns(relation_alias='individual_activity') -%}
    {{ relation_alias }}.individual_id,
    {{ relation_alias }}.household_id,
    {{ relation_alias }}.lifecycle_stage,
    {{ relation_alias }}.is_inactive,
    {{ relation_alias }}.status_reason,
    {{ relation_alias }}.last_activity_at,
    {{ relation_alias }}.last_activity_department,
    {{ relation_alias }}.as_of_date
{%- endmacro %}

{#- Open items of one department per individual (counts only; what holds a person active is
    already in individual_activity). -#}
{% macro open_item_counts(department) -%}
    select
        individual_id,
        {%- for label in varargs %}
        count(*) filter (where open_item_label = '{{ label }}') as {{ label | replace(' ', '_') }}_count{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('int_open_items_listed') }}
    where department = '{{ department }}' and individual_id is not null
    group by individual_id
{%- endmacro %}
