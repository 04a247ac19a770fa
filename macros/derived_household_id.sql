{#- Household key for people the source did not group: same normalised last name, street
    line and postal code. Null when any of them is missing (the person is then alone). -#}
{% macro derived_household_id(last_name, street_line, postal_code) -%}
    ('HD-' || substr(md5(
        {{ normalised_text(last_name) }} || '|' || {{ normalised_text(street_line) }} || '|' || {{ normalised_text(postal_code) }}
    ), 1, 16))
{%- endmacro %}

{#- Upper case, no accents, punctuation as spaces, spaces collapsed; null stays null. -#}
{% macro normalised_text(column) -%}
    nullif(trim(regexp_replace(regexp_replace(upper(strip_accents({{ column }})), '[^A-Z0-9]+', ' ', 'g'), ' +', ' ', 'g')), '')
{%- endmacro %}
