{#-
  The inactivity score's criteria, one row per customer and feature date: the as-of date
  (the row the daily run scores) and the month-ends before it (what the score's model is
  trained and evaluated on, orchestration/score/model.py). Everything is computed from
  what was known at the feature date, so a past month-end sees the world as it was.

  Criteria (seed inactivity_score_criteria says what each means to a reader):
  - recency_log_ratio: ln((days since the last activity + 1) / the window's days); the
    recency-only baseline the score is measured against ranks by recency_ratio, the same
    without the log;
  - cadence_ratio: days since the last purchase day over the mean gap between purchase
    days (1 below 3 purchase days: no cadence yet);
  - basket_trend: the mean basket of the last 3 purchase days over the earlier ones, minus
    1 (0 below 4 purchase days);
  - sessions_falling: 1 when the last 90 days had fewer web or app sessions than the 90
    before (visits spacing out), else 0;
  - email_click_rate_90d, tickets_disputes_90d;
  - open_items: items holding the customer active at the date (int_open_item_periods);
  - repeat_purchase_days, purchase_span_weeks, customer_age_weeks: the BG/NBD summary
    (x, t_x, T) that the probability alive is computed from.

  The label, on month-ends whose whole window has passed by the as-of date: went_dormant,
  true when no activity came within the window after the last activity before the feature
  date (the customer reached "dormant" before acting again).

  Kept from run to run: a month-end's criteria depend only on the customer's own days,
  open items and business line, so a run reuses the stored rows of every customer whose
  inputs (input_digest) are unchanged, and computes only the other customers' rows and the
  dates not stored yet (the new as-of date, a new month-end). The role and label, which
  depend on the as-of date, are recomputed for every row. Nothing is reused on a full
  refresh or when this model's SQL or vars changed (built_by); a full refresh gives the
  same rows (tests/python/test_incremental_equivalence.py).
-#}
{%- set built_by = model.checksum.checksum ~ '|' ~ var('score_history_months') ~ '|' ~ var('cadence_min_purchases') -%}
{%- set reuse = false -%}
{#- a unit test has no stored table (this is none) -#}
{#- the Jinja below is indented as Jinja, not as SQL -#}
-- noqa: disable=LT02
{%- if execute and this is not none and not should_full_refresh() -%}
    {%- set stored_relation = load_relation(this) -%}
    {%- if stored_relation is not none -%}
        {%- set stored_columns = adapter.get_columns_in_relation(stored_relation) | map(attribute='name') | list -%}
        {%- if 'built_by' in stored_columns -%}
            {%- set stored_by = run_query("select count(*) from " ~ stored_relation ~ " where built_by is distinct from '" ~ built_by ~ "'") -%}
            {%- set reuse = stored_by.columns[0].values()[0] == 0 -%}
        {%- endif -%}
    {%- endif -%}
{%- endif %}
-- noqa: enable=LT02
with

days as (select * from {{ ref('int_individual_activity_days') }}),

entities as (

    select entity_id as individual_id, business_line, inactivity_window_months
    from {{ ref('int_entities_windowed') }}
    where entity_level = 'individual'

),


feature_dates as (

    select {{ as_of_date() }} as feature_date
    union all
    select cast(last_day(cast({{ as_of_date() }} - to_months(cast(months_back as integer)) as date)) as date)
    from range(1, {{ var('score_history_months') }} + 1) as months(months_back)  -- noqa: AL05, LT01

),

-- the held-out date: the latest month-end whose outcome is known for every line present
held_out as (

    select max(feature_dates.feature_date) as held_out_date
    from feature_dates
    cross join (select max(inactivity_window_months) as months from entities) as longest  -- noqa: ST05
    where feature_dates.feature_date + to_months(cast(longest.months as integer)) <= {{ as_of_date() }}

),

activity_days as (

    select individual_id, occurred_on
    from days
    where activity_count > 0

),

-- running totals per person, read at a date and 90 / 180 days before by ASOF joins
running as (

    select
        individual_id,
        occurred_on,
        sum(session_count) over to_date as sessions_to_date,
        sum(email_sent_count) over to_date as emails_sent_to_date,
        sum(email_click_count) over to_date as email_clicks_to_date,
        sum(ticket_or_dispute_count) over to_date as tickets_disputes_to_date
    from days
    window to_date as (partition by individual_id order by occurred_on rows unbounded preceding)

),

purchase_days as (

    select
        individual_id,
        occurred_on,
        min(occurred_on) over to_date as first_purchase_on,
        count(*) over to_date as purchase_days_to_date,
        sum(purchase_amount) over to_date as amount_to_date,
        sum(purchase_amount) over (
            partition by individual_id order by occurred_on rows between 2 preceding and current row
        ) as last_3_amount
    from days
    where purchase_count > 0
    window to_date as (partition by individual_id order by occurred_on rows unbounded preceding)

),

-- items holding a customer active while open, reaching people as their status does
open_items as (

    select entity_id as individual_id, opened_at, closed_at
    from ({{ keyed_by_entity(ref('int_open_item_periods')) }})
    where entity_level = 'individual'

),

-- what a customer's criteria are computed from: a row reused is one whose digest is unchanged
input_digests as (

    select
        days_digest.individual_id,
        md5(concat_ws(
            '|', days_digest.digest, coalesce(items_digest.digest, 0),
            entities.business_line, entities.inactivity_window_months
        )) as input_digest
    from (
        select
            individual_id, bit_xor(hash(
                occurred_on, activity_count, purchase_count,
                purchase_amount, session_count, email_sent_count, email_click_count,
                ticket_or_dispute_count
            )) as digest
        from days
        group by individual_id
    ) as days_digest
    inner join entities on days_digest.individual_id = entities.individual_id
    left join (  -- noqa: ST05
        select individual_id, bit_xor(hash(opened_at, closed_at)) as digest
        from open_items
        group by individual_id
    ) as items_digest on days_digest.individual_id = items_digest.individual_id

),

{% if reuse -%}
reused as (

    select stored.*
    from {{ this }} as stored
    inner join input_digests
        on stored.individual_id = input_digests.individual_id
        and stored.input_digest = input_digests.input_digest
    where stored.feature_date in (select feature_date from feature_dates)

),

{% endif -%}
-- customers at each date: a purchase day on or before it
customers as (

    select
        purchase_days.individual_id,
        feature_dates.feature_date,
        purchase_days.occurred_on as last_purchase_on,
        purchase_days.first_purchase_on,
        purchase_days.purchase_days_to_date,
        purchase_days.amount_to_date,
        purchase_days.last_3_amount
    from feature_dates
    cross join (  -- noqa: ST05
        select distinct individual_id from days
        where purchase_count > 0
    ) as buyers
    asof inner join purchase_days
        on buyers.individual_id = purchase_days.individual_id
        and purchase_days.occurred_on <= feature_dates.feature_date  -- noqa: ST09
    {%- if reuse %}
    -- computed: what is not reused
    where
        not exists (
            select 1 from reused
            where
                reused.individual_id = buyers.individual_id
                and reused.feature_date = feature_dates.feature_date
        )
    {%- endif %}

),

with_activity as (

    select
        customers.*,
        last_activity.occurred_on as last_activity_on,
        next_activity.occurred_on as next_activity_on,
        coalesce(at_date.sessions_to_date, 0) - coalesce(at_90.sessions_to_date, 0) as sessions_90d,
        coalesce(at_90.sessions_to_date, 0) - coalesce(at_180.sessions_to_date, 0) as sessions_prior_90d,
        coalesce(at_date.emails_sent_to_date, 0) - coalesce(at_90.emails_sent_to_date, 0) as emails_sent_90d,
        coalesce(at_date.email_clicks_to_date, 0) - coalesce(at_90.email_clicks_to_date, 0) as email_clicks_90d,
        coalesce(at_date.tickets_disputes_to_date, 0) - coalesce(at_90.tickets_disputes_to_date, 0)
            as tickets_disputes_90d
    from customers
    asof left join activity_days as last_activity
        on customers.individual_id = last_activity.individual_id
        and last_activity.occurred_on <= customers.feature_date  -- noqa: ST09
    asof left join activity_days as next_activity
        on customers.individual_id = next_activity.individual_id
        and next_activity.occurred_on > customers.feature_date  -- noqa: ST09
    asof left join running as at_date
        on customers.individual_id = at_date.individual_id
        and at_date.occurred_on <= customers.feature_date  -- noqa: ST09
    asof left join running as at_90
        on customers.individual_id = at_90.individual_id
        and at_90.occurred_on <= customers.feature_date - 90
    asof left join running as at_180
        on customers.individual_id = at_180.individual_id
        and at_180.occurred_on <= customers.feature_date - 180

),

open_at_date as (

    select customers.individual_id, customers.feature_date, count(*) as open_items
    from customers
    inner join open_items
        on customers.individual_id = open_items.individual_id
        and cast(open_items.opened_at as date) <= customers.feature_date
        and (open_items.closed_at is null or cast(open_items.closed_at as date) > customers.feature_date)
    group by all

),

measured as (

    select
        with_activity.*,
        entities.business_line,
        entities.inactivity_window_months,
        with_activity.feature_date - with_activity.last_activity_on as days_since_activity,
        with_activity.feature_date
        - cast(with_activity.feature_date - to_months(cast(entities.inactivity_window_months as integer)) as date)
            as window_days,
        -- the status's own arithmetic: dormant on day t when the last activity is before
        -- t - window (macros/lifecycle_status.sql), so a month-end sees month lengths as it does
        with_activity.last_activity_on
        < cast(with_activity.feature_date - to_months(cast(entities.inactivity_window_months as integer)) as date)
            as is_dormant_at_date,
        coalesce(open_at_date.open_items, 0) as open_items
    from with_activity
    inner join entities on with_activity.individual_id = entities.individual_id
    left join open_at_date
        on with_activity.individual_id = open_at_date.individual_id
        and with_activity.feature_date = open_at_date.feature_date

),

criteria as (

    select
        measured.individual_id,
        measured.feature_date,
        measured.business_line,
        measured.inactivity_window_months,
        measured.last_activity_on,
        measured.next_activity_on,
        measured.is_dormant_at_date,
        measured.days_since_activity,
        measured.days_since_activity / measured.window_days as recency_ratio,
        ln((measured.days_since_activity + 1) / measured.window_days) as recency_log_ratio,
        case
            when measured.purchase_days_to_date >= {{ var('cadence_min_purchases') }}
                then least(
                    (measured.feature_date - measured.last_purchase_on)
                    / ((measured.last_purchase_on - measured.first_purchase_on) / (measured.purchase_days_to_date - 1)),
                    5.0
                )
            else 1.0
        end as cadence_ratio,
        case
            when measured.purchase_days_to_date > 3 and measured.amount_to_date > measured.last_3_amount
                then least(
                    (measured.last_3_amount / 3)
                    / ((measured.amount_to_date - measured.last_3_amount) / (measured.purchase_days_to_date - 3)) - 1,
                    5.0
                )
            else 0.0
        end as basket_trend,
        -- visits spacing out: fewer sessions in the last 90 days than in the 90 before
        case when measured.sessions_90d < measured.sessions_prior_90d then 1.0 else 0.0 end
            as sessions_falling,
        case
            when measured.emails_sent_90d > 0
                then least(measured.email_clicks_90d / measured.emails_sent_90d, 1.0)
            else 0.0
        end as email_click_rate_90d,
        measured.tickets_disputes_90d,
        measured.open_items,
        measured.purchase_days_to_date - 1 as repeat_purchase_days,
        (measured.last_purchase_on - measured.first_purchase_on) / 7.0 as purchase_span_weeks,
        (measured.feature_date - measured.first_purchase_on) / 7.0 as customer_age_weeks,
        input_digests.input_digest
    from measured
    inner join input_digests on measured.individual_id = input_digests.individual_id

),

all_rows as (

    select * from criteria
    {%- if reuse %}
    union all by name
    select * exclude (sample_role, went_dormant, built_by) from reused
    {%- endif %}

)

-- the role and the label depend on the as-of date: recomputed for every row
select
    all_rows.individual_id,
    all_rows.feature_date,
    case
        when all_rows.feature_date = {{ as_of_date() }} then 'score'
        when all_rows.is_dormant_at_date then null  -- already dormant
        when
            all_rows.feature_date + to_months(cast(all_rows.inactivity_window_months as integer))
            > {{ as_of_date() }} then null  -- its window has not passed yet
        when all_rows.feature_date = held_out.held_out_date then 'held_out'
        -- training outcomes are complete by the held-out date: nothing the model learns
        -- from happened after the date it is evaluated on
        when
            all_rows.feature_date + to_months(cast(all_rows.inactivity_window_months as integer))
            <= held_out.held_out_date then 'train'
    end as sample_role,
    all_rows.business_line,
    all_rows.inactivity_window_months,
    all_rows.last_activity_on,
    all_rows.next_activity_on,
    all_rows.is_dormant_at_date,
    all_rows.days_since_activity,
    all_rows.recency_ratio,
    all_rows.recency_log_ratio,
    all_rows.cadence_ratio,
    all_rows.basket_trend,
    all_rows.sessions_falling,
    all_rows.email_click_rate_90d,
    all_rows.tickets_disputes_90d,
    all_rows.open_items,
    all_rows.repeat_purchase_days,
    all_rows.purchase_span_weeks,
    all_rows.customer_age_weeks,
    -- the label: dormant before acting again (known once the window after the date passed):
    -- on the eve of the next activity (or of the day after the as-of date), the last
    -- activity is before the window (the status's own date arithmetic)
    case
        when
            all_rows.feature_date + to_months(cast(all_rows.inactivity_window_months as integer))
            <= {{ as_of_date() }}
            then all_rows.last_activity_on < cast(
                coalesce(all_rows.next_activity_on, {{ as_of_date() }} + 1) - 1
                - to_months(cast(all_rows.inactivity_window_months as integer)) as date
            )
    end as went_dormant,
    all_rows.input_digest,
    '{{ built_by }}' as built_by
from all_rows
cross join held_out
