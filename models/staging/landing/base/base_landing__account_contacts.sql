-- depends_on: {{ ref('base_landing__accounts') }}
-- depends_on: {{ ref('base_landing__individuals') }}
{{ checked_landing_rows('account_contacts') }}
