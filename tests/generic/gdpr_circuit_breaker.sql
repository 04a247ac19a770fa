{#- The GDPR circuit breaker, on gdpr_erasure_candidates: one row (the counts and the message
    the run prints) when this run would erase more subjects than both
    var gdpr_breaker_max_share of `base` and var gdpr_breaker_max_subjects, without approval
    (var gdpr_erasure_approved). Severity error: dbt then skips everything built on the
    candidates (the manifest, the tombstones, the audit log), and the run fails before it
    erases or publishes anything. Its row is stored (store_failures) so that the command line
    can print the message from the build the failed run sets aside.

    It guards erasure only: it stops a run that is live (not a replay) and builds
    `erasure_model` (the manifest, named, not ref'd: a ref would run this test after it); a
    run that only reads the candidates (the reactivation job) goes on. -#}
{% test gdpr_circuit_breaker(model, base, erasure_model) %}

{%- set approved = var('gdpr_erasure_approved') | string | lower in ('true', '1', 'yes') -%}
{%- set max_share = var('gdpr_breaker_max_share') -%}
{%- set max_subjects = var('gdpr_breaker_max_subjects') -%}
{%- set erases = ('model.' ~ project_name ~ '.' ~ erasure_model) in selected_resources -%}

with

counts as (

    select
        count(*) filter (where erasure_status = 'to_erase') as subjects_to_erase,
        (select count(*) from {{ base }}) as subjects_in_base
    from {{ model }}

)

select
    subjects_to_erase,
    subjects_in_base,
    'GDPR circuit breaker: ' || subjects_to_erase || ' subjects ('
    || round(100.0 * subjects_to_erase / subjects_in_base, 1) || ' % of ' || subjects_in_base
    || ') would be erased in this run, above both {{ max_share * 100 }} % and {{ max_subjects }}. '
    || 'Nothing was erased or published; review marts.gdpr_erasure_candidates in the build this run sets aside, then approve the run: '
    || 'GDPR_APPROVE_ERASURE=true make run, or launch the gdpr_erasure job with '
    || 'resources.run_settings.config.approve_gdpr_erasure: true' as message
from counts
where
    {{ 'true' if erases and not approved else 'false' }}
    -- a replay erases nobody: nothing to stop
    and {{ erasure_is_live() }}
    and subjects_to_erase > {{ max_subjects }}
    and subjects_to_erase > {{ max_share }} * subjects_in_base

{% endtest %}
