{#- One row per individual: the shared status as sales sees it, with sales' own facts. -#}
with

individual_activity as (select * from {{ ref('individual_activity') }}),

open_sales_items as ({{ open_item_counts('sales', 'open order', 'open quote') }}
)

select
    {{ shared_status_columns() }},
    individual_activity.last_purchase_at,
    individual_activity.last_sales_activity_at,
    coalesce(open_sales_items.open_order_count, 0) as open_order_count,
    coalesce(open_sales_items.open_quote_count, 0) as open_quote_count
from individual_activity
left join open_sales_items on individual_activity.individual_id = open_sales_items.individual_id
