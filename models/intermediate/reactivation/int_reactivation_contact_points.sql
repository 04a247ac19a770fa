{#-
  One row per individual: what a relaunch needs to know about reaching them (DOMAIN.md,
  "Reactivation"): which channel they can be reached on, in the order email, SMS, postal
  mail; whether their email is inactive for the deliverability ramp; the hour they are
  usually connected; and what ranks them (recency, then value) until the score exists.

  - email: consented, a syntactically valid address (RNVP), and no hard bounce, unsubscribe
    or complaint since the opt-in. The contract carries no opt-in date: the person's
    created_at stands for it, so any such event on record blocks email.
  - SMS: consented and a valid mobile number in E.164 (RNVP phone_type `mobile`).
  - postal: consented, the address RNVP-deliverable, and the person not deceased.
-#}
{{ config(tags=['behind_quality_gate', 'reactivation']) }}

with

individuals as (select * from {{ ref('stg_landing__individuals') }}),
contacts as (select * from {{ ref('rnvp_contacts') }}),
email_events as (select * from {{ ref('stg_landing__email_events') }}),
web_sessions as (select * from {{ ref('stg_landing__web_sessions') }}),
events as (select * from {{ ref('int_activity_events_unioned') }}),

email_history as (

    select
        email_events.individual_id,
        bool_or(
            email_events.event_type in ('bounce_hard', 'unsubscribe', 'complaint')
            and (individuals.created_at is null or email_events.occurred_at >= individuals.created_at)
        ) as has_email_block_since_opt_in,
        bool_or(email_events.event_type in ('unsubscribe', 'complaint')) as has_unsubscribed_or_complained,
        max(email_events.occurred_at) filter (where email_events.event_type in ('open', 'click'))
            as last_email_engagement_at
    from email_events
    left join individuals on email_events.individual_id = individuals.individual_id
    where {{ is_known_at_as_of('email_events.occurred_at') }}
    group by email_events.individual_id

),

-- the hour (local time) of most of a person's web/app sessions; ties go to the earlier hour
session_hours as (

    select
        individual_id,
        cast(hour(timezone('{{ var("send_time_zone") }}', timezone('UTC', started_at))) as integer) as session_hour,
        count(*) as session_count
    from web_sessions
    where individual_id is not null and {{ is_known_at_as_of('started_at') }}
    group by all

),

send_hours as (

    select individual_id, arg_max(session_hour, (session_count, -session_hour)) as send_hour
    from session_hours
    group by individual_id

),

purchase_values as (

    select individual_id, sum(amount) as purchase_value
    from events
    where is_purchase and individual_id is not null
    group by individual_id

),

reachable as (

    select
        individuals.individual_id,
        individuals.first_name,
        individuals.email_opt_in,
        individuals.sms_opt_in,
        individuals.postal_opt_in,
        contacts.email_normalized,
        contacts.phone_e164,
        contacts.phone_type,
        contacts.line_1,
        contacts.line_2,
        contacts.line_3,
        contacts.line_4,
        contacts.line_5,
        contacts.line_6,
        contacts.is_deceased,
        coalesce(individuals.email_opt_in, false)
        and contacts.email_normalized is not null
        and not coalesce(email_history.has_email_block_since_opt_in, false) as can_email,
        coalesce(individuals.sms_opt_in, false) and contacts.phone_type = 'mobile' as can_sms,
        coalesce(individuals.postal_opt_in, false)
        and contacts.is_postal_deliverable
        and not contacts.is_deceased as can_post,
        not(
            coalesce(individuals.email_opt_in, false)
            or coalesce(individuals.sms_opt_in, false)
            or coalesce(individuals.postal_opt_in, false)
        ) as has_no_consent,
        coalesce(email_history.has_unsubscribed_or_complained, false) as has_unsubscribed_or_complained,
        -- deliverability: no open or click for var('email_inactive_months') months
        coalesce(
            email_history.last_email_engagement_at
            < {{ months_before_as_of(var('email_inactive_months')) }},
            true
        ) as is_email_inactive,
        email_history.last_email_engagement_at,
        send_hours.send_hour,
        coalesce(purchase_values.purchase_value, 0) as purchase_value
    from individuals
    inner join contacts on individuals.individual_id = contacts.individual_id
    left join email_history on individuals.individual_id = email_history.individual_id
    left join send_hours on individuals.individual_id = send_hours.individual_id
    left join purchase_values on individuals.individual_id = purchase_values.individual_id

)

select
    *,
    -- DOMAIN.md's order: email, then SMS, then postal mail
    case when can_email then 'email' when can_sms then 'sms' when can_post then 'postal' end as channel
from reachable
