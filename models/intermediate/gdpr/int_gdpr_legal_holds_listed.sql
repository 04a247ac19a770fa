{#- One row per individual and legal hold at the as-of date (DOMAIN.md: an open dispute, an
    unpaid invoice, an active subscription or contract, an open order; which items are
    holds, and whom each holds, is the seed gdpr_legal_holds), plus records of theirs under
    quarantine: a hold the quarantine hides (an open dispute on an account missing from its
    file) must not let them be erased. Held subjects are listed, never erased. -#}
with

open_items as (select * from {{ ref('int_open_items_listed') }}),
subscriptions as (select * from {{ ref('stg_landing__subscriptions') }}),
legal_holds as (select * from {{ ref('gdpr_legal_holds') }}),
roles as (select * from {{ ref('int_account_roles_current') }}),

-- what runs at the as-of date: the open items, and the subscriptions started and not ended
running_items as (

    select event_type, item_id, account_id, individual_id, opened_at
    from open_items
    union all
    select 'subscription_started', subscription_id, account_id, null, started_at
    from subscriptions
    where
        {{ is_known_at_as_of('started_at') }}
        and (ended_at is null or not {{ is_known_at_as_of('ended_at') }})

),

-- those that are legal holds, and whom each holds (the seed)
held_items as (

    select running_items.*, legal_holds.hold_type, legal_holds.hold_label, legal_holds.holds
    from running_items
    inner join legal_holds on running_items.event_type = legal_holds.event_type

),

-- item_holder: the person on the item, or the holders of its B2C account (keyed_by_entity)
item_holder_holds as (

    select entity_id as individual_id, hold_type, hold_label, item_id, opened_at
    from ({{ keyed_by_entity('held_items') }}) as keyed
    where entity_level = 'individual' and holds = 'item_holder'

),

-- account_role_holders: everyone with a current role on the item's account
account_role_holds as (

    select roles.individual_id, held_items.hold_type, held_items.hold_label, held_items.item_id, held_items.opened_at
    from held_items
    inner join roles on held_items.account_id = roles.account_id
    where held_items.holds = 'account_role_holders'

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
    select * from item_holder_holds
    union all
    select * from account_role_holds
) as holds
union all
select individual_id, hold_type, item_id, hold_reason from quarantine_holds
