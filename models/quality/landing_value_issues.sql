{#- One row per landing value set aside: a bad value of an optional column (unparseable,
    after the day of the run, an unknown category, implausible, control characters) is set
    to null and the row flows on (macro checked_landing_rows); this says which, where and
    why. Rebuilt on every run from the current landing files. -#}
{%- set landing_tables = landing_table_names() -%}

{% for table_name in landing_tables -%}
select
    '{{ table_name }}' as source_table,
    issues.source_row_number,
    issues.record_key,
    struct_extract(issues.issue, 'column_name') as column_name,
    struct_extract(issues.issue, 'code') as failed_check,
    struct_extract(issues.issue, 'reason') as reason,
    struct_extract(issues.issue, 'landed_value') as landed_value,
    {{ run_date() }} as run_date
from (
    select
        source_row_number,
        {{ landing_table_record_key(table_name) }} as record_key,
        unnest(value_issues) as issue
    from {{ ref('base_landing__' ~ table_name) }}
) as issues
{% if not loop.last %}union all
{% endif -%}
{%- endfor %}
