{#-
  One row per individual: the relaunch they get at the as-of date, or every reason they get
  none. Of a person's eligible routes (int_reactivation_routes_evaluated) one is kept: a
  person gets at most one message a day (the business line's own level first, then their
  accounts in id order).

  The deliverability cap (DOMAIN.md): in each step's email sends, with A email-active
  contacts, at most floor(A x p / (100 - p)) email-inactive ones, p being the step's share
  from int_reactivation_deliverability_ramp (10 % gives floor(A / 9)). The email-inactive
  contacts over the cap, lowest priority first, are deferred: excluded today with that
  reason, due again tomorrow (nothing was sent, so their scenario does not move).

  priority ranks today's contacts, 1 first: most recent activity, then purchase value
  (until the inactivity score exists).
-#}
{{ config(tags=['behind_quality_gate', 'reactivation']) }}

with

routes as (select * from {{ ref('int_reactivation_routes_evaluated') }}),
contact_points as (select * from {{ ref('int_reactivation_contact_points') }}),
ramp as (select * from {{ ref('int_reactivation_deliverability_ramp') }}),

chosen as (

    select
        routes.*,
        row_number() over (
            partition by routes.individual_id order by routes.route_rank, routes.entity_id
        ) as choice_rank
    from routes
    where routes.scenario is not null and len(routes.reasons) = 0
    qualify choice_rank = 1

),

prioritised as (

    select
        chosen.*,
        contact_points.is_email_inactive,
        row_number() over (
            order by
                chosen.last_activity_at desc nulls last,
                contact_points.purchase_value desc,
                chosen.individual_id asc
        ) as priority
    from chosen
    inner join contact_points on chosen.individual_id = contact_points.individual_id

),

email_waves as (

    select
        prioritised.*,
        count(*) filter (where not prioritised.is_email_inactive) over (
            partition by prioritised.scenario, prioritised.next_step
        ) as email_active_contacts,
        case when prioritised.is_email_inactive then row_number() over (
            partition by prioritised.scenario, prioritised.next_step, prioritised.is_email_inactive
            order by prioritised.priority
        ) end as email_inactive_rank,
        ramp.email_inactive_max_percent
    from prioritised
    inner join ramp on prioritised.scenario = ramp.scenario and prioritised.next_step = ramp.step
    where prioritised.channel = 'email'

),

capped as (

    select
        individual_id,
        email_active_contacts,
        email_inactive_max_percent,
        -- integer arithmetic: 20 active contacts at 10 % allow exactly 2, not 2.0000001
        case
            when email_inactive_max_percent < 100 then
                (email_active_contacts * email_inactive_max_percent) // (100 - email_inactive_max_percent)
        end as email_inactive_allowed,
        email_inactive_rank
    from email_waves

),

targets as (

    select
        prioritised.*,
        coalesce(capped.email_inactive_rank > capped.email_inactive_allowed, false) as is_deferred
    from prioritised
    left join capped on prioritised.individual_id = capped.individual_id

),

-- everyone's reasons over all their routes, each once, in the order first given
route_reasons as (

    select
        individual_id,
        route_rank,
        entity_id,
        unnest(reasons) as reason,
        generate_subscripts(reasons, 1) as reason_position
    from routes

),

all_reasons as (

    select
        individual_id,
        list(reason order by first_given) as reasons
    from (
        select
            individual_id,
            reason,
            min((route_rank, entity_id, reason_position)) as first_given
        from route_reasons
        group by individual_id, reason
    ) as distinct_reasons
    group by individual_id

),

selected as (

    select
        contact_points.individual_id,
        targets.individual_id is not null and not targets.is_deferred as is_target,
        targets.targeting_level,
        targets.entity_id as targeted_entity_id,
        targets.account_id,
        targets.role,
        targets.role_message,
        targets.scenario,
        targets.next_step as wave,
        targets.next_step_message as step_message,
        targets.next_step_offer as offer,
        targets.channel,
        targets.is_email_inactive,
        targets.priority,
        case
            when targets.is_deferred
                then [{
                    'code': 'deferred_by_deliverability_cap',
                    'text': 'deferred by the deliverability cap ('
                    || capped.email_inactive_allowed || ' email-inactive contacts allowed beside '
                    || capped.email_active_contacts || ' email-active ones in '
                    || replace(targets.scenario, '_', ' ') || ' step ' || targets.next_step || ')'
                }]
            when targets.individual_id is null then coalesce(all_reasons.reasons, [])
            else []
        end as reasons
    from contact_points
    left join targets on contact_points.individual_id = targets.individual_id
    left join capped on targets.individual_id = capped.individual_id
    left join all_reasons on contact_points.individual_id = all_reasons.individual_id

)

select
    *,
    list_transform(reasons, lambda reason: struct_extract(reason, 'code')) as reason_codes
from selected
