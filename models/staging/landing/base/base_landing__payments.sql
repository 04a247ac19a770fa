-- depends_on: {{ ref('base_landing__accounts') }}
-- depends_on: {{ ref('base_landing__invoices') }}
{{ checked_landing_rows('payments') }}
