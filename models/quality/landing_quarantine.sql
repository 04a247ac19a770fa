{#- Every landing row the checks set aside, all tables together: which row of which file,
    the checks it failed, why (quoting the value), and its values as landed (JSON). -#}
{%- set landing_tables = landing_table_names() -%}

{% for table_name in landing_tables -%}
{%- set columns = landing_columns(table_name) if execute else [] -%}
select
    '{{ table_name }}' as source_table,
    source_row_number,
    {{ landing_table_record_key(table_name) }} as record_key,
    failed_checks,
    array_to_string(quarantine_reasons, '; ') as quarantine_reason,
    to_json({ {%- for column in columns %}'{{ column.name }}': {{ adapter.quote(column.name) }}{{ ', ' if not loop.last }}{% endfor -%} }) as original_values,
    {{ run_date() }} as run_date
from {{ ref('base_landing__' ~ table_name) }}
where is_quarantined
{% if not loop.last %}union all
{% endif -%}
{%- endfor %}
