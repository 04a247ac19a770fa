{#- Landing timestamps as UTC wall-clock: '2026-07-01T01:00:00+02:00' is 2026-06-30 23:00.
    Naive values are taken as UTC (the session time zone is UTC, profiles.yml), so CSV text
    and Parquet TIMESTAMP / TIMESTAMPTZ columns all land the same way. -#}
{% macro utc_timestamp(column) -%}{{ return(adapter.dispatch('utc_timestamp')(column)) }}{%- endmacro %}
{% macro default__utc_timestamp(column) -%}
    cast(cast({{ column }} as timestamptz) as timestamp)
{%- endmacro %}
{#- Spark's timestamp is the instant, shown in the session's zone (UTC, orchestration/spark_build.py) -#}
{% macro spark__utc_timestamp(column) -%}
    cast({{ column }} as timestamp)
{%- endmacro %}
