{#- GDPR erasure helpers. A subject is known after erasure only by a salted hash of their
    id (tombstone). The salt (env GDPR_HASH_SALT) is never a dbt var: it lives in the DuckDB
    function gdpr_subject_hash() that orchestration/gdpr_salt.py registers on every
    connection, so no compiled SQL, manifest or log holds it. -#}

{#- sha256 of the salt and a subject id: what tombstones and the audit log hold. -#}
{% macro gdpr_subject_hash(column) -%}
    gdpr_subject_hash(cast({{ column }} as string))
{%- endmacro %}

{#- DOMAIN.md: erasure is an act in the present, never a replay. True (SQL) only when the
    as-of date is the day of the run; a replay lists the candidates and erases nobody. -#}
{% macro erasure_is_live() -%}
    {{ 'true' if as_of_date_literal() == run_date_literal() else 'false' }}
{%- endmacro %}

{#- True when the subject of `column` (an individual id) has been erased by a past run. -#}
{% macro is_erased_subject(column) -%}
    ({{ gdpr_subject_hash(column) }} in (select subject_hash from {{ source('gdpr', 'erasure_tombstones_of_past_runs') }}))
{%- endmacro %}

{#- On run start: the view every model reads the tombstones through, so the landing checks
    blank erased subjects' personal columns from the first model on. It reads the table
    the incremental model erasure_tombstones appends to, or nothing before that table's
    first run (dbt creates and owns the table itself). No catalog name: a run builds into a
    copy of the warehouse that is published under another file name. -#}
{% macro create_gdpr_tombstones_view() %}
    {%- set tombstones = adapter.get_relation(database=target.database, schema='gdpr', identifier='erasure_tombstones') if execute else none -%}
    {#- one statement per query: Spark's session runs no script -#}
    {%- if execute %}{% do run_query('create schema if not exists gdpr') %}{% endif %}
    create or replace view gdpr.erasure_tombstones_of_past_runs as
    {% if tombstones -%}
    select subject_hash from {{ tombstones.include(database=false) }}
    {%- else -%}
    select cast(null as string) as subject_hash where false
    {%- endif %}
{% endmacro %}
