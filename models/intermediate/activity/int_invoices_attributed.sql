{{ config(materialized='view') }}

{#- One row per invoice, with the person behind it: invoices carry no person, so it is the
    one who placed the order the invoice is for (none for invoices without an order). The
    event stream and the open items both read invoices from here. -#}
with

invoices as (select * from {{ ref('stg_landing__invoices') }}),
orders as (select * from {{ ref('stg_landing__orders') }})

select
    invoices.*,
    orders.individual_id
from invoices
left join orders on invoices.order_id = orders.order_id
