{#-
  One row per business line and candidate inactivity window (months): replaying past
  month-ends, how many customers the window would have flagged dormant and how many of them
  bought again within the follow-up without being contacted (the definition: the YAML).

  Cheap at a million individuals: no activity day meets every replay date and window. One
  window pass pairs each activity day with the next one and the next purchase; a replay
  date between two activity days has the first as the customer's last activity, and only
  gaps longer than the shortest window can flag anyone. A flagged customer-date carries the
  longest window it is dormant for, so each window counts it by one comparison; one ASOF
  join finds the last email sent before a comeback purchase. Measured at 1,020,000
  individuals (88 million activity days): about 30 s and 4 GB on two cores (README).
-#}
{%- set candidate_windows = var('backtest_candidate_window_months') -%}
{%- set follow_up_months = var('backtest_follow_up_months') | int -%}
{%- set max_replay_months = var('backtest_max_replay_months') | int -%}

with

-- read twice: inlined rather than copied (88 million rows at a million individuals)
activity_days as not materialized (select * from {{ ref('int_individual_activity_days') }}),
entities as (select * from {{ ref('int_entities_windowed') }}),
business_lines as (select * from {{ ref('business_lines') }}),

keyed_open_item_periods as (

    {{ keyed_by_entity(ref('int_open_item_periods')) }}

),

-- the current business line (the one whose window applies at the as-of date)
individuals as (

    select entity_id as individual_id, business_line
    from entities
    where entity_level = 'individual'

),

candidate_windows as (

    select listed.window_months
    from (values {% for months in candidate_windows %}({{ months | int }}){{ ', ' if not loop.last }}{% endfor %})
        as listed (window_months)
    union
    select inactivity_window_months from business_lines

),

shortest_window as (

    select min(window_months) as window_months from candidate_windows

),

history as (

    select min(occurred_on) as history_start_on from activity_days

),

month_ends as (

    select distinct
        cast(last_day({{ as_of_date() }} - to_months(cast(offsets.months_back as integer))) as date) as replay_on
    from range(0, {{ max_replay_months + follow_up_months + 1 }}) as offsets (months_back)

),

-- month-ends from the first one with data, the latest whose follow-up is complete
replay_dates as (

    select
        month_ends.replay_on,
        {{ dbt.dateadd('day', 1, 'month_ends.replay_on') }} as replay_ends_at,
        cast(month_ends.replay_on - to_months(shortest_window.window_months) as date)
            as shortest_window_start_on
    from month_ends
    cross join history
    cross join shortest_window
    where
        month_ends.replay_on + to_months({{ follow_up_months }}) <= {{ as_of_date() }}
        and month_ends.replay_on >= history.history_start_on
    qualify row_number() over (order by month_ends.replay_on desc) <= {{ max_replay_months }}

),

-- a window is replayed only where it lies within the history the data has: earlier, a
-- customer silent since before the data starts would not be seen
window_replays as (

    select candidate_windows.window_months, replay_dates.replay_on
    from candidate_windows
    cross join replay_dates
    cross join history
    where replay_dates.replay_on - to_months(candidate_windows.window_months) >= history.history_start_on

),

first_purchases as (

    select individual_id, min(occurred_on) as first_purchase_on
    from activity_days
    where purchase_count > 0
    group by individual_id

),

-- the marketing tool's sends are the contact history
email_send_days as (

    select individual_id, occurred_on as sent_on
    from activity_days
    where email_sent_count > 0

),

-- between an activity day and the next, that day is the person's last activity; the next
-- purchase is on or after the next activity day (a purchase is activity)
activity_gaps as (

    select
        individual_id,
        occurred_on as last_activity_on,
        coalesce(lead(occurred_on) over ordered_days, cast('9999-12-31' as date)) as next_activity_on,
        min(case when purchase_count > 0 then occurred_on end) over later_days as next_purchase_on
    from activity_days
    where activity_count > 0
    window
        ordered_days as (partition by individual_id order by occurred_on),
        later_days as (
            partition by individual_id order by occurred_on
            rows between 1 following and unbounded following
        )

),

-- the gaps of customers (a purchase by then) longer than the shortest window: the only
-- ones that can flag anybody. Someone flagged in a gap can only have bought again within
-- the follow-up when the next purchase is at most that long after the gap ends.
long_gaps as (

    select
        activity_gaps.*,
        case
            when activity_gaps.next_purchase_on <= activity_gaps.next_activity_on + to_months({{ follow_up_months }})
                then activity_gaps.next_purchase_on
        end as comeback_purchase_on
    from activity_gaps
    cross join shortest_window
    inner join first_purchases
        on activity_gaps.individual_id = first_purchases.individual_id
        and activity_gaps.last_activity_on >= first_purchases.first_purchase_on
    where activity_gaps.next_activity_on > activity_gaps.last_activity_on + to_months(shortest_window.window_months)

),

-- the sends of the people who may have come back (the ASOF join below then sorts far fewer)
comeback_send_days as (

    select email_send_days.individual_id, email_send_days.sent_on
    from email_send_days
    where email_send_days.individual_id in (
        select long_gaps.individual_id
        from long_gaps
        where long_gaps.comeback_purchase_on is not null
    )

),

-- the last email sent on or before the comeback purchase: someone flagged at a date in the
-- gap was contacted before buying again when that send is after the date
long_gaps_with_sends as (

    select
        long_gaps.*,
        comeback_send_days.sent_on as last_sent_by_comeback_on
    from long_gaps
    asof left join comeback_send_days
        on long_gaps.individual_id = comeback_send_days.individual_id
        and long_gaps.comeback_purchase_on >= comeback_send_days.sent_on

),

-- customers silent at a replay date for longer than the shortest window
silent_customer_dates as (

    select
        long_gaps_with_sends.individual_id,
        replay_dates.replay_on,
        long_gaps_with_sends.last_activity_on,
        {{ dbt.datediff('long_gaps_with_sends.last_activity_on', 'replay_dates.replay_on', 'month') }}
            as calendar_months_silent,
        -- the replay date that many months back: in the month of the last activity
        replay_dates.replay_on - to_months(
            cast({{ dbt.datediff('long_gaps_with_sends.last_activity_on', 'replay_dates.replay_on', 'month') }} as integer)
        ) as same_day_months_silent_before_on,
        long_gaps_with_sends.comeback_purchase_on,
        long_gaps_with_sends.last_sent_by_comeback_on
    from long_gaps_with_sends
    inner join replay_dates
        on long_gaps_with_sends.last_activity_on < replay_dates.shortest_window_start_on
        and long_gaps_with_sends.next_activity_on > replay_dates.replay_on

),

-- items open at a replay date (most open and close within a month: they hold no month-end)
open_item_dates as (

    select distinct
        keyed_open_item_periods.entity_id as individual_id,
        replay_dates.replay_on
    from keyed_open_item_periods
    inner join replay_dates
        on keyed_open_item_periods.opened_at < replay_dates.replay_ends_at
        and coalesce(keyed_open_item_periods.closed_at, cast('9999-12-31' as timestamp)) >= replay_dates.replay_ends_at
    where
        keyed_open_item_periods.entity_level = 'individual'
        and (
            keyed_open_item_periods.closed_at is null
            or keyed_open_item_periods.closed_at >= last_day(keyed_open_item_periods.opened_at) + interval 1 day
        )

),

-- DOMAIN.md: dormant = no activity of any kind within the window (which starts w months
-- before the date and includes that day, as for the status) and no open item at the date
flagged as (

    select
        silent_customer_dates.individual_id,
        individuals.business_line,
        silent_customer_dates.replay_on,
        silent_customer_dates.comeback_purchase_on,
        silent_customer_dates.last_sent_by_comeback_on,
        -- the longest window w with last activity < replay date - w months: the calendar
        -- months between the two, one less when the day of the month is not yet past
        silent_customer_dates.calendar_months_silent - case
            when silent_customer_dates.last_activity_on >= silent_customer_dates.same_day_months_silent_before_on
                then 1
            else 0
        end as longest_dormant_window_months
    from silent_customer_dates
    inner join individuals on silent_customer_dates.individual_id = individuals.individual_id
    left join open_item_dates
        on silent_customer_dates.individual_id = open_item_dates.individual_id
        and silent_customer_dates.replay_on = open_item_dates.replay_on
    where open_item_dates.individual_id is null

),

-- bought again within the follow-up, with no email sent after the date up to that purchase
-- (one sent on the day of the purchase counts as a contact: days carry no time)
outcomes as (

    select
        business_line,
        replay_on,
        longest_dormant_window_months,
        count(*) as flagged_dormant,
        count(*) filter (
            where comeback_purchase_on <= replay_on + to_months({{ follow_up_months }})
            and (last_sent_by_comeback_on is null or last_sent_by_comeback_on <= replay_on)
        ) as bought_again_uncontacted
    from flagged
    group by business_line, replay_on, longest_dormant_window_months

),

-- a customer-date flagged for its longest window is flagged for every shorter one
window_outcomes as (

    select
        outcomes.business_line,
        window_replays.window_months,
        sum(outcomes.flagged_dormant) as flagged_dormant,
        sum(outcomes.bought_again_uncontacted) as bought_again_uncontacted
    from outcomes
    inner join window_replays
        on outcomes.replay_on = window_replays.replay_on
        and outcomes.longest_dormant_window_months >= window_replays.window_months
    group by outcomes.business_line, window_replays.window_months

),

replay_counts as (

    select candidate_windows.window_months, count(window_replays.replay_on) as replay_months
    from candidate_windows
    left join window_replays on candidate_windows.window_months = window_replays.window_months
    group by candidate_windows.window_months

),

shares as (

    select
        business_lines.business_line,
        candidate_windows.window_months,
        replay_counts.replay_months,
        coalesce(window_outcomes.flagged_dormant, 0) as flagged_dormant,
        coalesce(window_outcomes.bought_again_uncontacted, 0) as bought_again_uncontacted,
        window_outcomes.bought_again_uncontacted / nullif(window_outcomes.flagged_dormant, 0)
            as share_bought_again,
        candidate_windows.window_months = business_lines.inactivity_window_months
            as is_configured_window
    from business_lines
    cross join candidate_windows
    inner join replay_counts on candidate_windows.window_months = replay_counts.window_months
    left join window_outcomes
        on business_lines.business_line = window_outcomes.business_line
        and candidate_windows.window_months = window_outcomes.window_months

)

select
    business_line,
    cast(window_months as integer) as window_months,
    cast(replay_months as integer) as replay_months,
    cast(flagged_dormant as bigint) as flagged_dormant,
    cast(bought_again_uncontacted as bigint) as bought_again_uncontacted,
    cast(share_bought_again as double) as share_bought_again,
    is_configured_window,
    cast(
        min(window_months) filter (
            where share_bought_again < {{ var('backtest_max_comeback_share') }}
        ) over (partition by business_line)
        as integer
    ) as shortest_window_under_limit,
    cast({{ var('backtest_max_comeback_share') }} as double) as comeback_share_limit
from shares
