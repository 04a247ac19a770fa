{#- A locality name as compared with the official routing labels: normalised_text (upper,
    no accents, punctuation as spaces), with ST / STE spelt out, since La Poste and clerks
    write "ST ETIENNE" where the list says "SAINT-ETIENNE". -#}
{% macro locality_key(column) -%}
    nullif(trim(regexp_replace(regexp_replace(
        ' ' || {{ normalised_text(column) }} || ' ', ' STE ', ' SAINTE ', 'g'), ' ST ', ' SAINT ', 'g')), '')
{%- endmacro %}
