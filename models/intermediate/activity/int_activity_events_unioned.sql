{#-
  One row per source event known at the as-of date, from every department, classified by
  the seed signal_classification (department, activity, purchase). Events dated after the
  as-of date do not exist yet and are left out (they are not errors).

  individual_id is the person behind the event when the source says so, else the person
  who placed the order an invoice or payment belongs to; account_id the account.
-#}
with

orders as (select * from {{ ref('stg_landing__orders') }}),
quotes as (select * from {{ ref('stg_landing__quotes') }}),
invoices_attributed as (select * from {{ ref('int_invoices_attributed') }}),
payments as (select * from {{ ref('stg_landing__payments') }}),
subscriptions as (select * from {{ ref('stg_landing__subscriptions') }}),
tickets as (select * from {{ ref('stg_landing__tickets') }}),
disputes as (select * from {{ ref('stg_landing__disputes') }}),
email_events as (select * from {{ ref('stg_landing__email_events') }}),
web_sessions as (select * from {{ ref('stg_landing__web_sessions') }}),
loyalty_transactions as (select * from {{ ref('stg_landing__loyalty_transactions') }}),
usage_events as (select * from {{ ref('stg_landing__usage_events') }}),
signal_classification as (select * from {{ ref('signal_classification') }}),

-- payments carry no person: take the one behind the invoice paid
payments_attributed as (

    select
        payments.*,
        invoices_attributed.individual_id,
        coalesce(payments.account_id, invoices_attributed.account_id) as resolved_account_id
    from payments
    left join invoices_attributed on payments.invoice_id = invoices_attributed.invoice_id

),

events as (

    select
        case when status = 'cancelled' then 'order_cancelled' else 'order_placed' end as event_type,
        'orders' as source_table, order_id as source_record_id,
        account_id, individual_id, ordered_at as occurred_at, amount
    from orders

    union all
    select 'quote_requested', 'quotes', quote_id, account_id, individual_id, requested_at, amount
    from quotes

    union all
    select 'invoice_issued', 'invoices', invoice_id, account_id, individual_id, issued_at, amount
    from invoices_attributed

    union all
    select
        case when is_automatic then 'payment_automatic' else 'payment_manual' end,
        'payments', payment_id, resolved_account_id, individual_id, paid_at, amount
    from payments_attributed

    union all
    select 'subscription_started', 'subscriptions', subscription_id, account_id, null, started_at, null
    from subscriptions

    union all
    select 'ticket_opened', 'tickets', ticket_id, account_id, individual_id, opened_at, null
    from tickets

    union all
    select 'dispute_opened', 'disputes', dispute_id, account_id, individual_id, opened_at, amount
    from disputes

    union all
    select 'email_' || event_type, 'email_events', event_id, null, individual_id, occurred_at, null
    from email_events

    union all
    select channel || '_session', 'web_sessions', session_id, null, individual_id, started_at, null
    from web_sessions

    union all
    select
        case when points < 0 then 'loyalty_redeemed' else 'loyalty_earned' end,
        'loyalty_transactions', transaction_id, null, individual_id, occurred_at, null
    from loyalty_transactions

    union all
    select 'usage', 'usage_events', usage_id, account_id, individual_id, cast(used_on as timestamp), null
    from usage_events

)

select
    events.event_type,
    events.source_table,
    events.source_record_id,
    events.account_id,
    events.individual_id,
    events.occurred_at,
    cast(events.occurred_at as date) as occurred_on,
    events.amount,
    signal_classification.department,
    coalesce(signal_classification.is_activity, false) as is_activity,
    coalesce(signal_classification.is_purchase, false) as is_purchase
from events
-- left join: an event type missing from the seed stays visible (and fails a test)
left join signal_classification on events.event_type = signal_classification.event_type
where {{ is_known_at_as_of('events.occurred_at') }}
