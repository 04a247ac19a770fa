-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    fmt_id('S', subscription_no, 7) as subscription_id, account_id, plan,
    ts_ago(first_age) as started_at, ts_ago(sub_end_age) as ended_at, auto_renew
from (
    select * from (
        select *, row_number() over (order by acct_idx) as subscription_no
        from accounts
        where business_line = 'subscription' and first_age is not null
    ) as narrow
    order by subscription_no
) as sorted
