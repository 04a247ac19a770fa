-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    fmt_id('R', request_no, 7) as request_id, fmt_id('I', i, 7) as individual_id,
    ts_ago(erasure_age) as requested_at
from (
    select * from (
        select *, row_number() over (order by erasure_age desc, i asc) as request_no
        from people_events
        where erasure_age is not null
    ) as narrow
    order by request_no
) as sorted
