{#- One row per individual: the shared status as billing sees it. Automatic debits are not
    activity: a monthly direct debit does not make a customer active here either. -#}
with

individual_activity as (select * from {{ ref('individual_activity') }}),

open_billing_items as ({{ open_item_counts('billing', 'unpaid invoice') }}
)

select
    {{ shared_status_columns() }},
    individual_activity.last_billing_activity_at,
    coalesce(open_billing_items.unpaid_invoice_count, 0) as unpaid_invoice_count
from individual_activity
left join open_billing_items on individual_activity.individual_id = open_billing_items.individual_id
