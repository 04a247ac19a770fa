{#- One row per customer due a relaunch step who consented to no channel and never
    unsubscribed or complained (DOMAIN.md): reachable on social networks and display
    through a custom audience. Only SHA-256 hashes (lower-case hex) of the normalised email
    and of the E.164 phone leave the company, never the clear values.

    It is a relaunch like the others: one per household (to the member who bought last),
    none for a household relaunched today through a channel, and logged in
    reactivation.contact_log (channel custom_audience) so the scenario moves on. -#}
{{ config(tags=['behind_quality_gate', 'reactivation']) }}

with

routes as (select * from {{ ref('int_reactivation_routes_evaluated') }}),
contact_points as (select * from {{ ref('int_reactivation_contact_points') }}),
selected as (select * from {{ ref('int_reactivation_contacts_selected') }}),

-- the households relaunched (or deferred by the cap) today through a channel
households_relaunched as (

    select distinct targeted_entity_id as household_id
    from selected
    where targeting_level = 'household'

),

-- due a step, stopped by nothing but the missing channel, and fit for an audience
candidates as (

    select
        routes.individual_id,
        routes.household_id,
        routes.account_id,
        routes.targeting_level,
        routes.entity_id,
        routes.scenario,
        routes.next_step,
        routes.route_rank,
        routes.last_purchase_at,
        contact_points.email_normalized,
        contact_points.phone_e164
    from routes
    inner join contact_points on routes.individual_id = contact_points.individual_id
    left join households_relaunched
        on routes.targeting_level = 'household'
        and routes.entity_id = households_relaunched.household_id
    where
        routes.scenario is not null
        and len(routes.reasons) = 1
        and struct_extract(routes.reasons[1], 'code') = 'no_reachable_channel'
        and contact_points.has_no_consent
        and not contact_points.has_unsubscribed_or_complained
        and (contact_points.email_normalized is not null or contact_points.phone_e164 is not null)
        and households_relaunched.household_id is null

),

-- one route per person, as for the targets ...
one_per_person as (

    select * from candidates
    qualify row_number() over (
        partition by individual_id order by route_rank asc, entity_id asc
    ) = 1

),

-- ... and one person per household
chosen as (

    select * from one_per_person
    qualify row_number() over (
        partition by case when targeting_level = 'household' then entity_id else individual_id end
        order by last_purchase_at desc nulls last, individual_id asc
    ) = 1

)

select
    {{ as_of_date() }} as as_of_date,
    individual_id,
    household_id,
    account_id,
    targeting_level,
    entity_id as targeted_entity_id,
    scenario,
    next_step as wave,
    {{ hashed_contact_point('email_normalized') }} as hashed_email,
    {{ hashed_contact_point('phone_e164') }} as hashed_phone
from chosen
