-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    fmt_id('T', ticket_no, 8) as ticket_id, fmt_id('A', acct_idx, 7) as account_id,
    fmt_id('I', i, 7) as individual_id, ts_ago(age) as opened_at,
    case when not stuck and age - lag > 0 then ts_ago(age - lag) end as closed_at,
    pick(
        ['delivery', 'delivery', 'billing', 'product', 'account', 'returns', 'other'],
        rnd2(acct_idx, j, 'ticket_category')
    ) as category
from (
    select * from (
        with opened as (
            -- customers write in now and then while they are engaged
            select
                a.acct_idx, p.i, j,
                p.eng_end_age + (least(p.created_age, a.opened_age) - p.eng_end_age)
                * rnd2(p.i, j, 'ticket_at') as age,
                false as stuck
            from (
                select *, unnest(range(cast(floor(4 * pow(rnd(i, 'n_tickets'), 2)) as bigint))) as j
                from people
            ) as p
            inner join accounts as a on a.kind_rank = 1 and a.slot = 0 and p.i = a.owner
            union all
            select acct_idx, role_holder(acct_idx, 'decision_maker', age), j, age, false
            from (
                select
                    acct_idx, j,
                    last_age + (first_age - last_age) * rnd2(acct_idx, j, 'ticket_at') as age
                from (
                    select *, unnest(range(cast(floor(5 * rnd(acct_idx, 'n_tickets')) as bigint))) as j
                    from accounts
                    where kind_rank = 2
                ) as ticket_slots
            ) as dated
            union all
            -- open-issue customers: a ticket nobody has closed, long after their last order
            select acct_idx, main_i, 100, 10 + 140 * rnd(acct_idx, 'stuck_ticket_at'), true
            from accounts
            where slot = 0 and persona = 'open_issue' and rnd(owner, 'issue_kind') < 0.5
        )
        select
            *,
            row_number() over (order by age desc, acct_idx asc, j asc) as ticket_no,
            case
                when rnd2(acct_idx, j, 'ticket_slow') < 0.05
                    then 30 + 150 * rnd2(acct_idx, j, 'ticket_lag')
                else 0.05 + 8 * pow(rnd2(acct_idx, j, 'ticket_lag'), 2)
            end as lag
        from opened
    ) as narrow
    order by ticket_no
) as sorted
