-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    fmt_id('U', usage_key, 10) as usage_id, account_id, fmt_id('I', i, 7) as individual_id,
    date_ago(age) as used_on,
    -- fading users use less and less
    cast(1 + floor(10 * rnd2(acct_idx, j, 'units') * least(1, 0.3 + j / 20)) as integer)
        as units
from (
    select * from (
        select
            *,
            acct_idx * 1000 + j as usage_key,
            -- usually the person (the B2B user in role); sometimes only the account is known
            case
                when
                    rnd2(acct_idx, j, 'usage_anonymous')
                    < case kind_rank when 1 then 0.05 else 0.25 end
                    then null
                when kind_rank = 1 then main_i
                else role_holder(acct_idx, 'user', age)
            end as i
        from (
            select
                *,
                least(
                    first_age,
                    series_age(usage_end_age, usage_gap, usage_shrink, j)
                    + rnd2(acct_idx, j, 'usage_day')
                ) as age
            from (
                select
                    *,
                    unnest(range(series_len(usage_end_age, first_age, usage_gap, usage_shrink, 120)))
                        as j
                from accounts
                where business_line = 'subscription' and usage_end_age is not null
            ) as usage_slots
        ) as dated
        where age > coalesce(sub_end_age, 0)  -- no usage once a subscription has ended
    ) as narrow
    order by usage_key
) as sorted
