-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    fmt_id('I', i, 7) as individual_id, date_ago(deceased_age) as deceased_on
from (
    select * from (
        select * from people_events
        where deceased_age is not null
    ) as narrow
    order by i
) as sorted
