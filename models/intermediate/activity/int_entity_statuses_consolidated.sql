{#-
  One row per household and per account: the status consolidated upwards (DOMAIN.md).
  A household is as engaged as its most engaged member; an account as the most engaged of
  itself (its account-level events) and the individuals holding a current role on it.
  "Most engaged" is the seed lifecycle_stages' engagement_rank: active, at_risk, dormant,
  lost, then prospect (a member who never bought does not make a dormant household
  active), then erased. Ties go to the most recent activity.
-#}
with

evaluated as (select * from {{ ref('int_entity_statuses_evaluated') }}),
individuals as (select * from {{ ref('int_individuals_householded') }}),
roles as (select * from {{ ref('int_account_roles_current') }}),

individual_statuses as (
    select * from evaluated
    where entity_level = 'individual'
),

candidates as (

    -- every member of a household
    select
        'household' as entity_level,
        individuals.household_id as entity_id,
        'member' as via_role,
        individual_statuses.entity_id as via_individual_id,
        {{ star_except(['entity_level', 'entity_id'], 'individual_statuses') }}
    from individuals
    inner join individual_statuses on individuals.individual_id = individual_statuses.entity_id

    union all

    -- the account itself
    select
        'account', entity_id, 'account', null,
        {{ star_except(['entity_level', 'entity_id']) }}
    from evaluated
    where entity_level = 'account'

    union all

    -- every individual holding a current role on the account
    select
        'account', roles.account_id, roles.role, individual_statuses.entity_id,
        {{ star_except(['entity_level', 'entity_id'], 'individual_statuses') }}
    from roles
    inner join individual_statuses on roles.individual_id = individual_statuses.entity_id

),

ranked as (

    select
        *,
        row_number() over (
            partition by entity_level, entity_id
            order by engagement_rank asc, last_activity_at desc nulls last, via_individual_id asc nulls first, via_role asc
        ) as decisive_rank
    from candidates

),

facts as (

    select
        entity_level,
        entity_id,
        count(distinct via_individual_id) as individual_count,
        max(last_activity_at) as last_activity_at,
        max_by(last_activity_department, {{ struct_of({'at': 'last_activity_at', 'individual_id': 'via_individual_id'}) }})
            as last_activity_department,
        max(last_purchase_at) as last_purchase_at,
        bool_or(has_open_dispute) as has_open_dispute
    from candidates
    group by entity_level, entity_id

)

select
    ranked.entity_level,
    ranked.entity_id,
    ranked.lifecycle_stage,
    ranked.is_inactive,
    ranked.status_rule,
    case
        when ranked.via_individual_id is null then ranked.status_reason
        else
            'through ' || replace(ranked.via_role, '_', ' ') || ' ' || ranked.via_individual_id
            || ': ' || ranked.status_reason
    end as status_reason,
    ranked.via_individual_id as decided_by_individual_id,
    ranked.via_role as decided_by,
    ranked.as_of_date,
    facts.individual_count,
    facts.last_activity_at,
    facts.last_activity_department,
    facts.last_purchase_at,
    facts.has_open_dispute
from ranked
inner join facts using (entity_level, entity_id)
where ranked.decisive_rank = 1
