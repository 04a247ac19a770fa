{#-
  One row per item open at the as-of date that holds its customer active: the periods of
  int_open_item_periods not closed by then (that model says when each item is open).
-#}
with

open_item_periods as (select * from {{ ref('int_open_item_periods') }})

select
    event_type,
    item_id,
    account_id,
    individual_id,
    opened_at,
    department,
    open_item_label,
    open_item_priority
from open_item_periods
where closed_at is null
