{#- One row per individual: the shared inactivity status every department reads. -#}
with

evaluated as (
    select * from {{ ref('int_entity_statuses_evaluated') }}
    where entity_level = 'individual'
),

individuals as (select * from {{ ref('int_individuals_householded') }})

select
    evaluated.entity_id as individual_id,
    individuals.household_id,
    evaluated.lifecycle_stage,
    evaluated.is_inactive,
    evaluated.status_reason,
    evaluated.status_rule,
    evaluated.last_activity_at,
    evaluated.last_activity_department,
    evaluated.last_purchase_at,
    evaluated.first_purchase_at,
    evaluated.has_open_dispute,
    evaluated.open_item_count,
    evaluated.unanswered_reactivation_waves,
    evaluated.business_line,
    evaluated.inactivity_window_months,
    {%- for department in var('departments') %}
    evaluated.last_{{ department }}_activity_at,
    {%- endfor %}
    -- the learned inactivity score arrives with the reactivation work; null until then
    cast(null as double) as inactivity_score,
    evaluated.as_of_date
from evaluated
inner join individuals on evaluated.entity_id = individuals.individual_id
