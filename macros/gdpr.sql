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

{#- On run start: the tombstone list exists before any model reads it (the landing checks
    blank erased subjects' personal columns from the first model on). The incremental model
    erasure_tombstones appends to this same table. -#}
{% macro create_gdpr_tombstones() %}
    create schema if not exists gdpr;
    create table if not exists gdpr.erasure_tombstones (
        subject_hash varchar,
        rule varchar,
        erased_at timestamp,
        run_id varchar
    );
    create or replace view gdpr.erasure_tombstones_of_past_runs as
    select * from gdpr.erasure_tombstones;
{% endmacro %}
