{#-
  One row per way an individual could be relaunched at the as-of date (a "route"), with
  the scenario step due on it and every reason that stops it (DOMAIN.md, "Reactivation"):

  - their business line's targeting level (seed business_lines): themselves, or their
    household (one relaunch per dormant household, to the member who bought last among
    those who can be contacted);
  - each current role on an account relaunched at account level: every role-holder of a
    dormant account is a contact, whatever their own stage, with their role's message;
  - a scenario with a fixed level (seed reactivation_scenarios: declining activity is
    person by person) for people whose business line relaunches at another level.

  A route is eligible when a scenario applies to its entity's stage, its next step is due,
  and nothing stops it. int_reactivation_contacts_selected keeps one eligible route per
  person and applies the deliverability cap. Reason codes: seed reactivation_exclusion_reasons.
-#}
{{ config(tags=['behind_quality_gate', 'reactivation']) }}

with

statuses as (select * from {{ ref('int_entity_statuses_evaluated') }}),
consolidated as (select * from {{ ref('int_entity_statuses_consolidated') }}),
entities as (select * from {{ ref('int_entities_windowed') }}),
business_lines as (select * from {{ ref('business_lines') }}),
households as (select * from {{ ref('int_individuals_householded') }}),
roles as (select * from {{ ref('int_account_roles_current') }}),
role_messages as (select * from {{ ref('account_role_messages') }}),
subscriptions as (select * from {{ ref('stg_landing__subscriptions') }}),
erasure_candidates as (select * from {{ ref('gdpr_erasure_candidates') }}),
scenarios as (select * from {{ ref('reactivation_scenarios') }}),
states as (select * from {{ ref('int_reactivation_scenario_states') }}),
contact_points as (select * from {{ ref('int_reactivation_contact_points') }}),

people as (

    select
        statuses.entity_id as individual_id,
        households.household_id,
        statuses.lifecycle_stage,
        statuses.is_erased,
        statuses.open_item_description,
        statuses.last_activity_at,
        statuses.last_purchase_at,
        business_lines.relaunch_targeting_level as targeting_level
    from statuses
    inner join households on statuses.entity_id = households.individual_id
    inner join business_lines on statuses.business_line = business_lines.business_line
    where statuses.entity_level = 'individual'

),

account_level_roles as (

    -- one role per person and account: the one whose message they get (seed role_rank)
    select
        roles.individual_id,
        roles.account_id,
        arg_min(roles.role, role_messages.role_rank) as role,
        arg_min(role_messages.role_message, role_messages.role_rank) as role_message
    from roles
    inner join entities on entities.entity_level = 'account' and roles.account_id = entities.entity_id
    inner join business_lines on entities.business_line = business_lines.business_line
    left join role_messages on roles.role = role_messages.role
    where business_lines.relaunch_targeting_level = 'account'
    group by roles.individual_id, roles.account_id

),

routes as (

    -- the business line's level: the person, or their household
    select
        individual_id,
        targeting_level,
        case targeting_level when 'household' then household_id else individual_id end as entity_id,
        cast(null as string) as account_id,
        cast(null as string) as role,
        cast(null as string) as role_message,
        'business_line' as route,
        1 as route_rank
    from people
    where targeting_level in ('individual', 'household')

    union all
    -- every current role on an account relaunched at account level
    select individual_id, 'account', account_id as entity_id, account_id, role, role_message, 'account_role', 2
    from account_level_roles

    union all
    -- relaunched at account level, but through no account
    select individual_id, 'account', null, null, null, null, 'business_line', 3
    from people
    where
        targeting_level = 'account'
        and not exists (
            select 1 from account_level_roles
            where account_level_roles.individual_id = people.individual_id
        )

    union all
    -- a scenario of a fixed level (declining activity: the person), for people whose own
    -- stage it relaunches and whose business line targets another level
    select
        people.individual_id, scenarios.targeting_level, people.individual_id as entity_id,
        null, null, null, 'scenario_level', 0
    from people
    inner join scenarios
        on people.lifecycle_stage = scenarios.lifecycle_stage
        and scenarios.targeting_level = 'individual'
    where people.targeting_level <> 'individual'

),

routes_staged as (

    select
        routes.*,
        case routes.targeting_level
            when 'individual' then people.lifecycle_stage
            else consolidated.lifecycle_stage
        end as entity_stage
    from routes
    inner join people on routes.individual_id = people.individual_id
    left join consolidated
        on routes.targeting_level = consolidated.entity_level
        and routes.entity_id = consolidated.entity_id

),

routes_with_scenario as (

    select
        routes_staged.*,
        scenarios.scenario
    from routes_staged
    left join scenarios
        on routes_staged.entity_stage = scenarios.lifecycle_stage
        and (
            routes_staged.targeting_level = scenarios.targeting_level
            or (scenarios.targeting_level = 'business_line' and routes_staged.route <> 'scenario_level')
        )

),

-- "their own or their account's": open items, auto-renewals on any account they hold a role on
person_accounts as (

    select distinct individual_id, account_id from roles

),

account_open_items as (

    select
        person_accounts.individual_id,
        string_agg(
            'open item on account ' || person_accounts.account_id || ': ' || statuses.open_item_description,
            '; ' order by person_accounts.account_id
        ) as description
    from person_accounts
    inner join statuses
        on statuses.entity_level = 'account'
        and person_accounts.account_id = statuses.entity_id
        and statuses.open_item_count > 0
    -- a B2C account's item is already the person's own (keyed_by_entity): say it once
    left join people
        on person_accounts.individual_id = people.individual_id
        and statuses.open_item_description = people.open_item_description
    where people.individual_id is null
    group by person_accounts.individual_id

),

auto_renewals as (

    select
        person_accounts.individual_id,
        string_agg(
            'auto-renewing subscription ' || subscriptions.subscription_id
            || ' on account ' || person_accounts.account_id,
            '; ' order by person_accounts.account_id, subscriptions.subscription_id
        ) as description
    from person_accounts
    inner join subscriptions on person_accounts.account_id = subscriptions.account_id
    where
        subscriptions.auto_renew
        and {{ is_known_at_as_of('subscriptions.started_at') }}
        and (subscriptions.ended_at is null or not {{ is_known_at_as_of('subscriptions.ended_at') }})
    group by person_accounts.individual_id

),

erasures as (

    select individual_id, string_agg(rule, ', ' order by rule) as rules
    from erasure_candidates
    -- to be erased today, asked for, or due once a legal hold lifts: not to be relaunched
    where erasure_status <> 'erased'
    group by individual_id

),

reasoned as (

    select
        routes_with_scenario.*,
        people.household_id,
        people.lifecycle_stage,
        people.last_activity_at,
        people.last_purchase_at,
        states.next_step,
        states.next_step_due_on,
        states.next_step_message,
        states.next_step_offer,
        contact_points.channel,
        list_filter([
            case when people.is_erased then { 'code': 'erased', 'text': 'erased (GDPR)' } end,
            case
                when erasures.rules is not null then
                    { 'code': 'erasure_pending', 'text': 'erasure pending (' || erasures.rules || ')' }
            end,
            case when contact_points.is_deceased then { 'code': 'deceased', 'text': 'deceased' } end,
            case
                when people.open_item_description is not null then
                    { 'code': 'open_item', 'text': people.open_item_description }
            end,
            case
                when account_open_items.description is not null then
                    { 'code': 'open_item', 'text': account_open_items.description }
            end,
            case
                when auto_renewals.description is not null then
                    { 'code': 'auto_renewal', 'text': auto_renewals.description }
            end,
            case
                when contact_points.channel is null then
                    { 'code': 'no_reachable_channel', 'text': 'no consented and reachable channel' }
            end,
            -- only customers are relaunched; an account's role-holders whatever their stage
            case
                when people.lifecycle_stage = 'prospect' and routes_with_scenario.route <> 'account_role' then
                    { 'code': 'prospect', 'text': 'prospect (never purchased)' }
            end,
            case
                when routes_with_scenario.entity_id is null then
                    { 'code': 'no_account_role', 'text': 'no current role on an account relaunched at account level' }
            end,
            case
                when
                    routes_with_scenario.scenario is not null
                    or routes_with_scenario.entity_stage in ('lost', 'erased', 'prospect')
                    or routes_with_scenario.entity_id is null then null
                when routes_with_scenario.targeting_level = 'individual'
                    then
                        { 'code': 'not_inactive', 'text': 'not inactive (' || routes_with_scenario.entity_stage || ')' }
                else {
                    'code': routes_with_scenario.targeting_level || '_not_inactive',
                    'text': routes_with_scenario.targeting_level || ' ' || routes_with_scenario.entity_id
                    || ' not inactive (' || routes_with_scenario.entity_stage || ')'
                }
            end,
            -- lost customers are no longer contacted: the person (but an account's
            -- role-holders are contacts whatever their own stage), or the entity relaunched
            case
                when people.lifecycle_stage = 'lost' and routes_with_scenario.route <> 'account_role' then
                    { 'code': 'lost', 'text': 'lost' }
            end,
            case
                when routes_with_scenario.entity_stage = 'lost' and routes_with_scenario.targeting_level <> 'individual' then
                    {
                        'code': 'lost', 'text': routes_with_scenario.targeting_level || ' '
                        || routes_with_scenario.entity_id || ' lost'
                    }
            end,
            -- an account that never purchased is not relaunched either: its role-holders
            -- (whose own stage does not count, above) had no reason at all (2 of 885,703
            -- people at 1,000,000 individuals, caught by reason_count's accepted_range)
            case
                when routes_with_scenario.entity_stage = 'prospect' and routes_with_scenario.route = 'account_role' then
                    {
                        'code': 'prospect', 'text': routes_with_scenario.targeting_level || ' '
                        || routes_with_scenario.entity_id || ' prospect (never purchased)'
                    }
            end,
            case
                when routes_with_scenario.scenario is not null and states.next_step is null then
                    {
                        'code': 'scenario_completed', 'text': replace(routes_with_scenario.scenario, '_', ' ')
                        || ' scenario completed: step ' || states.current_step || ' sent on '
                        || cast(states.current_step_sent_on as string) || ', unanswered'
                    }
            end,
            case
                when states.next_step is not null and states.next_step_due_on > {{ as_of_date() }} then
                    { 'code': 'next_step_not_due', 'text': 'next step not due until ' || cast(states.next_step_due_on as string) }
            end
        ], lambda reason: reason is not null) as reasons
    from routes_with_scenario
    inner join people on routes_with_scenario.individual_id = people.individual_id
    inner join contact_points on routes_with_scenario.individual_id = contact_points.individual_id
    left join states
        on routes_with_scenario.targeting_level = states.entity_level
        and routes_with_scenario.entity_id = states.entity_id
        and routes_with_scenario.scenario = states.scenario
    left join erasures on routes_with_scenario.individual_id = erasures.individual_id
    left join account_open_items on routes_with_scenario.individual_id = account_open_items.individual_id
    left join auto_renewals on routes_with_scenario.individual_id = auto_renewals.individual_id

),

-- a household is relaunched once: to the eligible member who bought last
household_contacts as (

    select
        entity_id as household_id,
        arg_max(individual_id, (last_purchase_at, individual_id)) as contact_individual_id
    from reasoned
    where targeting_level = 'household' and scenario is not null and len(reasons) = 0
    group by entity_id

),

routes_reasoned as (

    select
        reasoned.* exclude (reasons),
        reasoned.reasons || case
            when
                reasoned.targeting_level = 'household' and len(reasoned.reasons) = 0
                and household_contacts.contact_individual_id <> reasoned.individual_id
                then [{
                    'code': 'household_contact_elsewhere',
                    'text': 'household ' || reasoned.entity_id || ' relaunched through '
                    || household_contacts.contact_individual_id
                }]
            else []
        end as reasons
    from reasoned
    left join household_contacts
        on reasoned.targeting_level = 'household'
        and reasoned.entity_id = household_contacts.household_id

)

select
    *,
    list_transform(reasons, lambda reason: struct_extract(reason, 'code')) as reason_codes
from routes_reasoned
