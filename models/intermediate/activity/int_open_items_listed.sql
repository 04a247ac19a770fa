{#-
  One row per item open at the as-of date that holds its customer active (which item types
  do is the seed's holds_active_while_open). A replay sees items as they were: a dispute
  resolved after the as-of date is still open then. Orders carry no delivery date, so an
  order counts as open while its status is `placed`.
-#}
with

orders as (select * from {{ ref('stg_landing__orders') }}),
quotes as (select * from {{ ref('stg_landing__quotes') }}),
invoices as (select * from {{ ref('int_invoices_attributed') }}),
tickets as (select * from {{ ref('stg_landing__tickets') }}),
disputes as (select * from {{ ref('stg_landing__disputes') }}),
signal_classification as (select * from {{ ref('signal_classification') }}),

open_items as (

    select 'dispute_opened' as event_type, dispute_id as item_id, account_id, individual_id, opened_at
    from disputes
    where resolved_at is null or not {{ is_known_at_as_of('resolved_at') }}

    union all
    select 'ticket_opened', ticket_id, account_id, individual_id, opened_at
    from tickets
    where closed_at is null or not {{ is_known_at_as_of('closed_at') }}

    union all
    select 'order_placed', order_id, account_id, individual_id, ordered_at
    from orders
    where status = 'placed'

    union all
    select 'quote_requested', quote_id, account_id, individual_id, requested_at
    from quotes
    where status = 'open' or (closed_at is not null and not {{ is_known_at_as_of('closed_at') }})

    union all
    select 'invoice_issued', invoice_id, account_id, individual_id, issued_at
    from invoices
    where status = 'open' or (paid_at is not null and not {{ is_known_at_as_of('paid_at') }})

)

select
    open_items.event_type,
    open_items.item_id,
    open_items.account_id,
    open_items.individual_id,
    open_items.opened_at,
    signal_classification.department,
    signal_classification.open_item_label,
    signal_classification.open_item_priority
from open_items
inner join signal_classification
    on open_items.event_type = signal_classification.event_type
    and signal_classification.holds_active_while_open
where {{ is_known_at_as_of('open_items.opened_at') }}
