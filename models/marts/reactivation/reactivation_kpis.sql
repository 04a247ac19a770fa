{{ config(tags=['reactivation']) }}
{#-
  One row per relaunch campaign (type reactivation or retention), i.e. per campaign, wave,
  channel and content type: DOMAIN.md's KPIs. A contact is a person the marketing tool
  reports an email `sent` for; delivered, opened and clicked count the contacts with that
  event. A contact is reactivated by a response, i.e. any customer-initiated activity or
  purchase (seed signal_classification: opens are not activity), and converted by a purchase,
  strictly after their send and at most `reactivation_response_days` days after it, known
  at the as-of date. Campaigns with no sends keep their row, with zeros.
-#}
with

campaigns as (select * from {{ ref('stg_landing__campaigns') }}),
email_events as (select * from {{ ref('stg_landing__email_events') }}),

relaunch_campaigns as (

    select * from campaigns
    -- the campaign types the relaunch scenarios are reported under (reactivation, retention)
    where campaign_type in (select campaign_type from {{ ref('reactivation_scenarios') }})

),

-- the campaign's email events known at the as-of date, one row per person and campaign (the
-- as-of test sits in the aggregates: as a where clause it would run on every email event of
-- every campaign, before the join keeps the relaunches)
contact_funnel as (

    select
        email_events.campaign_id,
        email_events.individual_id,
        -- a person sent the same campaign twice is answered from their first send on
        min(email_events.occurred_at) filter (
            where email_events.event_type = 'sent' and {{ is_known_at_as_of('email_events.occurred_at') }}
        ) as sent_at,
        coalesce(bool_or(
            email_events.event_type = 'delivered' and {{ is_known_at_as_of('email_events.occurred_at') }}
        ), false) as was_delivered,
        coalesce(bool_or(
            email_events.event_type = 'open' and {{ is_known_at_as_of('email_events.occurred_at') }}
        ), false) as has_opened,
        coalesce(bool_or(
            email_events.event_type = 'click' and {{ is_known_at_as_of('email_events.occurred_at') }}
        ), false) as has_clicked
    from email_events
    inner join relaunch_campaigns on email_events.campaign_id = relaunch_campaigns.campaign_id
    where email_events.individual_id is not null
    group by email_events.campaign_id, email_events.individual_id

),

-- contacts: the people sent the campaign (the funnel counts within them, so rates stay <= 1)
contacts as (

    select
        *,
        {{ dbt.dateadd('day', var('reactivation_response_days'), 'sent_at') }} as response_window_ends_at
    from contact_funnel
    where sent_at is not null

),

-- a person's responses: the events naming them, or their B2C account (keyed_by_entity)
keyed_responses as (

    {{ keyed_by_entity(
        '(select * from ' ~ ref('int_activity_events_unioned') ~ ' where is_activity or is_purchase)'
    ) }}

),

responses as (

    select
        entity_id as individual_id,
        source_record_id,
        occurred_at,
        is_activity,
        is_purchase,
        amount
    from keyed_responses
    where
        entity_level = 'individual'
        -- the stream already stops at the as-of date; said again so this model stands alone
        and {{ is_known_at_as_of('occurred_at') }}

),

contact_responses as (

    select
        contacts.campaign_id,
        contacts.individual_id,
        responses.source_record_id,
        responses.is_activity,
        responses.is_purchase,
        responses.amount
    from contacts
    inner join responses
        on contacts.individual_id = responses.individual_id
        and contacts.sent_at < responses.occurred_at
        and contacts.response_window_ends_at >= responses.occurred_at

),

contacts_answered as (

    select
        campaign_id,
        individual_id,
        -- DOMAIN.md: a response is a purchase, a click, a visit or any other activity
        bool_or(is_activity or is_purchase) as is_reactivated,
        bool_or(is_purchase) as is_converted
    from contact_responses
    group by campaign_id, individual_id

),

-- each purchase once per campaign, even when two holders of its B2C account were contacted
campaign_revenue as (

    select
        campaign_id,
        sum(amount) as revenue
    from (
        select distinct campaign_id, source_record_id, amount
        from contact_responses
        where is_purchase
    ) as purchases
    group by campaign_id

),

campaign_counts as (

    select
        contacts.campaign_id,
        count(*) as contacts,
        count(*) filter (where contacts.was_delivered) as delivered,
        count(*) filter (where contacts.has_opened) as opened,
        count(*) filter (where contacts.has_clicked) as clicked,
        count(*) filter (where contacts_answered.is_reactivated) as reactivated,
        count(*) filter (where contacts_answered.is_converted) as converted,
        max(contacts.response_window_ends_at) as last_response_window_ends_at
    from contacts
    left join contacts_answered
        on contacts.campaign_id = contacts_answered.campaign_id
        and contacts.individual_id = contacts_answered.individual_id
    group by contacts.campaign_id

),

counted as (

    select
        relaunch_campaigns.campaign_id,
        relaunch_campaigns.name,
        relaunch_campaigns.campaign_type,
        relaunch_campaigns.wave,
        relaunch_campaigns.channel,
        relaunch_campaigns.content_type,
        relaunch_campaigns.launched_at,
        relaunch_campaigns.cost_per_contact,
        coalesce(campaign_counts.contacts, 0) as contacts,
        coalesce(campaign_counts.delivered, 0) as delivered,
        coalesce(campaign_counts.opened, 0) as opened,
        coalesce(campaign_counts.clicked, 0) as clicked,
        coalesce(campaign_counts.reactivated, 0) as reactivated,
        coalesce(campaign_counts.converted, 0) as converted,
        cast(coalesce(campaign_revenue.revenue, 0) as decimal(18, 2)) as revenue,
        campaign_counts.last_response_window_ends_at
    from relaunch_campaigns
    left join campaign_counts on relaunch_campaigns.campaign_id = campaign_counts.campaign_id
    left join campaign_revenue on relaunch_campaigns.campaign_id = campaign_revenue.campaign_id

)

select
    campaign_id,
    name,
    campaign_type,
    wave,
    channel,
    content_type,
    launched_at,
    contacts,
    delivered,
    opened,
    clicked,
    reactivated,
    converted,
    -- rates over contacts; null when nobody was sent the campaign
    cast(delivered as double) / nullif(contacts, 0) as delivered_rate,
    cast(opened as double) / nullif(contacts, 0) as open_rate,
    cast(clicked as double) / nullif(contacts, 0) as click_rate,
    cast(reactivated as double) / nullif(contacts, 0) as reactivation_rate,
    cast(converted as double) / nullif(contacts, 0) as conversion_rate,
    revenue,
    cost_per_contact,
    cast(contacts * cost_per_contact as decimal(18, 4)) as cost,
    cast(contacts * cost_per_contact / nullif(reactivated, 0) as decimal(18, 4)) as cost_per_reactivated,
    -- false while some contact's response window is still running: the figures can still grow
    coalesce(
        last_response_window_ends_at < {{ dbt.dateadd('day', 1, as_of_date()) }}, true
    ) as is_response_window_closed,
    {{ var('reactivation_response_days') }} as response_window_days,
    {{ as_of_date() }} as as_of_date
from counted
