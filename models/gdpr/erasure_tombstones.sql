{#- Append-only: the salted hash of every subject erased, never their id or data. The
    landing checks blank the personal columns of these subjects on every later run
    (through the view of macro create_gdpr_tombstones_view), so a subject erased stays
    erased when a source sends them again. Built after the manifest, i.e. behind the
    circuit breaker. -#}
{{ config(materialized='incremental', full_refresh=false, on_schema_change='append_new_columns', tags=['behind_quality_gate', 'gdpr', 'gdpr_erasure_step']) }}
-- depends_on: {{ ref('gdpr_erasure_manifest') }}

select
    {{ gdpr_subject_hash('individual_id') }} as subject_hash,
    rule,
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as erased_at,
    '{{ var("run_id") or invocation_id }}' as run_id,
    -- which salt made the hash: a run with another salt stops (orchestration/gdpr_salt.py)
    gdpr_salt_fingerprint() as salt_fingerprint
from {{ ref('gdpr_erasure_candidates') }}
where
    erasure_status = 'to_erase'
    -- a replay of an earlier date erases nobody
    and {{ erasure_is_live() }}
