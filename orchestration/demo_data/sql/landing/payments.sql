-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    fmt_id('P', payment_no, 9) as payment_id, fmt_id('INV', invoice_no, 9) as invoice_id,
    fmt_id('A', acct_idx, 7) as account_id, ts_ago(pay_age) as paid_at,
    money(amount) as amount, method, method = 'direct_debit' as is_automatic
from (
    select * from (
        select *, row_number() over (order by pay_age desc, invoice_no asc) as payment_no
        from invoices
        where status = 'paid'
    ) as narrow
    order by payment_no
) as sorted
