-- depends_on: {{ ref('base_landing__accounts') }}
-- depends_on: {{ ref('base_landing__orders') }}
{{ checked_landing_rows('invoices') }}
