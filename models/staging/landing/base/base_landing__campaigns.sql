{{ checked_landing_rows('campaigns') }}
