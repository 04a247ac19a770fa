-- Deceased people are taken among dormant and lost customers, erasure requesters anywhere
-- (open-issue customers three times as likely, so some requests meet a legal hold), plus a few
-- recent requests from customers dormant now (8 to 12 months without activity: a relaunch
-- must leave them out). Counts are quotas (at least one each), not coin flips, so even a tiny
-- base has them.
create table people_events as
select
    i,
    case
        when deceased_rank <= ceil(n_people() * 0.005)
            then greatest(1, least(eng_end_age, last_age) * rnd(i, 'deceased_on'))
    end as deceased_age,
    case
        when dormant_erasure_rank <= ceil(n_people() * 0.0005)
            then 1 + 30 * rnd(i, 'erasure_at')
        when erasure_rank <= ceil(n_people() * 0.002)
            then 1 + 400 * rnd(i, 'erasure_at')
    end as erasure_age
from (
    select
        i, last_age, eng_end_age,
        row_number() over (
            order by persona in ('dormant', 'lost') desc, rnd(i, 'deceased'), i
        ) as deceased_rank,
        row_number() over (
            order by rnd(i, 'erasure') * case when persona = 'open_issue' then 0.3 else 1 end, i
        ) as erasure_rank,
        row_number() over (
            order by
                persona = 'dormant' and eng_end_age between 250 and 350 desc,
                rnd(i, 'dormant_erasure'), i
        ) as dormant_erasure_rank
    from people
) as ranked
where
    deceased_rank <= ceil(n_people() * 0.005) or erasure_rank <= ceil(n_people() * 0.002)
    or dormant_erasure_rank <= ceil(n_people() * 0.0005);
