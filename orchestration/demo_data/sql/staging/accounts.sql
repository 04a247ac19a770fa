-- Accounts: a B2C account per customer (and per prospect who signed up), a second B2C account
-- on the other shop line for some, and B2B companies. Each carries the parameters of its
-- order series and, for subscription accounts, of its subscription and usage.
create table accounts as
with b2c as (
    select
        1 as kind_rank, i as owner, 0 as slot, i as main_i, 'b2c' as account_type,
        case when persona = 'subscriber' then 'subscription' else shop_line end as business_line,
        persona, created_age as opened_age,
        case
            when persona = 'lost' and rnd(i, 'closed') < 0.5
                then last_age * rnd(i, 'closed_at')
        end as closed_age,
        last_age, first_age, gap, shrink,
        case when persona = 'subscriber' then 1 else 100 end as kmax,
        case
            when persona = 'subscriber' then plan_prices()[list_position(plans(), plan)]
            else loguni(rnd(i, 'basket'), 15, 250)
        end as basket,
        plan, usage_end_age, 6 + 14 * rnd(i, 'usage_gap') as usage_gap,
        case
            when usage_end_age > 30 then 0.85 + 0.10 * rnd(i, 'usage_shrink')
            else 0.98 + 0.02 * rnd(i, 'usage_shrink')
        end as usage_shrink,
        case
            when persona = 'subscriber' and rnd(i, 'sub_ended') < 0.15
                then greatest(1, usage_end_age * rnd(i, 'sub_ended_at'))
        end as sub_end_age
    from people
    where persona <> 'prospect' or rnd(i, 'signed_up') < 0.4
    union all
    select
        1, i as owner, 1, i as main_i, 'b2c',
        case when shop_line = 'retail' then 'marketplace' else 'retail' end,
        persona, last_age + (0.2 + 0.7 * rnd(i, 'second_opened')) * (first_age - last_age),
        null, null, null, null, null, 0, null, null, null, null, null, null
    from people
    where persona not in ('prospect', 'subscriber') and rnd(i, 'second_account') < 0.10
), b2b_persona as (
    select
        k, u,
        case
            when u < 0.45 then 'steady' when u < 0.60 then 'decaying'
            when u < 0.80 then 'dormant' when u < 0.90 then 'lost' else 'open_issue'
        end as persona,
        case
            when rnd(k, 'b2b_line') < 0.75 then 'b2b_services'
            when rnd(k, 'b2b_line') < 0.88 then 'subscription'
            when rnd(k, 'b2b_line') < 0.95 then 'marketplace' else 'retail'
        end as business_line
    from (
        select company.k, rnd(company.k, 'b2b_persona') as u
        from range(1, n_b2b() + 1) as company (k)
    ) as drawn
), b2b_cadence as (
    select
        *,
        case persona
            when 'decaying' then 150 + 150 * rnd(k, 'b2b_gap')
            else loguni(rnd(k, 'b2b_gap'), 20, 120)
        end as gap,
        case persona
            when 'steady' then 30 * rnd(k, 'b2b_last')
            when 'decaying' then 20 + 200 * rnd(k, 'b2b_last')
            when 'dormant' then 380 + 500 * rnd(k, 'b2b_last')  -- beyond the 12-month window
            when 'lost' then 900 + 1200 * rnd(k, 'b2b_last')
            else 400 + 500 * rnd(k, 'b2b_last')
        end as last_age
    from b2b_persona
), b2b as (
    select
        2 as kind_rank, k as owner, 0 as slot, b2b_contact(k, 0) as main_i, 'b2b', business_line,
        persona, least(horizon(), first_age + 30 * rnd(k, 'b2b_opened')) as opened_age,
        case
            when persona = 'lost' and rnd(k, 'b2b_closed') < 0.4
                then last_age * rnd(k, 'b2b_closed_at')
        end as closed_age,
        last_age, first_age, gap,
        case
            when persona = 'decaying' then 0.80 + 0.10 * rnd(k, 'b2b_shrink')
            else 0.95 + 0.05 * rnd(k, 'b2b_shrink')
        end as shrink,
        100 as kmax, loguni(rnd(k, 'b2b_basket'), 300, 15000) as basket,
        case when business_line = 'subscription' then 'pro' end as plan,
        case
            when business_line = 'subscription'
                then case persona
                    when 'steady' then 5 * rnd(k, 'b2b_usage_end')
                    when 'decaying' then 100 * rnd(k, 'b2b_usage_end')
                    else last_age
                end
        end as usage_end_age,
        2 + 5 * rnd(k, 'b2b_usage_gap') as usage_gap,
        0.95 + 0.05 * rnd(k, 'b2b_usage_shrink') as usage_shrink,
        case
            when business_line = 'subscription' and persona = 'lost'
                then greatest(1, last_age - 30)
        end as sub_end_age
    from (
        select
            *,
            last_age + (0.1 + 0.9 * rnd(k, 'b2b_first')) * (horizon() - 40 - last_age) as first_age
        from b2b_cadence
    ) as dated
), numbered as (
    select row_number() over (order by kind_rank, owner, slot) as acct_idx, *
    from (
        select * from b2c
        union all
        select * from b2b
    ) as both_kinds
)
select
    *, fmt_id('A', acct_idx, 7) as account_id,
    case when kind_rank = 2 then 2 + cast(floor(5 * rnd(owner, 'n_contacts')) as int)
    end as n_contacts,
    case
        when business_line = 'subscription' then
            case when kind_rank = 2 then 199.0 else basket end
    end as plan_price,
    case
        when business_line = 'subscription'
            then sub_end_age is null and rnd(acct_idx, 'auto_renew') < 0.9
        else false
    end as auto_renew
from numbered;
