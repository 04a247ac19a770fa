{#-
  Points the `reference` schema at the reference files `make setup` installs (not committed:
  they come from a registry): the official postal code list, from the npm package
  codes-postaux (rnvp/postal_reference.py). A missing file stops the run and
  says how to get it.
-#}
{% macro register_reference_tables() %}{{ return(adapter.dispatch('register_reference_tables')()) }}{% endmacro %}
{% macro default__register_reference_tables() %}
    {%- if execute -%}
        {%- set path = var('postal_reference_csv') | string -%}
        {%- set found = run_query("select count(*) from glob('" ~ (path | replace("'", "''")) ~ "')").columns[0].values()[0] -%}
        {%- if found == 0 -%}
            {{ exceptions.raise_compiler_error("The postal reference " ~ path ~ " is missing: run `make setup` (or python -m rnvp.postal_reference --out " ~ path ~ ").") }}
        {%- endif -%}
        {%- do run_query('create schema if not exists reference') -%}
        {%- do run_query("create or replace view reference.postal_codes as select * from read_csv('" ~ (path | replace("'", "''")) ~ "', header = true, all_varchar = true)") -%}
    {%- endif -%}
    select 1
{% endmacro %}

{% macro spark__register_reference_tables() %}
    {%- if execute -%}
        {%- do run_query('create schema if not exists reference') -%}
        {#- listed: the file's absolute path (a table's relative path is the warehouse's) -#}
        {%- set path = run_query("select path from binaryFile.`" ~ (var('postal_reference_csv') | string) ~ "`").columns[0].values()[0] -%}
        {%- do run_query('create or replace view reference.postal_codes as select * from ' ~ spark_file_table('reference.postal_codes', path)) -%}
    {%- endif -%}
    select 1
{% endmacro %}
