-- depends_on: {{ ref('base_landing__individuals') }}
{{ checked_landing_rows('address_changes') }}
