{#- One row per contact due a relaunch step at the as-of date (CONTRACT.md), at the targeting
    level of their business line, with what the marketing tool needs to send it: the
    channel's address only (the normalised email, the E.164 mobile, or the six RNVP lines),
    the first name, the send hour and the priority. Every published row is recorded in
    reactivation.contact_log, so the same step is not sent again on a later day. -#}
{{ config(tags=['behind_quality_gate', 'reactivation']) }}

with

selected as (select * from {{ ref('int_reactivation_contacts_selected') }}),
contact_points as (select * from {{ ref('int_reactivation_contact_points') }}),
households as (select * from {{ ref('int_individuals_householded') }})

select
    {{ as_of_date() }} as as_of_date,
    selected.individual_id,
    selected.account_id,
    households.household_id,
    selected.targeting_level,
    selected.targeted_entity_id,
    selected.role,
    selected.scenario,
    selected.wave,
    selected.channel,
    -- at account level the role's message too (the payer does not get the user's message)
    selected.step_message || coalesce(': ' || selected.role_message, '') as message,
    selected.offer,
    selected.step_message,
    selected.role_message,
    contact_points.first_name,
    case when selected.channel = 'email' then contact_points.email_normalized end as email,
    case when selected.channel = 'sms' then contact_points.phone_e164 end as phone_e164,
    {%- for line in range(1, 7) %}
    case when selected.channel = 'postal' then contact_points.line_{{ line }} end as line_{{ line }},
    {%- endfor %}
    contact_points.send_hour,
    selected.priority,
    selected.is_email_inactive
from selected
inner join contact_points on selected.individual_id = contact_points.individual_id
inner join households on selected.individual_id = households.individual_id
where selected.is_target
