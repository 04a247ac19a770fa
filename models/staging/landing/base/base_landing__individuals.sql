{{ checked_landing_rows('individuals') }}
