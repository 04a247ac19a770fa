{#- On run start: the view the scenario state reads the project's own past contacts through
    (reactivation.contact_log_of_past_runs): the rows of reactivation.contact_log from
    EARLIER as-of dates only. A rerun of a date does not see the rows it is replacing, and a
    replay of an earlier date does not see contacts that had not happened yet. A separate
    name keeps the lineage acyclic (targets -> contact_log -> next run's state), as for the
    GDPR tombstones. -#}
{% macro create_reactivation_contact_log_view() %}
    {%- set contact_log = adapter.get_relation(database=target.database, schema='reactivation', identifier='contact_log') if execute else none -%}
    {%- if execute %}{% do run_query('create schema if not exists reactivation') %}{% endif %}
    create or replace view reactivation.contact_log_of_past_runs as
    {% if contact_log -%}
    select as_of_date, individual_id, account_id, household_id, targeting_level, scenario, wave, channel
    from {{ contact_log.include(database=false) }}
    where as_of_date < {{ as_of_date() }}
    {%- else -%}
    select
        cast(null as date) as as_of_date,
        cast(null as string) as individual_id,
        cast(null as string) as account_id,
        cast(null as string) as household_id,
        cast(null as string) as targeting_level,
        cast(null as string) as scenario,
        cast(null as integer) as wave,
        cast(null as string) as channel
    where false
    {%- endif %}
{% endmacro %}

{#- sha256, lower-case hex, of a normalised contact point (custom audiences): null stays null. -#}
{% macro hashed_contact_point(column) -%}
    sha256({{ column }})
{%- endmacro %}
