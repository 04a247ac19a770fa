{#- Append-only: every relaunch the project published, by as-of date: the channel targets
    and the custom audience (ids only, no personal data). The scenario state of later runs reads it (through the view of past
    runs), so a step published today is not published again tomorrow, whatever the
    channel. Like the status history, it only moves forward: a rerun of the latest date
    replaces that date's rows; a replay of an earlier date leaves the log alone (and writes
    no export files). full_refresh is off: the log is history. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='append_new_columns',
        tags=['behind_quality_gate', 'reactivation'],
        pre_hook="{% if is_incremental() %}delete from {{ this }} where as_of_date = {{ as_of_date() }} and as_of_date >= (select max(as_of_date) from {{ this }}){% endif %}"
    )
}}

with

-- what left the company today: the channel targets and the custom audience
published as (

    select
        as_of_date, individual_id, account_id, household_id, targeting_level,
        targeted_entity_id, scenario, wave, channel
    from {{ ref('reactivation_targets') }}

    union all

    select
        as_of_date, individual_id, account_id, household_id, targeting_level,
        targeted_entity_id, scenario, wave, 'custom_audience'
    from {{ ref('reactivation_custom_audience') }}

)

select
    *,
    '{{ var("run_id") or invocation_id }}' as run_id,
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as logged_at
from published
{% if is_incremental() -%}
where {{ as_of_date() }} >= (select coalesce(max(as_of_date), {{ as_of_date() }}) from {{ this }})
{%- endif %}
