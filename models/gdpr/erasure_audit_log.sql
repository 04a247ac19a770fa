{#- Append-only audit of the erasures: one row per subject erased per run, with the run,
    the rule, a salted hash of the subject id and the actions taken. No personal data, and
    never rewritten (full_refresh false): a subject erased before is not in `to_erase`
    again, so a later run adds nothing for them. -#}
{{ config(materialized='incremental', full_refresh=false, tags=['behind_quality_gate', 'gdpr', 'gdpr_erasure_step']) }}

with

erased as (

    select individual_id, rule
    from {{ ref('gdpr_erasure_candidates') }}
    -- a replay of an earlier date erases nobody
    where erasure_status = 'to_erase' and {{ erasure_is_live() }}

),

actions as (

    select individual_id, action, count(*) as records
    from {{ ref('gdpr_erasure_manifest') }}
    group by individual_id, action

)

select
    '{{ var("run_id") or invocation_id }}' as run_id,
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as erased_at,
    erased.rule,
    {{ gdpr_subject_hash('erased.individual_id') }} as subject_hash,
    coalesce(
        'manifest: ' || string_agg(actions.action || ' ' || actions.records, ', ' order by actions.action) || '; ',
        'manifest: no source record; '
    ) || 'warehouse: personal columns blanked, stage erased' as actions_taken
from erased
left join actions on erased.individual_id = actions.individual_id
group by erased.individual_id, erased.rule
