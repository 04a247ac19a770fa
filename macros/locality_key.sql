{#- A locality name as compared with the official routing labels: normalised_text (upper,
    no accents, punctuation as spaces), with ST / STE spelt out, since La Poste and clerks
    write "ST ETIENNE" where the list says "SAINT-ETIENNE". -#}
{% macro locality_key(column) -%}
    nullif(trim({{ regex_replace_all(regex_replace_all(
        "' ' || " ~ normalised_text(column) ~ " || ' '", ' STE ', ' SAINTE '), ' ST ', ' SAINT ') }}), '')
{%- endmacro %}
