-- Email recipients: people who opted in at creation and have an address. Their mailing stops
-- at an unsubscribe, a complaint or a hard bounce (invalid addresses bounce at once), on the
-- last newsletter they get (broadcast_sends' t = 0 in closed form): left_age, after which
-- nothing is sent to them.
create table recipients as
select
    *,
    case
        when end_reason is not null
            then
                3 + 7 * (
                    greatest(0, cast(ceil((end_age - 3 + 0.5) / 7) as bigint))
                    + cast(floor(news_stride * rnd(i, 'newsletter_phase')) as bigint)
                ) - 0.375
        else 0
    end as left_age
from (
    select
        p.i, p.persona, p.last_age, p.eng_end_age, p.p_open, p.p_click, p.news_stride,
        p.promo_stride, created_age as start_age,
        case when not email_valid then 'bounce_hard' else email_end_reason end as end_reason,
        case
            when not email_valid then greatest(0, created_age - 7 * news_stride - 1)
            when email_end_reason is not null then created_age * rnd(p.i, 'email_end_at')
            else 0
        end as end_age,
        e.deceased_age,
        rnd(p.i, 'send_offset') * 0.25 as send_offset
    from people as p left join people_events as e using (i)
    where email_opt_in_initially and clean_email is not null
) as opted_in;

-- broadcast_sends(p_campaign_type, p_first_day, p_period, p_stride): the sends of a periodic
-- campaign (issue n launched p_first_day + p_period * n days ago) to the recipients table:
-- each recipient gets every p_stride-th issue (p_stride: a column of recipients) in their
-- mailing window, ending on the last one before the window closes (t = 0).
create macro broadcast_sends(p_campaign_type, p_first_day, p_period, p_stride) as table
    select
        i, p_campaign_type as campaign_type, lo + t * p_stride as seq, t = 0 as is_last,
        cast(null as integer) as wave, false as answers
    from (
        select
            *,
            unnest(range(greatest(0, cast(floor((hi - lo) / p_stride) as bigint) + 1))) as t
        from (
            select
                *,
                greatest(0, cast(ceil((end_age - p_first_day + 0.5) / p_period) as bigint))
                + cast(floor(p_stride * rnd(i, p_campaign_type || '_phase')) as bigint) as lo,
                cast(floor((start_age - p_first_day) / p_period) as bigint) as hi
            from recipients
        ) as windows
    ) as issues;
