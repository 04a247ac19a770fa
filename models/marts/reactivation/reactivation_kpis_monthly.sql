{{ config(tags=['reactivation']) }}
{#-
  One row per month, level (individual, household, account) and business line, from the
  first month with events up to the as-of month (partial): DOMAIN.md's overall KPIs.

  The state at the start of each month is rebuilt from the event stream, as the status
  rules would have seen it then, at month grain:
  - a member (an individual, or an account through its own events) is a customer from the
    month after its first purchase, and counts as active at the start of month M while it
    had a purchase or an activity in the `window` calendar months before M;
  - an individual is inactive at the start of M when it is a customer and not active;
  - a household when it has a customer member and none of its customer members is active
    (a member who never bought does not hold it active), with the line of its member with
    the longest window;
  - an account likewise, its members being itself and its current role-holders.
  Inactive covers dormant and lost. Open items (disputes, tickets, unpaid invoices ...) are
  NOT rebuilt for past months: an entity held active only by an open item counts inactive
  here, while marts.*_activity, at the as-of date, say it is active.

  Reactivated in M: inactive at the start of M and active again at the start of M + 1,
  i.e. a customer member had an activity or a purchase during M (up to the as-of date).
  Their revenue: the purchases of the group's members during M, each order once.

  Everything is computed on stretches of months (from, to) and change points, never on an
  entity x month grid, so the cost follows the number of events, not entities x months.
-#}
with

events as (select * from {{ ref('int_activity_events_unioned') }}),
entities as (select * from {{ ref('int_entities_windowed') }}),
households as (select * from {{ ref('int_individuals_householded') }}),
roles as (select * from {{ ref('int_account_roles_current') }}),

-- what keeps an entity in: DOMAIN.md's "no purchase and no activity", keyed to the
-- individuals and accounts it reaches (keyed_by_entity)
keyed_signals as (

    {{ keyed_by_entity(
        '(select * from ' ~ ref('int_activity_events_unioned') ~ ' where is_activity or is_purchase)'
    ) }}

),

-- months are counted from 2000-01 so that windows are additions
signals as (

    select
        entity_level,
        entity_id,
        source_record_id,
        is_purchase,
        amount,
        {{ dbt.datediff("cast('2000-01-01' as date)", 'occurred_at', 'month') }} as month_number
    from keyed_signals
    where {{ is_known_at_as_of('occurred_at') }}

),

bounds as (

    select
        {{ dbt.datediff("cast('2000-01-01' as date)", 'min(occurred_at)', 'month') }} as first_month_number,
        {{ dbt.datediff("cast('2000-01-01' as date)", as_of_date(), 'month') }} as as_of_month_number,
        -- the as-of month is partial unless the as-of date is its last day
        {{ dbt.datediff(as_of_date(), dbt.dateadd('day', 1, as_of_date()), 'month') }} = 0
            as is_as_of_month_partial
    from events
    where {{ is_known_at_as_of('occurred_at') }}

),

signal_months as (

    select
        entity_level,
        entity_id,
        month_number,
        bool_or(is_purchase) as has_purchase
    from signals
    group by entity_level, entity_id, month_number

),

-- members: individuals and accounts, with their own window
members as (

    select
        signal_months.entity_level,
        signal_months.entity_id,
        entities.inactivity_window_months,
        min(signal_months.month_number) filter (where signal_months.has_purchase) + 1 as customer_from
    from signal_months
    inner join entities
        on signal_months.entity_level = entities.entity_level
        and signal_months.entity_id = entities.entity_id
    group by signal_months.entity_level, signal_months.entity_id, entities.inactivity_window_months

),

-- a signal in month m keeps its member active at the starts of months m+1 .. m+window;
-- signals closer than the window join one stretch [active_from, active_to)
signal_gaps as (

    select
        signal_months.entity_level,
        signal_months.entity_id,
        signal_months.month_number,
        members.inactivity_window_months,
        members.customer_from,
        coalesce(
            signal_months.month_number - lag(signal_months.month_number) over (
                partition by signal_months.entity_level, signal_months.entity_id
                order by signal_months.month_number
            ) > members.inactivity_window_months,
            true
        ) as starts_stretch
    from signal_months
    inner join members
        on signal_months.entity_level = members.entity_level
        and signal_months.entity_id = members.entity_id
    -- a member who never bought never holds a group active
    where members.customer_from is not null

),

signal_stretches as (

    select
        entity_level,
        entity_id,
        customer_from,
        min(month_number) + 1 as active_from,
        max(month_number) + inactivity_window_months + 1 as active_to
    from (
        select
            *,
            sum(cast(starts_stretch as integer)) over (
                partition by entity_level, entity_id order by month_number
                rows between unbounded preceding and current row
            ) as stretch_number
        from signal_gaps
    ) as numbered
    group by entity_level, entity_id, customer_from, stretch_number, inactivity_window_months

),

-- active customer: the stretch from the month after the first purchase on
member_changes as (

    select entity_level, entity_id, customer_from as month_number, 1 as customer_change, 0 as active_change
    from members
    where customer_from is not null

    union all
    select entity_level, entity_id, greatest(active_from, customer_from), 0, 1
    from signal_stretches
    where greatest(active_from, customer_from) < active_to

    union all
    select entity_level, entity_id, active_to, 0, -1
    from signal_stretches
    where greatest(active_from, customer_from) < active_to

),

-- the groups each member belongs to, at each level
group_members as (

    select 'individual' as group_level, entity_id as group_id, 'individual' as member_level, entity_id as member_id
    from entities
    where entity_level = 'individual'

    union all
    select 'household', household_id, 'individual', individual_id
    from households

    union all
    select 'account' as group_level, entity_id as group_id, 'account' as member_level, entity_id as member_id
    from entities
    where entity_level = 'account'

    union all
    select distinct 'account', account_id, 'individual', individual_id
    from roles

),

-- business line: the individual's or the account's; a household's is its members' line
-- with the longest window (ties: the line's name, as in int_entities_windowed)
group_lines as (

    select entity_level as group_level, entity_id as group_id, business_line
    from entities

    union all
    select
        'household',
        households.household_id,
        arg_max(
            entities.business_line,
            { 'months': entities.inactivity_window_months, 'line': entities.business_line }
        )
    from households
    inner join entities
        on entities.entity_level = 'individual'
        and households.individual_id = entities.entity_id
    group by households.household_id

),

group_changes as (

    select
        group_members.group_level,
        group_members.group_id,
        member_changes.month_number,
        sum(member_changes.customer_change) as customer_change,
        sum(member_changes.active_change) as active_change
    from member_changes
    inner join group_members
        on member_changes.entity_level = group_members.member_level
        and member_changes.entity_id = group_members.member_id
    group by group_members.group_level, group_members.group_id, member_changes.month_number

),

group_states as (

    select
        group_level,
        group_id,
        month_number,
        sum(customer_change) over group_history > 0
        and sum(active_change) over group_history = 0 as is_inactive
    from group_changes
    window group_history as (
        partition by group_level, group_id order by month_number
        rows between unbounded preceding and current row
    )

),

-- the months a group turns inactive and back, then the stretches it stays inactive
group_turns as (

    select *
    from (
        select
            *,
            coalesce(
                lag(is_inactive) over (partition by group_level, group_id order by month_number), false
            ) as was_inactive
        from group_states
    ) as states
    where is_inactive <> was_inactive

),

inactive_stretches as (

    select *
    from (
        select
            group_level,
            group_id,
            is_inactive,
            month_number as inactive_from,
            -- the month it is active again (null: still inactive)
            lead(month_number) over (partition by group_level, group_id order by month_number) as inactive_to
        from group_turns
    ) as turns
    where is_inactive

),

-- reactivated in the last inactive month: a customer member was active in it
reactivations as (

    select
        inactive_stretches.group_level,
        inactive_stretches.group_id,
        inactive_stretches.inactive_to - 1 as month_number
    from inactive_stretches
    cross join bounds
    where inactive_stretches.inactive_to <= bounds.as_of_month_number + 1

),

reactivated_revenue as (

    select
        group_level,
        group_id,
        month_number,
        sum(amount) as revenue
    from (
        select distinct
            reactivations.group_level,
            reactivations.group_id,
            reactivations.month_number,
            signals.source_record_id,
            signals.amount
        from reactivations
        inner join group_members
            on reactivations.group_level = group_members.group_level
            and reactivations.group_id = group_members.group_id
        inner join signals
            on group_members.member_level = signals.entity_level
            and group_members.member_id = signals.entity_id
            and reactivations.month_number = signals.month_number
            and signals.is_purchase
    ) as purchases
    group by group_level, group_id, month_number

),

-- per month, level and line: what changes (counts that carry on are summed over the months)
line_changes as (

    select
        group_level,
        group_id,
        min(month_number) as month_number,
        1 as customer_change,
        0 as inactive_change,
        0 as reactivated,
        0 as revenue
    from group_changes
    where customer_change > 0
    group by group_level, group_id

    union all
    select group_level, group_id, inactive_from, 0, 1, 0, 0
    from inactive_stretches

    union all
    select group_level, group_id, inactive_to, 0, -1, 0, 0
    from inactive_stretches
    where inactive_to is not null

    union all
    select
        reactivations.group_level,
        reactivations.group_id,
        reactivations.month_number,
        0,
        0,
        1,
        coalesce(reactivated_revenue.revenue, 0)
    from reactivations
    left join reactivated_revenue using (group_level, group_id, month_number)

),

line_month_changes as (

    select
        line_changes.group_level,
        group_lines.business_line,
        line_changes.month_number,
        sum(line_changes.customer_change) as customer_change,
        sum(line_changes.inactive_change) as inactive_change,
        sum(line_changes.reactivated) as reactivated,
        sum(line_changes.revenue) as revenue
    from line_changes
    inner join group_lines
        on line_changes.group_level = group_lines.group_level
        and line_changes.group_id = group_lines.group_id
    group by line_changes.group_level, group_lines.business_line, line_changes.month_number

),

-- every month for every level and line that has entities, so series have no holes
month_spine as (

    select
        unnest(range(bounds.first_month_number, bounds.as_of_month_number + 1)) as month_number,
        bounds.as_of_month_number,
        bounds.is_as_of_month_partial
    from bounds

),

level_lines as (

    select distinct group_level, business_line from group_lines

),

monthly as (

    select
        month_spine.month_number,
        month_spine.month_number = month_spine.as_of_month_number
        and month_spine.is_as_of_month_partial as is_partial_month,
        level_lines.group_level as entity_level,
        level_lines.business_line,
        sum(coalesce(line_month_changes.customer_change, 0)) over line_history as customers,
        sum(coalesce(line_month_changes.inactive_change, 0)) over line_history as inactive_at_start,
        coalesce(line_month_changes.reactivated, 0) as reactivated,
        coalesce(line_month_changes.revenue, 0) as reactivated_revenue
    from month_spine
    cross join level_lines
    left join line_month_changes
        on level_lines.group_level = line_month_changes.group_level
        and level_lines.business_line = line_month_changes.business_line
        and month_spine.month_number = line_month_changes.month_number
    window line_history as (
        partition by level_lines.group_level, level_lines.business_line
        order by month_spine.month_number
        rows between unbounded preceding and current row
    )

)

select
    cast({{ dbt.dateadd('month', 'month_number', "cast('2000-01-01' as date)") }} as date) as month_start,
    is_partial_month,
    entity_level,
    business_line,
    cast(customers as bigint) as customers,
    cast(inactive_at_start as bigint) as inactive_at_start,
    cast(inactive_at_start as double) / nullif(customers, 0) as inactivity_rate,
    cast(reactivated as bigint) as reactivated,
    cast(reactivated as double) / nullif(inactive_at_start, 0) as reactivation_rate,
    cast(reactivated_revenue as decimal(18, 2)) as reactivated_revenue,
    {{ as_of_date() }} as as_of_date
from monthly
