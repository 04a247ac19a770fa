-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    fmt_id('D', dispute_no, 7) as dispute_id, fmt_id('A', acct_idx, 7) as account_id,
    fmt_id('I', i, 7) as individual_id, ts_ago(age) as opened_at,
    case when not stuck and age - lag > 0 then ts_ago(age - lag) end as resolved_at,
    pick(
        ['damaged', 'not_received', 'billing_error', 'quality', 'unauthorized_charge'],
        rnd2(acct_idx, j, 'dispute_reason')
    ) as reason,
    money(amount) as amount
from (
    select * from (
        with opened as (
            -- a few customers contest an order during their active years
            select
                acct_idx,
                case
                    when kind_rank = 1 then main_i
                    else role_holder(acct_idx, 'decision_maker', age)
                end as i,
                0 as j, age, basket * (0.5 + rnd(acct_idx, 'dispute_amount')) as amount,
                false as stuck
            from (
                select *, last_age + (first_age - last_age) * rnd(acct_idx, 'dispute_at') as age
                from accounts
            ) as dated
            where
                last_age is not null
                and rnd(acct_idx, 'disputes') < case when kind_rank = 2 then 0.10 else 0.06 end
            union all
            -- open-issue customers: an unresolved dispute and no recent purchase
            select
                acct_idx, main_i, 1, 20 + 180 * rnd(acct_idx, 'stuck_dispute_at'),
                basket * (0.5 + rnd(acct_idx, 'dispute_amount')), true
            from accounts
            where slot = 0 and persona = 'open_issue' and rnd(owner, 'issue_kind') >= 0.5
        )
        select
            *,
            row_number() over (order by age desc, acct_idx asc, j asc) as dispute_no,
            3 + 57 * rnd2(acct_idx, j, 'dispute_lag') as lag
        from opened
    ) as narrow
    order by dispute_no
) as sorted
