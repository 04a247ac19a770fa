{#- One row per reactivation email sent to an individual up to the as-of date: the contacts
    that count towards "every wave unanswered" when no activity follows them. -#}
with

email_events as (select * from {{ ref('stg_landing__email_events') }}),
campaigns as (select * from {{ ref('stg_landing__campaigns') }})

select
    email_events.individual_id,
    email_events.campaign_id,
    campaigns.wave,
    email_events.occurred_at as contacted_at
from email_events
inner join campaigns on email_events.campaign_id = campaigns.campaign_id
where
    campaigns.campaign_type = 'reactivation'
    and email_events.event_type = 'sent'
    and {{ is_known_at_as_of('email_events.occurred_at') }}
