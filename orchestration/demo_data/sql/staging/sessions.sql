-- Web/app sessions: a series per browsing person from creation until their engagement stops,
-- plus the visit of those who answered the declining-activity journey.
create view sessions as
select
    i, j, i * 1000 + j as session_key, app_share, loyalty_member,
    least(
        created_age,
        series_age(eng_end_age, session_gap, session_shrink, j)
        + case
            when j > 0
                then
                    (rnd2(i, j, 'session_jitter') - 0.5) * 0.5 * session_gap
                    * pow(session_shrink, j)
            else 0
        end
        + rnd2(i, j, 'session_time')
    ) as age
from (
    select
        *,
        unnest(range(series_len(eng_end_age, created_age, session_gap, session_shrink, 30)))
            as j
    from people
    where browses
) as series
union all
select
    t.i, 900 + t.answer_step, t.i * 1000 + 900 + t.answer_step, p.app_share,
    p.loyalty_member, t.answer_age
from retention as t inner join people as p using (i)
where t.answer_age > 0.001;
