{#-
  One row per item that holds its customer active while open (the seed's
  holds_active_while_open), opened up to the as-of date, with when it stopped being open
  (closed_at). closed_at is null while the item is still open at the as-of date: a dispute
  resolved after it is still open then. A replay at an earlier date d reads the same rows:
  open at d when opened by d and closed_at is null or after d. Orders carry no delivery
  date, so an order is open from its order date while its status is `placed`; a quote or an
  invoice closed without a closing date, a delivered order and a written-off invoice were
  never known open.
-#}
with

orders as (select * from {{ ref('stg_landing__orders') }}),
quotes as (select * from {{ ref('stg_landing__quotes') }}),
invoices as (select * from {{ ref('int_invoices_attributed') }}),
tickets as (select * from {{ ref('stg_landing__tickets') }}),
disputes as (select * from {{ ref('stg_landing__disputes') }}),
signal_classification as (select * from {{ ref('signal_classification') }}),

item_periods as (

    select
        'dispute_opened' as event_type,
        dispute_id as item_id,
        account_id,
        individual_id,
        opened_at,
        resolved_at as closed_at
    from disputes

    union all
    select 'ticket_opened', ticket_id, account_id, individual_id, opened_at, closed_at
    from tickets

    union all
    select 'order_placed', order_id, account_id, individual_id, ordered_at, null
    from orders
    where status = 'placed'

    union all
    select
        'quote_requested', quote_id, account_id, individual_id, requested_at,
        case when status = 'open' then null else closed_at end
    from quotes
    where status = 'open' or closed_at is not null

    union all
    select
        'invoice_issued', invoice_id, account_id, individual_id, issued_at,
        case when status = 'open' then null else paid_at end
    from invoices
    where status = 'open' or paid_at is not null

)

select
    item_periods.event_type,
    item_periods.item_id,
    item_periods.account_id,
    item_periods.individual_id,
    item_periods.opened_at,
    -- a closing after the as-of date does not exist yet
    case when {{ is_known_at_as_of('item_periods.closed_at') }} then item_periods.closed_at end as closed_at,
    signal_classification.department,
    signal_classification.open_item_label,
    signal_classification.open_item_priority
from item_periods
inner join signal_classification
    on item_periods.event_type = signal_classification.event_type
    and signal_classification.holds_active_while_open
where {{ is_known_at_as_of('item_periods.opened_at') }}
