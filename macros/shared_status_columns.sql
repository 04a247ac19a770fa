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

{#- Open items of one department per individual, attributed as the shared flag attributes
    them (keyed_by_entity: a B2C account's unpaid invoice counts for its holder). Counts
    only: what holds a person active is already in individual_activity. -#}
{% macro open_item_counts(department) -%}
    select
        entity_id as individual_id,
        {%- for label in varargs %}
        count(*) filter (where open_item_label = '{{ label }}') as {{ label | replace(' ', '_') }}_count{{ ',' if not loop.last }}
        {%- endfor %}
    from ({{ keyed_by_entity(ref('int_open_items_listed')) }}) as keyed_open_items
    where entity_level = 'individual' and department = '{{ department }}'
    group by entity_id
{%- endmacro %}
