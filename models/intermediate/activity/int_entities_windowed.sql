{#-
  One row per individual and per account (entity_level, entity_id): the spine every status
  is computed for, with the inactivity window of its business line (seed business_lines).
  An account takes its own line's window. An individual linked to several accounts (a
  current role, or an order placed up to the as-of date) takes the longest of their
  windows: we never call someone inactive while one of their business lines would still
  count them in. No account: the `default` line. Ties go to the line's name, so reruns agree.
-#}
with

individuals as (select * from {{ ref('stg_landing__individuals') }}),
accounts as (select * from {{ ref('stg_landing__accounts') }}),
current_roles as (select * from {{ ref('int_account_roles_current') }}),
orders as (select * from {{ ref('stg_landing__orders') }}),
business_lines as (select * from {{ ref('business_lines') }}),

default_line as (

    select business_line, inactivity_window_months
    from business_lines
    where business_line = 'default'

),

accounts_windowed as (

    select
        accounts.account_id,
        {{ line_or_default('business_lines', 'default_line') }}
    from accounts
    cross join default_line
    left join business_lines on accounts.business_line = business_lines.business_line

),

individual_accounts as (

    select individual_id, account_id from current_roles
    union
    select individual_id, account_id from orders
    where individual_id is not null and {{ is_known_at_as_of('ordered_at') }}

),

individuals_windowed as (

    select
        individual_accounts.individual_id,
        max_by(
            accounts_windowed.business_line,
            {{ struct_of({'months': 'accounts_windowed.inactivity_window_months', 'line': 'accounts_windowed.business_line'}) }}
        ) as business_line,
        max(accounts_windowed.inactivity_window_months) as inactivity_window_months
    from individual_accounts
    inner join accounts_windowed on individual_accounts.account_id = accounts_windowed.account_id
    group by individual_accounts.individual_id

)

select
    'individual' as entity_level,
    individuals.individual_id as entity_id,
    {{ line_or_default('individuals_windowed', 'default_line') }}
from individuals
cross join default_line
left join individuals_windowed on individuals.individual_id = individuals_windowed.individual_id

union all

select 'account', account_id, business_line, inactivity_window_months
from accounts_windowed
