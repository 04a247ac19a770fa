{#-
  Points the `landing` schema at the files of RAW_DATA_DIR, before any model runs.

  Each landing source declared in models/staging/landing/_landing__sources.yml becomes a
  view over `<table>.parquet` or `<table>.csv` (CSV read as text: staging does all typing,
  so both formats go through the same casts), plus `source_row_number`, the row's place in
  its file (1 = the first data row), which the quarantine reports. The columns declared there are the contract:
  a missing file or a missing column stops the run with the table and column named.
-#}
{% macro register_landing_tables() %}
    {%- if execute -%}
        {%- set raw_data_dir = var('raw_data_dir') | string -%}
        {%- set problems = [] -%}
        {%- do run_query('create schema if not exists landing') -%}
        {%- for source_node in graph.sources.values() | selectattr('source_name', 'equalto', 'landing') | sort(attribute='name') -%}
            {%- set table_name = source_node.name -%}
            {%- set reader = landing_file_reader(raw_data_dir, table_name) -%}
            {%- if reader is none -%}
                {%- do problems.append("table '" ~ table_name ~ "': no " ~ table_name ~ ".parquet or " ~ table_name ~ ".csv in " ~ raw_data_dir) -%}
            {%- else -%}
                {%- do run_query('create or replace view landing.' ~ table_name ~ ' as select * from ' ~ reader) -%}
                {%- set present = run_query("select lower(column_name) from information_schema.columns where table_schema = 'landing' and table_name = '" ~ table_name ~ "'").columns[0].values() -%}
                {%- for column_name in source_node.columns -%}
                    {%- if column_name | lower not in present -%}
                        {%- do problems.append("table '" ~ table_name ~ "': missing required column '" ~ column_name ~ "'") -%}
                    {%- endif -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if problems -%}
            {{ exceptions.raise_compiler_error("Landing data in " ~ raw_data_dir ~ " does not match the contract (CONTRACT.md):\n  - " ~ problems | join("\n  - ")) }}
        {%- endif -%}
    {%- endif -%}
    select 1
{% endmacro %}

{#- read_parquet(...) or read_csv(...) for the file of a landing table, none if absent. -#}
{% macro landing_file_reader(raw_data_dir, table_name) %}
    {%- set base = (raw_data_dir.rstrip('/') ~ '/' ~ table_name) | replace("'", "''") -%}
    {%- set found = run_query("select file from glob('" ~ base ~ ".parquet') union all select file from glob('" ~ base ~ ".csv') order by file desc").columns[0].values() -%}
    {%- if found | length == 0 -%}
        {{ return(none) }}
    {%- elif found[0].endswith('.parquet') -%}
        {{ return("(select * exclude (file_row_number), file_row_number + 1 as source_row_number from read_parquet('" ~ (found[0] | replace("'", "''")) ~ "', file_row_number = true))") }}
    {%- else -%}
        {#- one reader thread keeps the file's order for the row number (the warehouse runs
            with preserve_insertion_order off); big loads come as Parquet -#}
        {{ return("(select *, row_number() over () as source_row_number from read_csv('" ~ (found[0] | replace("'", "''")) ~ "', header = true, delim = ',', quote = '\"', all_varchar = true, parallel = false))") }}
    {%- endif -%}
{% endmacro %}
