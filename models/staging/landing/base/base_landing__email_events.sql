-- depends_on: {{ ref('base_landing__campaigns') }}
-- depends_on: {{ ref('base_landing__individuals') }}
{{ checked_landing_rows('email_events') }}
