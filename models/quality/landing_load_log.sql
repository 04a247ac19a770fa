{#- One row per landing table per run: rows landed, quarantined and staged. Append-only:
    the gate's volume expectation compares this run with the previous one. -#}
{{ config(materialized='incremental', full_refresh=false) }}

{% for table_name in landing_table_names() -%}
select
    '{{ invocation_id }}' as dbt_invocation_id,
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as loaded_at,
    {{ as_of_date() }} as as_of_date,
    '{{ table_name }}' as source_table,
    count(*) as rows_landed,
    count_if(is_quarantined) as rows_quarantined,
    count_if(not is_quarantined) as rows_staged
from {{ ref('base_landing__' ~ table_name) }}
{% if not loop.last %}union all
{% endif -%}
{%- endfor %}
