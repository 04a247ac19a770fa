{#-
  Spark (make test-spark): the seeds' rows as SQL literals. dbt-spark's own seed loader
  (session mode) pastes each value between quotes as it is, so a quote in a value ("The
  individual's data") breaks the statement and an empty cell loads as the text 'None'.
  Overrides dbt-spark's spark__load_csv_rows for this project; DuckDB's seeds are untouched.
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
            ({%- for col_name in agate_table.column_names -%}
                {%- set value = row[loop.index0] -%}
                {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                cast({% if value is none %}null{% else %}{{ spark_string(value | string) }}{% endif %} as {{ type }})
                {%- if not loop.last %}, {% endif -%}
            {%- endfor -%}){{ ',' if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first %}{% do statements.append(sql) %}{% endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
