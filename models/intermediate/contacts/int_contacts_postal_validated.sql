{#- The postal code checked against the official list and the locality against that code's
    routing labels (accent- and case-insensitive, ST = SAINT), giving line 6 and
    postal_status. Corrections, each documented in the seed contact_quality_reasons:
    - a 4-digit code gets its leading zero back (a spreadsheet dropped it) when the padded
      code is official and routes to the given locality;
    - a misspelt locality is replaced by the routing label when the code leaves no doubt:
      exactly one of its labels is at least {{ var('locality_similarity_min') }} similar
      (Jaro-Winkler), or the locality is empty and the code has a single label. -#}
with

contacts as (select * from {{ ref('int_contacts_restructured') }}),

localities as (select * from {{ ref('int_postal_localities') }}),

candidates as (

    select
        individual_id,
        postal_code,
        locality,
        cedex,
        country_code,
        {{ locality_key('locality') }} as given_key,
        case
            when {{ regex_full_match('postal_code', '[0-9]{5}') }} then postal_code
            when {{ regex_full_match('postal_code', '[0-9]{4}') }} then '0' || postal_code
        end as candidate_code
    from contacts

),

scored as (

    select
        candidates.individual_id,
        localities.routing_label,
        localities.locality_key = candidates.given_key as is_exact,
        coalesce(jaro_winkler_similarity(localities.locality_key, candidates.given_key), 0) as similarity
    from candidates
    inner join localities on candidates.candidate_code = localities.postal_code

),

per_contact as (

    select
        individual_id,
        count(distinct routing_label) as routing_labels,
        any_value(routing_label) filter (where is_exact) as exact_label,
        -- the labels close enough to be the intended one: a correction needs exactly one
        count(distinct routing_label) filter (where similarity >= {{ var('locality_similarity_min') }}) as close_labels,
        max_by(routing_label, similarity) as closest_label
    from scored
    group by individual_id

),

validated as (

    select
        candidates.*,
        per_contact.individual_id is not null as code_is_official,
        per_contact.exact_label,
        case
            when per_contact.close_labels = 1 then per_contact.closest_label
            when candidates.given_key is null and per_contact.routing_labels = 1 then per_contact.closest_label
        end as corrected_label
    from candidates
    left join per_contact on candidates.individual_id = per_contact.individual_id

),

resolved as (

    select
        *,
        -- the routing label line 6 carries when the locality checks out (or was corrected)
        coalesce(exact_label, corrected_label) as official_label,
        -- a checked French code (its leading zero restored), else the code as given
        case
            when country_code = 'FR' and coalesce(exact_label, corrected_label) is not null then candidate_code
            else postal_code
        end as checked_postal_code
    from validated

)

select
    individual_id,
    case
        when country_code <> 'FR' then 'foreign_address'
        when postal_code is null then 'postal_code_missing'
        when candidate_code is null then 'postal_code_malformed'
        when not code_is_official and cedex is not null and candidate_code = postal_code then 'cedex_not_verifiable'
        when not code_is_official and candidate_code = postal_code then 'postal_code_unknown'
        when candidate_code <> postal_code and official_label is null then 'postal_code_malformed'
        when candidate_code <> postal_code then 'postal_code_corrected'
        when exact_label is not null then 'valid'
        when corrected_label is not null then 'locality_corrected'
        else 'locality_mismatch'
    end as postal_status,
    checked_postal_code as postal_code,
    coalesce(official_label, locality) as locality,
    left(trim(concat_ws(' ', checked_postal_code, coalesce(official_label, locality), cedex)), 38) as line_6
from resolved
