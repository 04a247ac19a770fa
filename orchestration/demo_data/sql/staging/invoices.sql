-- Invoices: B2C orders are invoiced at shipping and paid by card at once; B2B orders at month
-- end (up to 40 days later) with 30-60 day terms; subscriptions monthly by direct debit. Not
-- yet issued means no row. Some are never paid: open, or written off when old.
create table invoices as
with from_orders as (
    select
        o.acct_idx, o.order_no, o.j as seq, o.order_no as inv_key,
        o.age - case
            when o.account_type = 'b2c' then o.delivery_lag
            else 40 * rnd(o.order_no, 'invoice_lag')
        end as issue_age,
        o.amount, case when o.account_type = 'b2c' then 'card' else 'terms' end as billing,
        a.persona
    from orders as o inner join accounts as a using (acct_idx)
    where o.status <> 'cancelled'
), from_subscriptions as (
    select
        acct_idx, cast(null as bigint) as order_no, m as seq, -(acct_idx * 1000 + m),
        first_age - 30.4375 * m as issue_age, plan_price as amount, 'direct_debit' as billing,
        persona, sub_end_age
    from (
        select *, unnest(range(1, cast(floor(first_age / 30.4375) as bigint) + 1)) as m
        from accounts
        where business_line = 'subscription' and first_age is not null
    ) as months
), issued as (
    select * from (
        select *, null as sub_end_age from from_orders
        union all
        select * from from_subscriptions
    ) as all_invoices
    where issue_age > 0 and issue_age > coalesce(sub_end_age, 0)
), behaviour as (
    select
        *,
        rnd(inv_key, 'unpaid') < case
            when billing = 'terms' and persona = 'open_issue' and issue_age < 400 then 0.6
            when billing = 'terms' then 0.04
            when billing = 'card' then 0.01 else 0.003
        end as never_paid,
        billing = 'direct_debit' and rnd(inv_key, 'debit_failed') < 0.03 as debit_failed,
        case billing
            when 'terms' then pick([30, 45, 60], rnd(acct_idx, 'terms'))
            when 'card' then 0 else 5
        end as due_days
    from issued
), settled as (
    select
        *,
        issue_age - case
            when billing = 'card' then 0.001
            when debit_failed then 10 + 15 * rnd(inv_key, 'late')  -- paid by hand
            when billing = 'direct_debit' then 2
            else greatest(1, due_days - 15 + 60 * rnd(inv_key, 'late'))
        end as pay_age
    from behaviour
)
select
    row_number() over (
        order by issue_age desc, acct_idx asc, coalesce(order_no, 0) asc, seq asc
    ) as invoice_no,
    acct_idx, order_no, issue_age, amount, billing, debit_failed,
    -- due dates are capped at the as-of date: nothing in the landing data is in the future
    greatest(issue_age - due_days, 0) as due_age,
    -- most old unpaid invoices get written off; a few stay open, forgotten
    case
        when
            never_paid and issue_age > case when billing = 'terms' then 365 else 120 end
            and rnd(inv_key, 'write_off') < 0.9
            then 'written_off'
        when never_paid or pay_age <= 0 then 'open'
        else 'paid'
    end as status,
    case when not never_paid and pay_age > 0 then pay_age end as pay_age,
    case
        when billing = 'direct_debit' and not debit_failed then 'direct_debit'
        when billing = 'terms'
            then pick(
                ['transfer', 'transfer', 'transfer', 'cheque', 'card'],
                rnd(acct_idx, 'b2b_method')
            )
        else pick(
            ['card', 'card', 'card', 'card', 'paypal', 'cheque'],
            rnd(inv_key, 'method')
        )
    end as method
from settled;
