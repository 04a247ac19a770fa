{#- One row per role an individual holds on an account at the as-of date. -#}
with

account_contacts as (select * from {{ ref('stg_landing__account_contacts') }}),
accounts as (select * from {{ ref('stg_landing__accounts') }})

select distinct
    account_contacts.account_id,
    account_contacts.individual_id,
    account_contacts.role,
    accounts.account_type,
    accounts.business_line
from account_contacts
inner join accounts on account_contacts.account_id = accounts.account_id
where
    (account_contacts.valid_from is null or account_contacts.valid_from <= {{ as_of_date() }})
    and (account_contacts.valid_to is null or account_contacts.valid_to >= {{ as_of_date() }})
