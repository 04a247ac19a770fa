-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    fmt_id('C', c_idx, 6) as campaign_id,
    case campaign_type
        when 'newsletter' then 'Newsletter ' || strftime(ts_ago(launch_age), '%G-W%V')
        when 'promotion'
            then
                'Promo ' || content_type || ' '
                || strftime(ts_ago(launch_age), '%Y-%m-%d')
        when 'retention'
            then
                'Baisse d''activité ' || strftime(ts_ago(launch_age), '%G-W%V')
                || ' étape ' || wave
        else
            'Relance inactifs ' || strftime(ts_ago(launch_age + 30 * (wave - 1)), '%Y-%m')
            || ' vague ' || wave
    end as name,
    campaign_type, channel, content_type, wave, cost_per_contact,
    ts_ago(launch_age) as launched_at
from (
    select * from (
        select * from campaigns
    ) as narrow
    order by c_idx
) as sorted
