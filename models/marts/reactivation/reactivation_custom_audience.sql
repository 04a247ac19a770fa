{#- One row per customer due a relaunch step who consented to no channel and never
    unsubscribed or complained (DOMAIN.md): reachable on social networks and display
    through a custom audience. Only SHA-256 hashes (lower-case hex) of the normalised email
    and of the E.164 phone leave the company, never the clear values. -#}
{{ config(tags=['behind_quality_gate', 'reactivation']) }}

with

routes as (select * from {{ ref('int_reactivation_routes_evaluated') }}),
contact_points as (select * from {{ ref('int_reactivation_contact_points') }}),

-- due a step, and stopped by nothing but the missing channel
due_without_channel as (

    select
        individual_id,
        arg_min(scenario, (route_rank, entity_id)) as scenario,
        arg_min(next_step, (route_rank, entity_id)) as wave
    from routes
    where
        scenario is not null
        and len(reasons) = 1
        and reasons[1].code = 'no_reachable_channel'
    group by individual_id

)

select
    {{ as_of_date() }} as as_of_date,
    due_without_channel.individual_id,
    due_without_channel.scenario,
    due_without_channel.wave,
    {{ hashed_contact_point('contact_points.email_normalized') }} as hashed_email,
    {{ hashed_contact_point('contact_points.phone_e164') }} as hashed_phone
from due_without_channel
inner join contact_points on due_without_channel.individual_id = contact_points.individual_id
where
    contact_points.has_no_consent
    and not contact_points.has_unsubscribed_or_complained
    and (contact_points.email_normalized is not null or contact_points.phone_e164 is not null)
