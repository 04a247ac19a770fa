-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    fmt_id('O', order_no, 9) as order_id, fmt_id('A', acct_idx, 7) as account_id,
    fmt_id('I', i, 7) as individual_id, ts_ago(age) as ordered_at, status,
    money(amount) as amount, channel
from (
    select * from (
        select * from orders
    ) as narrow
    order by order_no
) as sorted
