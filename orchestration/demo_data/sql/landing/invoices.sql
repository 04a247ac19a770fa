-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    fmt_id('INV', invoice_no, 9) as invoice_id, fmt_id('A', acct_idx, 7) as account_id,
    fmt_id('O', order_no, 9) as order_id, ts_ago(issue_age) as issued_at,
    ts_ago(due_age) as due_at, money(amount) as amount, status, ts_ago(pay_age) as paid_at
from (
    select * from (
        select * from invoices
    ) as narrow
    order by invoice_no
) as sorted
