-- One email per (recipient, campaign); each becomes up to five events: sent; delivered or a
-- bounce; an open (inflated for mail-privacy-proxy users); a click (only while the person is
-- still engaged, or as the answer to a reactivation wave); an unsubscribe or complaint on the
-- last mail before the address leaves the list. The event key packs (individual, campaign,
-- slot) into one integer, so the big sort is on numbers only.
-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    fmt_id('E', event_key, 11) as event_id, fmt_id('I', i, 7) as individual_id,
    fmt_id('C', c_idx, 6) as campaign_id,
    [
        'sent', 'delivered', 'bounce_soft', 'bounce_hard', 'open', 'click', 'unsubscribe',
        'complaint'
    ][event_code + 1] as event_type,
    ts_ago(age) as occurred_at
from (
    select * from (
        with sends as (
            select * from broadcast_sends('newsletter', 3, 7, news_stride)
            union all
            select * from broadcast_sends('promotion', 10, 14, promo_stride)
            union all
            select i, 'reactivation', s, false, cast(wave as integer), wave = answer_wave
            from (select *, unnest(range(1, waves_received + 1)) as wave from reactivation) as waves
            union all
            select i, 'retention', seq_1, false, 1, answer_step = 1 from retention
            union all
            select i, 'retention', seq_2, false, 2, answer_step = 2 from retention
            where seq_2 is not null
        ), mails as (
            select
                s.i, s.answers, c.c_idx, c.launch_age - r.send_offset as sent_age,
                case
                    when s.is_last and s.campaign_type = 'newsletter' then r.end_reason
                    when s.campaign_type = 'reactivation' and s.wave = x.stop_wave
                        then x.stop_reason
                end as ending,
                r.p_open, r.p_click, r.eng_end_age, r.deceased_age, c.launch_age
            from sends as s
            inner join campaigns as c
                on s.campaign_type = c.campaign_type and s.seq = c.seq
                and c.wave is not distinct from s.wave and c.channel = 'email'
            inner join recipients as r on s.i = r.i
            left join (
                select i, stop_wave, stop_reason, stop_age from reactivation
                where stop_reason is not null
            ) as x
                on s.i = x.i
            -- nothing after the address left the list (a reactivation wave may end it too)
            where
                c.launch_age >= r.left_age
                and (x.stop_reason is null or c.launch_age >= x.stop_age)
        ), outcomes as (
            select
                *,
                coalesce(ending = 'bounce_hard', false) as hard,
                ending is null and rnd2(i, c_idx, 'soft_bounce') < 0.02 as soft,
                sent_age - 0.003 - 3 * pow(rnd2(i, c_idx, 'open_delay'), 3) as open_age
            from mails
        ), opened as (
            select
                *,
                not hard and not soft and (deceased_age is null or open_age > deceased_age + 2)
                and (
                    answers or coalesce(ending = 'unsubscribe', false)
                    or rnd2(i, c_idx, 'open') < p_open
                ) as is_open
            from outcomes
        ), events as (
            select
                *,
                case slot
                    when 0 then 0 when 1 then case when hard then 3 when soft then 2 else 1 end
                    when 2 then 4 when 3 then 5
                    else case ending when 'unsubscribe' then 6 else 7 end
                end as event_code,  -- position in the event types of the outer select
                case slot
                    when 0 then sent_age when 1 then sent_age - 0.0007 when 2 then open_age
                    when 3 then open_age - 0.0003 - 0.01 * rnd2(i, c_idx, 'click_delay')
                    else case when is_open then open_age - 0.0005 else sent_age - 0.2 end
                end as age
            from (select *, unnest(range(5)) as slot from opened) as slots
            where
                slot <= 1
                or (slot = 2 and is_open)
                or (
                    slot = 3 and is_open
                    and (answers or (launch_age >= eng_end_age and rnd2(i, c_idx, 'click') < p_click))
                )
                or (slot = 4 and not hard and not soft and ending in ('unsubscribe', 'complaint'))
        )
        select (i * max_campaigns() + c_idx) * 8 + slot as event_key, i, c_idx, event_code, age
        from events
        where age > 1.0 / 86400  -- an open after the as-of date has not happened yet
    ) as narrow
    order by event_key
) as sorted
