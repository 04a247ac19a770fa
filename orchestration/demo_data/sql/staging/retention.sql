-- Declining activity: the tool's weekly journey sends step 1 at the first batch 14 days or
-- more after a person's last visit (web/app session) or purchase, and step 2 at the first
-- batch 21 days or more after it and 7 days or more after step 1, unless step 1 was answered.
-- Only people whose visits stop (dormant and decaying customers), 85 % of them, since the
-- journey started two months ago. An answer is a click that lands on the site (a session), and
-- one in three answers buys.
create table retention as
with quiet as (
    -- the last session (the sessions view's first one) or the last order, whichever is later
    select
        i, deceased_age,
        least(last_age, start_age, eng_end_age + rnd2(i, 0, 'session_time')) as quiet_age
    from recipients
    where persona in ('dormant', 'decaying') and rnd(i, 'retention_pick') < 0.85
), step_1 as (
    select *, cast(floor((quiet_age - 14 - retention_day(1, 0)) / 7) as bigint) as seq_1
    from quiet
), step_2 as (
    select
        i, seq_1,
        -- the dead answer nothing; step 2 is not sent to those who answered step 1
        case when deceased_age is null and rnd(i, 'retention_answer_1') < 0.12 then 1 end
            as answer_1,
        cast(floor(
            (least(quiet_age - 21, retention_day(1, seq_1) - 7) - retention_day(2, 0)) / 7
        ) as bigint) as seq_2,
        deceased_age is null and rnd(i, 'retention_answer_2') < 0.10 as answers_2
    from step_1
    where seq_1 between 0 and retention_batches() - 1
), answered as (
    select
        i, seq_1,
        case when answer_1 is null and seq_2 >= 0 then seq_2 end as sent_seq_2,
        coalesce(answer_1, case when seq_2 >= 0 and answers_2 then 2 end) as answer_step
    from step_2
)
select
    i, seq_1, sent_seq_2 as seq_2, answer_step,
    -- the visit, within two and a half days of the answered mail
    case answer_step
        when 1 then retention_day(1, seq_1) when 2 then retention_day(2, sent_seq_2)
    end - 0.875 - 2 * rnd(i, 'retention_visit_at') as answer_age,
    rnd(i, 'retention_buys') < 0.35 as buys
from answered;
