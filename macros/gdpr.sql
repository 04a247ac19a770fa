{#- GDPR erasure helpers. A subject is known after erasure only by a salted hash of their
    id (tombstone): the salt (var gdpr_hash_salt, env GDPR_HASH_SALT) must stay the same
    for the tombstones to keep matching. -#}

{#- sha256 of the salt and a subject id: what tombstones and the audit log hold. -#}
{% macro gdpr_subject_hash(column) -%}
    sha256({{ "'" ~ (var('gdpr_hash_salt') | replace("'", "''")) ~ "'" }} || cast({{ column }} as varchar))
{%- endmacro %}

{#- True when the subject of `column` (an individual id) has been erased by a past run. -#}
{% macro is_erased_subject(column) -%}
    ({{ gdpr_subject_hash(column) }} in (select subject_hash from {{ source('gdpr', 'erasure_tombstones_of_past_runs') }}))
{%- endmacro %}

{#- On run start: the view every model reads the tombstones through, so the landing checks
    blank erased subjects' personal columns from the first model on. It reads the table
    the incremental model erasure_tombstones appends to, or nothing before that table's
    first run (dbt creates and owns the table itself). -#}
{% macro create_gdpr_tombstones_view() %}
    {%- set tombstones = adapter.get_relation(database=target.database, schema='gdpr', identifier='erasure_tombstones') if execute else none -%}
    create schema if not exists gdpr;
    create or replace view gdpr.erasure_tombstones_of_past_runs as
    {% if tombstones -%}
    select subject_hash from {{ tombstones }}
    {%- else -%}
    select cast(null as varchar) as subject_hash where false
    {%- endif %}
{% endmacro %}
