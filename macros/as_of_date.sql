{#- The date every status is evaluated at. This macro is the only place that looks at the
    clock (the run's start, UTC), so any past date can be replayed with AS_OF_DATE. -#}
{% macro as_of_date_literal() -%}
    {%- set configured = var('as_of_date', '') | string | trim -%}
    {%- if configured in ('', 'None', 'none', 'today') -%}
        {%- set configured = run_started_at.strftime('%Y-%m-%d') -%}
    {%- endif -%}
    {%- if modules.re.match('^\\d{4}-\\d{2}-\\d{2}$', configured) is none -%}
        {{ exceptions.raise_compiler_error("as_of_date must be YYYY-MM-DD, got '" ~ configured ~ "' (set AS_OF_DATE or --vars as_of_date)") }}
    {%- endif -%}
    {{- configured -}}
{%- endmacro %}

{% macro as_of_date() -%}
    cast('{{ as_of_date_literal() }}' as date)
{%- endmacro %}

{#- Events on the as-of date count; anything after it does not exist yet. -#}
{% macro is_known_at_as_of(timestamp_column) -%}
    ({{ timestamp_column }} < {{ dbt.dateadd('day', 1, as_of_date()) }})
{%- endmacro %}

{#- `months` may be a column: windows differ by business line. -#}
{% macro months_before_as_of(months) -%}
    {{ months_after(as_of_date(), '-(' ~ months ~ ')') }}
{%- endmacro %}
