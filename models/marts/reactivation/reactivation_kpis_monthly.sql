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
{#- months are counted from 2000-01, so that windows are additions -#}
{%- set month_zero = "cast('2000-01-01' as date)" %}
with

events as (select * from {{ ref('int_activity_events_unioned') }}),
entities as (select * from {{ ref('int_entities_windowed') }}),
households as (select * from {{ ref('int_individuals_householded') }}),
roles as (select * from {{ ref('int_account_roles_current') }}),

bounds as (

    select
        {{ dbt.datediff(month_zero, 'min(occurred_at)', 'month') }} as first_month_number,
        {{ dbt.datediff(month_zero, as_of_date(), 'month') }} as as_of_month_number,
        -- the as-of month is partial unless the as-of date is its last day
        {{ dbt.datediff(as_of_date(), dbt.dateadd('day', 1, as_of_date()), 'month') }} = 0
            as is_as_of_month_partial
    from events
    where {{ is_known_at_as_of('occurred_at') }}

),

-- what keeps an entity in (DOMAIN.md: "no purchase and no activity"), keyed to the
-- individuals and accounts it reaches (keyed_by_entity) ...
keyed_signals as (

    {{ keyed_by_entity(
        '(select * from ' ~ ref('int_activity_events_unioned') ~ ' where is_activity or is_purchase)'
    ) }}

),

-- ... of which only the months matter
signal_months as (

    select
        entity_level,
        entity_id,
        {{ dbt.datediff(month_zero, 'occurred_at', 'month') }} as month_number,
        bool_or(is_purchase) as has_purchase
    from keyed_signals
    where {{ is_known_at_as_of('occurred_at') }}
    group by entity_level, entity_id, month_number

),

-- members: individuals and accounts, with their own window and a number to sort on (faster
-- than the two text columns)
entities_numbered as (

    select
        *,
        row_number() over (order by entity_level, entity_id) as entity_number
    from entities

),

-- one sort of each member's months: the months before and after, and the month after the
-- first purchase (a customer from then on)
member_months as (

    select
        entities_numbered.entity_number,
        signal_months.entity_level,
        signal_months.entity_id,
        entities_numbered.inactivity_window_months,
        signal_months.month_number,
        lag(signal_months.month_number) over member_history as previous_month_number,
        lead(signal_months.month_number) over member_history as next_month_number,
        min(signal_months.month_number) filter (where signal_months.has_purchase) over (
            member_history rows between unbounded preceding and unbounded following
        ) + 1 as customer_from
    from signal_months
    inner join entities_numbered
        on signal_months.entity_level = entities_numbered.entity_level
        and signal_months.entity_id = entities_numbered.entity_id
    window member_history as (
        partition by entities_numbered.entity_number order by signal_months.month_number
    )

),

-- a signal in month m keeps its member active at the starts of months m+1 .. m+window, so
-- months less than a window apart make one stretch: keep the months opening or closing one
stretch_bounds as (

    select *
    from (
        select
            *,
            coalesce(month_number - previous_month_number > inactivity_window_months, true)
                as opens_stretch,
            coalesce(next_month_number - month_number > inactivity_window_months, true)
                as closes_stretch
        from member_months
        -- a member who never bought never holds a group active
        where customer_from is not null
    ) as bounded
    where opens_stretch or closes_stretch

),

-- [active_from, active_to): the stretch's first month + 1 to its last month + window + 1
signal_stretches as (

    select *
    from (
        select
            entity_level,
            entity_id,
            customer_from,
            opens_stretch,
            month_number + 1 as active_from,
            case
                when closes_stretch then month_number
                else lead(month_number) over (partition by entity_number order by month_number)
            end + inactivity_window_months + 1 as active_to
        from stretch_bounds
    ) as stretches
    where opens_stretch

),

-- the members who bought (each has a month opening a stretch)
members as (

    select distinct entity_level, entity_id, customer_from
    from stretch_bounds

),

-- what changes for a member, month by month: +1 customer when it becomes one; +1 active when
-- a stretch starts for a customer (not before customer_from), -1 when it ends
member_changes as (

    select entity_level, entity_id, customer_from as month_number, 1 as customer_change, 0 as active_change
    from members

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

-- the group's state after each change and before it (one sort: same window, two frames)
group_states as (

    select
        group_level,
        group_id,
        month_number,
        sum(customer_change) over up_to_this_change > 0
        and sum(active_change) over up_to_this_change = 0 as is_inactive,
        coalesce(
            sum(customer_change) over before_this_change > 0
            and sum(active_change) over before_this_change = 0,
            false
        ) as was_inactive
    from group_changes
    window
        group_history as (partition by group_level, group_id order by month_number),
        up_to_this_change as (group_history rows between unbounded preceding and current row),
        before_this_change as (group_history rows between unbounded preceding and 1 preceding)

),

-- the stretches a group stays inactive: from a month it turns inactive to the next turn
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
        from group_states
        where is_inactive <> was_inactive
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

-- the members of each reactivated group in its month (distinct: one relation keyed on member
-- and month, so the purchases below are joined on both at once, never on the month alone)
reactivated_members as (

    select distinct
        reactivations.group_level,
        reactivations.group_id,
        reactivations.month_number,
        group_members.member_level,
        group_members.member_id
    from reactivations
    inner join group_members
        on reactivations.group_level = group_members.group_level
        and reactivations.group_id = group_members.group_id

),

purchases as (

    select
        individual_id,
        account_id,
        source_record_id,
        amount,
        {{ dbt.datediff(month_zero, 'occurred_at', 'month') }} as month_number
    from events
    where is_purchase and {{ is_known_at_as_of('occurred_at') }}

),

keyed_purchases as (

    {{ keyed_by_entity('purchases') }}

),

reactivated_revenue as (

    select
        group_level,
        group_id,
        month_number,
        sum(amount) as revenue
    from (
        -- each order once per group: it is both the account's and its buyer's
        select distinct
            reactivated_members.group_level,
            reactivated_members.group_id,
            reactivated_members.month_number,
            keyed_purchases.source_record_id,
            keyed_purchases.amount
        from reactivated_members
        inner join keyed_purchases
            on reactivated_members.member_level = keyed_purchases.entity_level
            and reactivated_members.member_id = keyed_purchases.entity_id
            and reactivated_members.month_number = keyed_purchases.month_number
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
    cast({{ dbt.dateadd('month', 'month_number', month_zero) }} as date) as month_start,
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
