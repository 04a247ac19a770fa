{#-
  Append-only log of stage changes: one row per entity (individual, household, account)
  and as-of date on which its lifecycle stage differs from the last one recorded before
  that date. A run only appends what changed, so a daily run adds few rows; re-running the
  latest date replaces that date's rows. The log only moves forward: a replay of an earlier
  date rebuilds the marts as of then and leaves the log alone (what happened between that
  date and the latest one is unknown to it). full_refresh is off: the log is history.
-#}
{{
    config(
        materialized='incremental',
        unique_key=['entity_level', 'entity_id', 'as_of_date'],
        incremental_strategy='delete+insert',
        full_refresh=false,
        on_schema_change='append_new_columns',
        pre_hook="{% if is_incremental() %}delete from {{ this }} where as_of_date = {{ as_of_date() }} and as_of_date >= (select max(as_of_date) from {{ this }}){% endif %}"
    )
}}

with

current_statuses as (

    select 'individual' as entity_level, individual_id as entity_id, lifecycle_stage, status_rule, status_reason
    from {{ ref('individual_activity') }}
    union all
    select 'household', household_id, lifecycle_stage, status_rule, status_reason
    from {{ ref('household_activity') }}
    union all
    select 'account', account_id, lifecycle_stage, status_rule, status_reason
    from {{ ref('account_activity') }}

),

{% if is_incremental() %}
previous_statuses as (

    select
        entity_level,
        entity_id,
        arg_max(lifecycle_stage, as_of_date) as lifecycle_stage
    from {{ this }}
    where as_of_date < {{ as_of_date() }}
    group by entity_level, entity_id

),
{% endif %}

changes as (

    select
        current_statuses.entity_level,
        current_statuses.entity_id,
        {{ as_of_date() }} as as_of_date,
        current_statuses.lifecycle_stage,
        {% if is_incremental() %}previous_statuses.lifecycle_stage{% else %}cast(null as string){% endif %}
            as previous_lifecycle_stage,
        current_statuses.status_rule,
        current_statuses.status_reason
    from current_statuses
    {% if is_incremental() %}
    left join previous_statuses
        on current_statuses.entity_level = previous_statuses.entity_level
        and current_statuses.entity_id = previous_statuses.entity_id
    where
        previous_statuses.lifecycle_stage is distinct from current_statuses.lifecycle_stage
        -- a replay of a date before the latest one logged appends nothing
        and {{ as_of_date() }} >= coalesce((select max(as_of_date) from {{ this }}), {{ as_of_date() }})
    {% endif %}

)

select * from changes
