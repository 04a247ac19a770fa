{#- One row per individual: the shared status as after-sales sees it. An open dispute or
    ticket already makes the shared status active; no separate after-sales flag exists. -#}
with

individual_activity as (select * from {{ ref('individual_activity') }}),

open_after_sales_items as ({{ open_item_counts('after_sales', 'open ticket', 'open dispute') }}
)

select
    {{ shared_status_columns() }},
    individual_activity.has_open_dispute,
    individual_activity.last_after_sales_activity_at,
    coalesce(open_after_sales_items.open_ticket_count, 0) as open_ticket_count,
    coalesce(open_after_sales_items.open_dispute_count, 0) as open_dispute_count
from individual_activity
left join open_after_sales_items
    on individual_activity.individual_id = open_after_sales_items.individual_id
