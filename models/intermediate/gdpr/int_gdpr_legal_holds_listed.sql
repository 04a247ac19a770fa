{#- One row per individual and legal hold at the as-of date (DOMAIN.md: an open dispute, an
    unpaid invoice, an active subscription or contract, an open order; which open items
    are holds is the seed gdpr_legal_holds), plus records of theirs under quarantine: a
    hold the quarantine hides (an open dispute on an account missing from its file) must
    not let them be erased. Held subjects are listed, never erased. -#}
with

open_items as (select * from {{ ref('int_open_items_listed') }}),
legal_holds as (select * from {{ ref('gdpr_legal_holds') }}),
roles as (select * from {{ ref('int_account_roles_current') }}),

held_items as (

    select open_items.*, legal_holds.hold_type, legal_holds.hold_label
    from open_items
    inner join legal_holds on open_items.event_type = legal_holds.event_type

),

-- an open item of the person, or of their B2C account (keyed_by_entity)
item_holds as (

    select entity_id as individual_id, hold_type, hold_label, item_id, opened_at
    from ({{ keyed_by_entity('held_items') }}) as keyed
    where entity_level = 'individual'

),

-- a subscription running at the as-of date holds everyone with a current role on its account
subscription_holds as (

    select
        roles.individual_id, legal_holds.hold_type, legal_holds.hold_label,
        subscriptions.subscription_id as item_id, subscriptions.started_at as opened_at
    from {{ ref('stg_landing__subscriptions') }} as subscriptions
    inner join roles on subscriptions.account_id = roles.account_id
    inner join legal_holds on legal_holds.event_type = 'subscription_started'
    where
        {{ is_known_at_as_of('subscriptions.started_at') }}
        and (subscriptions.ended_at is null or not {{ is_known_at_as_of('subscriptions.ended_at') }})

),

-- records of the person under quarantine: held until the data is clean
quarantined_rows as (

    select
        individual_id,
        -- e.g. "orders rows 4, 9 (orphan_reference(account_id))", at most 5 rows named
        source_table || ' row' || case when count(*) > 1 then 's ' else ' ' end
        || array_to_string(list(source_row_number order by source_row_number)[1:5], ', ')
        || case when count(*) > 5 then ' and ' || (count(*) - 5) || ' more' else '' end
        || ' (' || failed_checks || ')' as rows_described
    from {{ ref('int_gdpr_quarantined_rows_linked') }}
    where individual_id is not null
    group by individual_id, source_table, failed_checks

),

quarantine_holds as (

    select
        individual_id,
        'records_under_quarantine' as hold_type,
        'quarantine' as item_id,
        'records under quarantine: ' || string_agg(rows_described, '; ' order by rows_described)
            as hold_reason
    from quarantined_rows
    group by individual_id

)

select distinct
    individual_id,
    hold_type,
    item_id,
    hold_label || ' ' || item_id || ' since ' || strftime(opened_at, '%Y-%m-%d') as hold_reason
from (
    select * from item_holds
    union all
    select * from subscription_holds
) as holds
union all
select individual_id, hold_type, item_id, hold_reason from quarantine_holds
