{{ checked_landing_rows('accounts') }}
