{#- One row per quarantined landing row (or row with a value set aside) and individual it
    concerns (individual_id null when the row names nobody who can be identified).

    Erasure is irreversible, so a subject is not erased while records of theirs are under
    quarantine (issue: an accounts file missing rows sends the orders, invoices and disputes
    of those accounts to quarantine as orphans, and with them the legal holds they carried).
    A row concerns an individual through its own individual_id, its account (everyone who
    holds or held a role on it, or placed an order on it), its order (invoices) and its
    invoice (payments). The links are read from every landed row, quarantined or not: the
    row that would have linked them may be in quarantine itself. -#}
{%- set link_columns = ['individual_id', 'account_id', 'order_id', 'invoice_id'] -%}
-- depends_on: {{ ref('base_landing__account_contacts') }}
-- depends_on: {{ ref('base_landing__orders') }}
-- depends_on: {{ ref('base_landing__invoices') }}
with

quarantined as (

    {% for table_name in landing_table_names() -%}
    {%- set present = (landing_columns(table_name) | map(attribute='name') | list) if execute else [] -%}
    {%- set link = {} -%}
    {%- for column in link_columns -%}
    {%- do link.update({column: ('cast(' ~ column ~ ' as string)') if column in present else 'cast(null as string)'}) -%}
    {%- endfor -%}
    select
        '{{ table_name }}' as source_table,
        source_row_number,
        -- a value set to null (a dispute's resolved_at after the run...) may hide a hold too
        array_to_string(list_concat(
            failed_checks, list_transform(value_issues, lambda issue: struct_extract(issue, 'code'))
        ), ', ') as failed_checks,
        -- a table with none of the link columns (campaigns) concerns nobody
        {{ 'true' if (present | select('in', link_columns) | list) else 'false' }} as names_people,
        {{ link['individual_id'] }} as individual_id,
        {{ link['account_id'] }} as account_id,
        {{ link['order_id'] }} as order_id,
        {{ link['invoice_id'] }} as invoice_id
    from {{ ref('base_landing__' ~ table_name) }}
    where is_quarantined or len(value_issues) > 0
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

-- everyone linked to an account: a role on it (current or past) or an order placed on it
account_people as (

    select account_id, individual_id from {{ ref('base_landing__account_contacts') }}
    union
    select account_id, individual_id from {{ ref('base_landing__orders') }}

),

order_links as (

    select order_id, account_id, individual_id from {{ ref('base_landing__orders') }}

),

invoice_links as (

    select invoices.invoice_id, invoices.account_id, orders.individual_id, invoices.order_id
    from {{ ref('base_landing__invoices') }} as invoices
    left join order_links as orders on invoices.order_id = orders.order_id

),

-- the accounts, orders and people a quarantined row points at, directly or through its
-- order or invoice
pointed as (

    select
        quarantined.source_table,
        quarantined.source_row_number,
        quarantined.failed_checks,
        quarantined.names_people,
        [
            quarantined.individual_id, order_links.individual_id, invoice_links.individual_id
        ] as individual_ids,
        [
            quarantined.account_id, order_links.account_id, invoice_links.account_id
        ] as account_ids
    from quarantined
    left join order_links on quarantined.order_id = order_links.order_id
    left join invoice_links on quarantined.invoice_id = invoice_links.invoice_id

),

linked as (

    select source_table, source_row_number, failed_checks, unnest(individual_ids) as individual_id
    from pointed
    union
    select pointed.source_table, pointed.source_row_number, pointed.failed_checks, account_people.individual_id
    from pointed, unnest(pointed.account_ids) as accounts (account_id)
    inner join account_people on accounts.account_id = account_people.account_id

)

select source_table, source_row_number, failed_checks, individual_id
from linked
where individual_id is not null
union all
-- a row that names nobody identifiable could be anyone's last contact
select source_table, source_row_number, failed_checks, null as individual_id
from pointed
where
    list_count(list_filter(individual_ids, lambda id: id is not null)) = 0
    and list_count(list_filter(account_ids, lambda id: id is not null)) = 0
    and names_people
