{#-
  An entity's business line and inactivity window, or those of the `default` line when it has
  none (an account whose line is not in the seed business_lines, an individual without any
  account): `line_or_default('<relation with both columns>', '<the default line's row>')`.
  The fallback is declared here once; int_entities_windowed uses it for both levels.
-#}
{% macro line_or_default(windowed, default_line) -%}
    coalesce({{ windowed }}.business_line, {{ default_line }}.business_line) as business_line,
    coalesce({{ windowed }}.inactivity_window_months, {{ default_line }}.inactivity_window_months)
        as inactivity_window_months
{%- endmacro %}
