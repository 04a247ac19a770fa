{#-
  Points the `reference` schema at the reference files `make setup` installs (not committed:
  they come from a registry): the official postal code list, from the npm package
  codes-postaux (rnvp/postal_reference.py). A missing file stops the run and
  says how to get it.
-#}
{% macro register_reference_tables() %}
    {%- if execute -%}
        {%- set path = var('postal_reference_csv') | string -%}
        {%- if not reference_file_exists(path) -%}
            {{ exceptions.raise_compiler_error("The postal reference " ~ path ~ " is missing: run `make setup` (or python -m rnvp.postal_reference --out " ~ path ~ ").") }}
        {%- endif -%}
        {%- do run_query('create schema if not exists reference') -%}
        {%- do run_query('create or replace view reference.postal_codes as select * from ' ~ reference_csv_relation('reference.postal_codes', path)) -%}
    {%- endif -%}
    select 1
{% endmacro %}

{% macro reference_file_exists(path) %}{{ return(adapter.dispatch('reference_file_exists')(path)) }}{% endmacro %}
{% macro default__reference_file_exists(path) %}
    {{ return(run_query("select count(*) from glob('" ~ (path | replace("'", "''")) ~ "')").columns[0].values()[0] > 0) }}
{% endmacro %}
{#- path_exists: a Python function of orchestration/spark_build.py (Spark's file listing fails
    on a missing path) -#}
{% macro spark__reference_file_exists(path) %}
    {{ return(run_query("select path_exists(" ~ spark_string(path) ~ ")").columns[0].values()[0]) }}
{% endmacro %}

{#- The rows of a reference CSV (with its header), every column text. -#}
{% macro reference_csv_relation(relation, path) %}{{ return(adapter.dispatch('reference_csv_relation')(relation, path)) }}{% endmacro %}
{% macro default__reference_csv_relation(relation, path) %}
    {{ return("read_csv('" ~ (path | replace("'", "''")) ~ "', header = true, all_varchar = true)") }}
{% endmacro %}
{% macro spark__reference_csv_relation(relation, path) %}
    {#- listed: the file's absolute path (a table's relative path is the warehouse's) -#}
    {%- set listed = run_query("select path from binaryFile." ~ spark_quoted_path(path)).columns[0].values()[0] -%}
    {{ return(spark_file_table(relation, listed)) }}
{% endmacro %}
