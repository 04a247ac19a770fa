{#- One row per individual: the shared inactivity status every department reads. -#}
with

evaluated as (
    select * from {{ ref('int_entity_statuses_evaluated') }}
    where entity_level = 'individual'
),

individuals as (select * from {{ ref('int_individuals_householded') }}),

scores as ({{ inactivity_scores() }})

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
    -- the score ranks customers; the stage decides. None for prospects and erased people.
    case when evaluated.lifecycle_stage not in ('prospect', 'erased') then scores.inactivity_score end
        as inactivity_score,
    case when evaluated.lifecycle_stage not in ('prospect', 'erased') then scores.score_drivers end
        as score_drivers,
    case when evaluated.lifecycle_stage not in ('prospect', 'erased') then scores.p_alive end
        as p_alive,
    case
        when evaluated.lifecycle_stage not in ('prospect', 'erased')
            then scores.expected_purchases_next_window
    end as expected_purchases_next_window,
    evaluated.as_of_date
from evaluated
inner join individuals on evaluated.entity_id = individuals.individual_id
left join scores on evaluated.entity_id = scores.individual_id
