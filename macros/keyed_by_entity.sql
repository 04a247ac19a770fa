{#-
  Repeats each row of `relation` once per entity it belongs to, as (entity_level, entity_id):
  - the individual named on the row;
  - when none is named and the account is B2C, the account's current role-holders (a B2C
    account is its person: their unpaid invoice or manual payment is theirs);
  - the account named on the row.
  Used for activity and open items alike, so both roll up by the same rule.
-#}
{% macro keyed_by_entity(relation) %}
    select 'individual' as entity_level, individual_id as entity_id, *
    from {{ relation }}
    where individual_id is not null

    union all
    select 'individual' as entity_level, b2c_holders.individual_id as entity_id, rows_.*
    from {{ relation }} as rows_
    inner join (
        select distinct account_id, individual_id
        from {{ ref('int_account_roles_current') }}
        where account_type = 'b2c'
    ) as b2c_holders on rows_.account_id = b2c_holders.account_id
    where rows_.individual_id is null

    union all
    select 'account' as entity_level, account_id as entity_id, *
    from {{ relation }}
    where account_id is not null
{% endmacro %}

{#- The latest event as one orderable value: its time first, then type and record id, so
    two events in the same second always give the same answer; max() of it picks the latest
    event with its department in one aggregate. -#}
{% macro latest_event() -%}
    {{ struct_of({'occurred_at': 'occurred_at', 'event_type': 'event_type', 'source_record_id': 'source_record_id', 'department': 'department'}) }}
{%- endmacro %}
