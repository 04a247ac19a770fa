-- depends_on: {{ ref('base_landing__accounts') }}
{{ checked_landing_rows('subscriptions') }}
