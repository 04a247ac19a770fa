-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    fmt_id('I', i, 7) as individual_id, address_line_1, address_line_2, address_line_3,
    postal_code, city, country_code, ts_ago(age) as moved_at
from (
    select * from (
        with moves as (  -- noqa: ST03
            -- read by with_address below, by name (which sqlfluff does not follow)
            select
                d, move, d * 4 + move as move_key,
                (5 + 700 * rnd(d, 'moved_at')) / (1 + move) as moved_age
            from (select d, unnest(range(n_moves)) as move from dwellings) as dwelling_moves
        )
        select m.* exclude (d), p.i, m.moved_age as age
        from with_address(moves, move_key, 'move') as m
        inner join people as p using (d)
        where m.moved_age < p.created_age  -- moves before someone arrived are not theirs
    ) as narrow
    order by i asc, age desc
) as sorted
