{#- Once a fit exists at or before the as-of date, every customer has a score: null only for
    prospects and erased people (DOMAIN.md: the score ranks every customer). -#}
select individual_id, lifecycle_stage
from {{ ref('individual_activity') }}
where
    lifecycle_stage not in ('prospect', 'erased')
    and inactivity_score is null
    and exists (
        select 1 from {{ source('inactivity_score', 'fits') }}
        where fit_as_of_date <= {{ as_of_date() }}
    )
