{#- One row per source record and action, for the source systems to apply: every record of
    every subject to erase (and of subjects erased before, whose records a source sends
    again). The action per table is the seed gdpr_erasure_actions: `delete`, or `anonymise`
    / `retain` until retention_years after the record's date, then `delete`.

    Behind the circuit breaker: the test gdpr_circuit_breaker on the candidates (severity
    error) stops a run that would erase too many subjects without approval, and dbt then
    skips this model. -#}
{{ config(tags=['behind_quality_gate', 'gdpr', 'gdpr_erasure_step']) }}

with

candidates as (select * from {{ ref('gdpr_erasure_candidates') }}),
actions as (select * from {{ ref('gdpr_erasure_actions') }}),
invoices as (select * from {{ ref('int_invoices_attributed') }}),

erasable as (

    select individual_id
    from candidates
    where erasure_status in ('to_erase', 'erased')

),

-- every record that belongs to a person, with the date its retention counts from
records as (

    select 'individuals' as source_table, individual_id as record_id, individual_id, created_at as record_at
    from {{ ref('stg_landing__individuals') }}
    union all
    select 'address_changes', {{ landing_table_record_key('address_changes') }}, individual_id, moved_at
    from {{ ref('stg_landing__address_changes') }}
    union all
    select 'account_contacts', {{ landing_table_record_key('account_contacts') }}, individual_id, valid_from
    from {{ ref('stg_landing__account_contacts') }}
    union all
    select 'orders', order_id, individual_id, ordered_at from {{ ref('stg_landing__orders') }}
    union all
    select 'quotes', quote_id, individual_id, requested_at from {{ ref('stg_landing__quotes') }}
    union all
    -- invoices and payments are the person's through the order they placed
    select 'invoices', invoice_id, individual_id, issued_at from invoices
    union all
    select 'payments', payments.payment_id, invoices.individual_id, payments.paid_at
    from {{ ref('stg_landing__payments') }} as payments
    inner join invoices on payments.invoice_id = invoices.invoice_id
    union all
    select 'tickets', ticket_id, individual_id, opened_at from {{ ref('stg_landing__tickets') }}
    union all
    select 'disputes', dispute_id, individual_id, opened_at from {{ ref('stg_landing__disputes') }}
    union all
    select 'email_events', event_id, individual_id, occurred_at from {{ ref('stg_landing__email_events') }}
    union all
    select 'web_sessions', session_id, individual_id, started_at from {{ ref('stg_landing__web_sessions') }}
    union all
    select 'loyalty_transactions', transaction_id, individual_id, occurred_at from {{ ref('stg_landing__loyalty_transactions') }}
    union all
    select 'usage_events', usage_id, individual_id, used_on from {{ ref('stg_landing__usage_events') }}
    union all
    -- a notice's key is the person's id
    select 'deceased_notices', individual_id, individual_id, deceased_on from {{ ref('stg_landing__deceased_notices') }}  -- noqa: AL08
    union all
    select 'erasure_requests', request_id, individual_id, requested_at from {{ ref('stg_landing__erasure_requests') }}

),

-- each kept record's key exactly as the source sent it (ids are trimmed on landing: a source
-- must be told to delete ' I-1 ', the record it holds, not I-1)
source_keys as (

    {% for table_name in landing_table_names() if table_name not in ('accounts', 'campaigns', 'subscriptions') -%}
    select '{{ table_name }}' as source_table, {{ landing_table_record_key(table_name) }} as record_id, source_record_key
    from {{ ref('base_landing__' ~ table_name) }}
    where not is_quarantined
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

dated as (

    select
        records.source_table,
        records.record_id,
        source_keys.source_record_key as source_record_id,
        records.individual_id,
        actions.action as action_in_retention,
        cast(cast(records.record_at as date) + to_years(actions.retention_years) as date) as retention_ends_on
    from records
    inner join erasable on records.individual_id = erasable.individual_id
    left join source_keys
        on records.source_table = source_keys.source_table and records.record_id = source_keys.record_id
    -- a table missing from the seed gets no action, and fails the not_null test on `action`
    left join actions on records.source_table = actions.source_table

)

select
    dated.source_table,
    dated.record_id,
    dated.source_record_id,
    dated.individual_id,
    -- a record kept for another legal basis is anonymised or retained until its term, then deleted
    case
        when dated.action_in_retention is null then null
        when dated.action_in_retention <> 'delete' and dated.retention_ends_on > {{ as_of_date() }}
            then dated.action_in_retention
        else 'delete'
    end as action,
    case
        when dated.action_in_retention <> 'delete' and dated.retention_ends_on > {{ as_of_date() }}
            then dated.retention_ends_on
    end as retain_until
from dated
-- a replay of an earlier date asks the sources to delete nothing
where {{ erasure_is_live() }}
