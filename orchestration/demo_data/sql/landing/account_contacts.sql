-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    fmt_id('A', acct_idx, 7) as account_id, fmt_id('I', i, 7) as individual_id, role,
    ts_ago(from_age) as valid_from, ts_ago(to_age) as valid_to
from (
    select * from (
        select * from contacts
    ) as narrow
    order by acct_idx, i, role
) as sorted
