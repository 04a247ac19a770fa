-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    fmt_id('W', session_key, 10) as session_id, fmt_id('I', i, 7) as individual_id,
    ts_ago(age) as started_at, case when is_app then 'app' else 'web' end as channel,
    page_views
from (
    select * from (
        select
            *,
            rnd2(i, j, 'session_channel') < app_share as is_app,
            cast(1 + floor(-6 * ln(1 - rnd2(i, j, 'page_views'))) as integer) as page_views
        from sessions
    ) as narrow
    order by session_key
) as sorted
