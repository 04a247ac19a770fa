-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    fmt_id('L', transaction_no, 9) as transaction_id, fmt_id('I', i, 7) as individual_id,
    ts_ago(age) as occurred_at, points
from (
    select * from (
        with moves as (
            -- points earned on each purchase, every fourth purchase redeems some
            select
                0 as src, o.order_no as k, 0 as slot, o.age,
                cast(greatest(1, floor(o.amount)) as integer) as points, o.i
            from orders as o inner join people as p using (i)
            where p.loyalty_member and o.status <> 'cancelled' and o.account_type = 'b2c'
            union all
            select
                0, o.order_no, 1, o.age - 0.0001,
                -cast(100 * (1 + floor(4 * rnd(o.order_no, 'redeem'))) as integer), o.i
            from orders as o inner join people as p using (i)
            where
                p.loyalty_member and o.status <> 'cancelled' and o.account_type = 'b2c'
                and o.j % 4 = 3
            union all
            -- bonus points for reviews and games while browsing
            select
                1, session_key, 0, age,
                cast(10 * (1 + floor(5 * rnd(session_key, 'bonus'))) as integer), i
            from sessions
            where loyalty_member and j % 10 = 5
        )
        select
            *,
            row_number() over (order by age desc, src asc, k asc, slot asc) as transaction_no
        from moves
        where age > 1.0 / 86400
    ) as narrow
    order by transaction_no
) as sorted
