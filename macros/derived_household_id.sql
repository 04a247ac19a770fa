{#- Household key for people the source did not group: same normalised last name, street
    line and postal code. Null when any of them is missing (the person is then alone). -#}
{% macro derived_household_id(last_name, street_line, postal_code) -%}
    ('HD-' || substr(md5(
        {{ normalised_text(last_name) }} || '|' || {{ normalised_text(street_line) }} || '|' || {{ normalised_text(postal_code) }}
    ), 1, 16))
{%- endmacro %}

{#- Upper case, no accents, punctuation as spaces, spaces collapsed; null stays null and a value
    with nothing left ('', '-') becomes null. The one definition is the Python normalise_text
    (rnvp/text.py), which also writes the RNVP address lines; it is an SQL function of that
    name (declared in rnvp/sql_functions.py, registered on every DuckDB connection by the
    dbt-duckdb plugin and on Spark by orchestration/spark_build.py).
    Cœur -> COEUR, Straße -> STRASSE, L’Haÿ-les-Roses -> L HAY LES ROSES, Søren -> SOREN. -#}
{% macro normalised_text(column) -%}
    normalise_text({{ column }})
{%- endmacro %}
