{#-
  One row per individual and day with any event up to the as-of date: what happened that
  day, counted. The pre-aggregate that replays over many past dates read (the score's
  training dates, the window backtest) instead of the event stream. Events reach a person
  by keyed_by_entity(), as for their status; which events are activity or purchases is the
  seed signal_classification's call.
-#}
with

keyed_events as (

    {{ keyed_by_entity(ref('int_activity_events_unioned')) }}

)

select
    entity_id as individual_id,
    occurred_on,
    count(*) filter (where is_activity) as activity_count,
    -- purchases that day; readers count purchase days (purchase_count > 0), as the cadence does
    count(*) filter (where is_purchase) as purchase_count,
    coalesce(sum(amount) filter (where is_purchase), 0) as purchase_amount,
    count(*) filter (where source_table = 'web_sessions') as session_count,
    count(*) filter (where event_type = 'email_sent') as email_sent_count,
    count(*) filter (where event_type = 'email_click') as email_click_count,
    count(*) filter (where event_type in ('ticket_opened', 'dispute_opened'))
        as ticket_or_dispute_count
from keyed_events
where entity_level = 'individual'
group by entity_id, occurred_on
