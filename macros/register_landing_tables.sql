{#-
  Points the `landing` schema at the files of RAW_DATA_DIR, before any model runs.

  Each landing source declared in models/staging/landing/_landing__sources.yml becomes a
  view over `<table>.parquet` or `<table>.csv` (CSV read as text: staging does all typing,
  so both formats go through the same casts), plus `source_row_number`, the row's place in
  its file (1 = the first data row), which the quarantine reports. The columns declared there are the contract:
  a missing file or a missing column stops the run with the table and column named, and so
  do a table landed twice (both files), a CSV not separated by commas and a CSV not in UTF-8.
-#}
{% macro register_landing_tables() %}
    {#- Only in a dbt invocation that reads the landing files (the landing checks): the later
        steps of a run read what those built, and the encoding check reads each CSV whole. -#}
    {%- set landing_prefix = 'source.' ~ project_name ~ '.landing.' -%}
    {%- set reads_landing = [] -%}
    {%- for unique_id in (selected_resources if execute else []) if unique_id in graph.nodes -%}
        {%- for parent in graph.nodes[unique_id].depends_on.nodes if parent.startswith(landing_prefix) -%}
            {%- do reads_landing.append(parent) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if reads_landing -%}
        {%- set raw_data_dir = var('raw_data_dir') | string -%}
        {%- set problems = [] -%}
        {%- do run_query('create schema if not exists landing') -%}
        {%- for source_node in graph.sources.values() | selectattr('source_name', 'equalto', 'landing') | sort(attribute='name') -%}
            {%- set table_name = source_node.name -%}
            {%- set files = landing_files(raw_data_dir, table_name) -%}
            {%- set file_problems = [] -%}
            {%- if files | length == 0 -%}
                {%- do file_problems.append("no " ~ table_name ~ ".parquet or " ~ table_name ~ ".csv in " ~ raw_data_dir) -%}
            {%- elif files | length > 1 -%}
                {%- do file_problems.append("both " ~ files | join(" and ") ~ " are present: keep only one of them") -%}
            {%- elif files[0].endswith('.csv') -%}
                {%- do file_problems.extend(landing_csv_problems(files[0])) -%}
            {%- endif -%}
            {%- for problem in file_problems -%}
                {%- do problems.append("table '" ~ table_name ~ "': " ~ problem) -%}
            {%- endfor -%}
            {%- if not file_problems -%}
                {%- do create_landing_view(table_name, files[0]) -%}
                {%- set present = landing_view_columns(table_name) -%}
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

{#- The landing files of a table: [], [the .parquet or the .csv], or both. -#}
{% macro landing_files(raw_data_dir, table_name) %}{{ return(adapter.dispatch('landing_files')(raw_data_dir, table_name)) }}{% endmacro %}
{% macro default__landing_files(raw_data_dir, table_name) %}
    {%- set base = (raw_data_dir.rstrip('/') ~ '/' ~ table_name) | replace("'", "''") -%}
    {{ return(run_query("select file from glob('" ~ base ~ ".parquet') union all select file from glob('" ~ base ~ ".csv') order by file desc").columns[0].values() | list) }}
{% endmacro %}

{#- landing.<table>: the file's rows and their place in it (source_row_number). -#}
{% macro create_landing_view(table_name, file) %}{{ return(adapter.dispatch('create_landing_view')(table_name, file)) }}{% endmacro %}
{% macro default__create_landing_view(table_name, file) %}
    {%- do run_query('create or replace view landing.' ~ table_name ~ ' as select * from ' ~ landing_file_reader(file)) -%}
{% endmacro %}

{#- The lower-cased column names of landing.<table>. -#}
{% macro landing_view_columns(table_name) %}{{ return(adapter.dispatch('landing_view_columns')(table_name)) }}{% endmacro %}
{% macro default__landing_view_columns(table_name) %}
    {{ return(run_query("select lower(column_name) from information_schema.columns where table_schema = 'landing' and table_name = '" ~ table_name ~ "'").columns[0].values()) }}
{% endmacro %}

{#- read_parquet(...) or read_csv(...) of a landing file. -#}
{% macro landing_file_reader(file) %}
    {%- set path = file | replace("'", "''") -%}
    {%- if file.endswith('.parquet') -%}
        {{ return("(select * exclude (file_row_number), file_row_number + 1 as source_row_number from read_parquet('" ~ path ~ "', file_row_number = true))") }}
    {%- else -%}
        {#- one reader thread keeps the file's order for the row number (the warehouse runs
            with preserve_insertion_order off); big loads come as Parquet -#}
        {{ return("(select *, row_number() over () as source_row_number from read_csv('" ~ path ~ "', " ~ landing_csv_options() ~ "))") }}
    {%- endif -%}
{% endmacro %}

{% macro landing_csv_options() %}
    {{- return("header = true, delim = ',', quote = '\"', all_varchar = true, parallel = false") -}}
{% endmacro %}

{#-
  What makes a landing CSV unreadable, as sentences ([] if none), checked before its view
  is created (reading it would fail with DuckDB's own message, or miss every column):
  - not UTF-8: the file is read once as raw lines (no quoting, so line = the line an editor
    shows, header = 1) and DuckDB's rejects table gives the first line with an invalid
    byte sequence (DuckDB's error, by contrast, quotes a neighbouring line);
  - not comma-separated: the header reads as a single column containing ';', a tab or '|'.
-#}
{% macro landing_csv_problems(file) %}{{ return(adapter.dispatch('landing_csv_problems')(file)) }}{% endmacro %}
{% macro default__landing_csv_problems(file) %}
    {%- set path = file | replace("'", "''") -%}
    {%- set problems = [] -%}
    {%- do run_query("drop table if exists landing_csv_reject_errors") -%}
    {%- do run_query("drop table if exists landing_csv_reject_scans") -%}
    {%- do run_query("select count(line) from read_csv('" ~ path ~ "', auto_detect = false, header = false, columns = {'line': 'varchar'}, delim = chr(31), quote = '', escape = '', comment = '', parallel = false, store_rejects = true, rejects_table = 'landing_csv_reject_errors', rejects_scan = 'landing_csv_reject_scans')") -%}
    {%- set bad_line = run_query("select min(line) from landing_csv_reject_errors where error_type = 'INVALID ENCODING'").columns[0].values()[0] -%}
    {%- do run_query("drop table if exists landing_csv_reject_errors") -%}
    {%- do run_query("drop table if exists landing_csv_reject_scans") -%}
    {%- set separator = run_query("select case when count(*) = 1 then case when max(column_name) like '%;%' then ''';''' when contains(max(column_name), chr(9)) then 'a tab' when max(column_name) like '%|%' then '''|''' end end from (describe select * from read_csv('" ~ path ~ "', " ~ landing_csv_options() ~ ", ignore_errors = true))").columns[0].values()[0] -%}
    {%- if separator is not none -%}
        {%- do problems.append("is " ~ file ~ " comma-separated? Its header reads as a single column containing " ~ separator ~ " (the contract wants the columns separated by commas)") -%}
    {%- endif -%}
    {%- if bad_line is not none -%}
        {%- do problems.append(file ~ " is not in UTF-8, the encoding the contract wants: line " ~ bad_line ~ " (the header being line 1) is the first with a character that is not valid UTF-8, e.g. an accented letter saved as Latin-1 or Windows-1252; save the file again as UTF-8") -%}
    {%- endif -%}
    {{ return(problems) }}
{% endmacro %}


{#- Spark (make test-spark): the same landing views, over the same files. The encoding and
    separator checks above are DuckDB's (its rejects table): Spark reads the file as it is. -#}
{% macro spark__landing_files(raw_data_dir, table_name) %}
    {%- set listed = run_query("select path from binaryFile." ~ spark_quoted_path(raw_data_dir.rstrip('/')) ~ " where path rlike '/" ~ table_name ~ "[.](parquet|csv)$' order by path desc") -%}
    {{ return(listed.columns[0].values() | list) }}
{% endmacro %}

{#- file order: one reader task per file split, in order; monotonically_increasing_id() keeps it -#}
{% macro spark__create_landing_view(table_name, file) %}
    {%- set file_table = spark_file_table('landing.' ~ table_name, file) -%}
    {%- do run_query('create or replace view landing.' ~ table_name ~ ' as select *, row_number() over (order by monotonically_increasing_id()) as source_row_number from ' ~ file_table) -%}
{% endmacro %}

{#- Spark: `<relation>__file`, an external table over a Parquet or CSV file (with its header)
    as Spark's listing gave its path (file:/...); its name. -#}
{% macro spark_file_table(relation, file) %}
    {%- set file_table = relation ~ '__file' -%}
    {%- do run_query('drop table if exists ' ~ file_table) -%}
    {%- if file.endswith('.parquet') -%}
        {%- do run_query("create table " ~ file_table ~ " using parquet options (path " ~ spark_string(file) ~ ")") -%}
    {%- else -%}
        {%- do run_query("create table " ~ file_table ~ " using csv options (path " ~ spark_string(file) ~ ", header 'true', multiLine 'true', escape '\"')") -%}
    {%- endif -%}
    {{ return(file_table) }}
{% endmacro %}

{% macro spark__landing_view_columns(table_name) %}
    {{ return(adapter.get_columns_in_relation(api.Relation.create(schema='landing', identifier=table_name)) | map(attribute='name') | map('lower') | list) }}
{% endmacro %}

{% macro spark__landing_csv_problems(file) %}
    {{ return([]) }}
{% endmacro %}
