-- Orders: the series of each account, plus the orders of reactivated customers. B2C orders are
-- the owner's (a few on their second account); B2B orders name the buyer in role at the time,
-- or nobody (EDI / account-level orders). Numbered chronologically.
create table orders as
with series as (
    select *, unnest(range(series_len(last_age, first_age, gap, shrink, kmax))) as j
    from accounts
    where last_age is not null
), dated as (
    select
        acct_idx, kind_rank, owner, persona, business_line, j, basket,
        least(
            first_age,
            series_age(last_age, gap, shrink, j)
            + case
                when j > 0 then (rnd2(acct_idx, j, 'jitter') - 0.5) * 0.5 * gap * pow(shrink, j)
                else 0
            end
        ) as age,
        -- decaying buyers: the last three baskets fall by half
        basket * (0.7 + 0.6 * rnd2(acct_idx, j, 'amount'))
        * case
            when persona = 'decaying' and j < 3 then 0.35 + 0.2 * rnd2(acct_idx, j, 'fall')
            else 1
        end as amount
    from series
), b2c_orders as (
    select
        coalesce(
            case
                when d.age <= s.opened_age and rnd2(d.acct_idx, d.j, 'on_second') < 0.35
                    then s.acct_idx
            end,
            d.acct_idx
        ) as acct_idx,
        d.owner as i, d.j, d.age, d.amount, 'b2c' as account_type
    from dated as d
    left join accounts as s on s.kind_rank = 1 and s.slot = 1 and d.owner = s.owner
    where d.kind_rank = 1
), b2b_orders as (
    select
        acct_idx,
        case when rnd2(acct_idx, j, 'edi') >= 0.25 then role_holder(acct_idx, 'buyer', age)
        end as i,
        j, age, amount, 'b2b' as account_type
    from dated
    where kind_rank = 2
), comeback_orders as (
    select
        a.acct_idx, r.i, 1000 + r.s as j, r.buy_age as age,
        a.basket * (0.6 + 0.8 * rnd(r.i, 'comeback_amount')) as amount, 'b2c' as account_type
    from reactivation as r
    inner join accounts as a on a.kind_rank = 1 and a.slot = 0 and r.i = a.owner
    where r.buys_again and r.buy_age > 0 and a.last_age is not null
    union all
    select
        a.acct_idx, t.i, 1100 + t.answer_step, t.answer_age - 0.01,
        a.basket * (0.6 + 0.8 * rnd(t.i, 'retention_amount')), 'b2c'
    from retention as t
    inner join accounts as a on a.kind_rank = 1 and a.slot = 0 and t.i = a.owner
    where t.buys and t.answer_age > 0.02 and a.last_age is not null
), all_orders as (
    select * from b2c_orders
    union all
    select * from b2b_orders
    union all
    select * from comeback_orders
)
select
    row_number() over (order by age desc, acct_idx asc, j asc) as order_no,
    *,
    case
        when rnd2(acct_idx, j, 'cancelled') < 0.04 then 'cancelled'
        when age < delivery_lag then 'placed'
        else 'delivered'
    end as status
from (
    select
        *,
        1 + 10 * rnd2(acct_idx, j, 'delivery') as delivery_lag,
        case
            when account_type = 'b2c'
                then pick(
                    ['web', 'web', 'web', 'app', 'app', 'store', 'store', 'phone'],
                    rnd2(acct_idx, j, 'channel')
                )
            else pick(
                ['sales_rep', 'sales_rep', 'web', 'edi', 'phone'],
                rnd2(acct_idx, j, 'channel')
            )
        end as channel
    from all_orders
) as channelled;
