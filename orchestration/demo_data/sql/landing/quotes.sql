-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    fmt_id('Q', quote_no, 8) as quote_id, fmt_id('A', acct_idx, 7) as account_id,
    fmt_id('I', i, 7) as individual_id, ts_ago(age) as requested_at,
    case when age - lag > 0 then outcome else 'open' end as status,
    money(amount) as amount,
    case when age - lag > 0 then ts_ago(age - lag) end as closed_at
from (
    select * from (
        with requested as (
            -- B2B requesters (or prescribers) ask for quotes all along the account's life
            select
                acct_idx, j,
                case
                    when rnd2(acct_idx, j, 'quote_anonymous') >= 0.2
                        then coalesce(
                            role_holder(acct_idx, 'requester', age),
                            role_holder(acct_idx, 'prescriber', age)
                        )
                end as i,
                age, amount
            from (
                select
                    acct_idx, j,
                    last_age * 0.8 + (first_age - last_age * 0.8) * rnd2(acct_idx, j, 'quote_at')
                        as age,
                    basket * (1 + 4 * rnd2(acct_idx, j, 'quote_amount')) as amount
                from (
                    select *, unnest(range(cast(floor(8 * rnd(acct_idx, 'n_quotes')) as bigint))) as j
                    from accounts
                    where kind_rank = 2
                ) as quote_slots
            ) as dated
            union all
            -- some signed-up prospects ask for a quote and never buy
            select
                a.acct_idx, j, p.i,
                p.eng_end_age + (p.created_age - p.eng_end_age) * rnd2(p.i, j, 'quote_at'),
                200 + 4800 * rnd2(p.i, j, 'quote_amount')
            from (
                select *, unnest(range(1 + cast(rnd(i, 'n_prospect_quotes') < 0.3 as bigint))) as j
                from people
                where persona = 'prospect'
            ) as p
            inner join accounts as a on a.kind_rank = 1 and a.slot = 0 and p.i = a.owner
            where rnd(p.i, 'asks_quote') < 0.25
        ), decided as (
            select
                *,
                case
                    when rnd2(acct_idx, j, 'quote_outcome') < 0.45 then 'accepted'
                    when rnd2(acct_idx, j, 'quote_outcome') < 0.70 then 'declined'
                    else 'expired'
                end as outcome,
                case
                    when rnd2(acct_idx, j, 'quote_outcome') < 0.70
                        then 2 + 40 * rnd2(acct_idx, j, 'quote_lag')
                    else 30
                end as lag
            from requested
        )
        select *, row_number() over (order by age desc, acct_idx asc, j asc) as quote_no
        from decided
    ) as narrow
    order by quote_no
) as sorted
