{#-
  The few constructs DuckDB (the warehouse) and Spark SQL (make test-spark) spell
  differently, each behind adapter.dispatch: default__ is DuckDB's, spark__ Spark's. Models
  call these instead of either spelling; everything else they write is common to both
  (`cast(x as string)`, max_by, count(*) filter, array_contains, cardinality, median ...).
-#}

{#- A struct from (name: SQL expression) pairs: struct_of({'at': 'occurred_at'}). Its fields
    are read as `value.at` on both engines; max() of it orders by the fields in turn. -#}
{% macro struct_of(fields) -%}{{ return(adapter.dispatch('struct_of')(fields)) }}{%- endmacro %}
{% macro default__struct_of(fields) -%}
    { {%- for name, expression in fields.items() %} '{{ name }}': {{ expression }}{{ ',' if not loop.last }}{% endfor %} }
{%- endmacro %}
{% macro spark__struct_of(fields) -%}
    named_struct({%- for name, expression in fields.items() %}'{{ name }}', {{ expression }}{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}

{#- A list of SQL expressions. -#}
{% macro list_of(expressions) -%}{{ return(adapter.dispatch('list_of')(expressions)) }}{%- endmacro %}
{% macro default__list_of(expressions) -%}[{{ expressions | join(', ') }}]{%- endmacro %}
{% macro spark__list_of(expressions) -%}array({{ expressions | join(', ') }}){%- endmacro %}

{#- The non-null ones of a list of SQL expressions, as a list (a check's failures). -#}
{% macro non_null_list(expressions) -%}{{ return(adapter.dispatch('non_null_list')(expressions)) }}{%- endmacro %}
{% macro default__non_null_list(expressions) -%}
    list_filter({{ list_of(expressions + ['null']) }}, lambda item: item is not null)
{%- endmacro %}
{#- array_compact, not filter(): Spark takes no subquery (a reference check) inside a lambda -#}
{% macro spark__non_null_list(expressions) -%}
    array_compact({{ list_of(expressions + ['null']) }})
{%- endmacro %}

{#- One field of each struct of a list: list_field('failures', 'code'). -#}
{% macro list_field(list_expression, field) -%}{{ return(adapter.dispatch('list_field')(list_expression, field)) }}{%- endmacro %}
{% macro default__list_field(list_expression, field) -%}
    list_transform({{ list_expression }}, lambda item: item.{{ field }})
{%- endmacro %}
{% macro spark__list_field(list_expression, field) -%}
    transform({{ list_expression }}, item -> item.{{ field }})
{%- endmacro %}

{#- True when the text matches the regular expression somewhere (regex_search) or whole
    (regex_full_match). Patterns are written once, as both engines read them (RE2 / Java). -#}
{% macro regex_search(text, pattern) -%}{{ return(adapter.dispatch('regex_search')(text, pattern)) }}{%- endmacro %}
{% macro default__regex_search(text, pattern) -%}regexp_matches({{ text }}, '{{ pattern }}'){%- endmacro %}
{#- Spark's string literals read \ as an escape: each backslash of a pattern is doubled -#}
{% macro spark__regex_search(text, pattern) -%}regexp({{ text }}, '{{ pattern | replace('\\', '\\\\') }}'){%- endmacro %}

{% macro regex_full_match(text, pattern) -%}{{ return(adapter.dispatch('regex_full_match')(text, pattern)) }}{%- endmacro %}
{% macro default__regex_full_match(text, pattern) -%}regexp_full_match({{ text }}, '{{ pattern }}'){%- endmacro %}
{% macro spark__regex_full_match(text, pattern) -%}regexp({{ text }}, '^(?:{{ pattern | replace('\\', '\\\\') }})$'){%- endmacro %}

{#- Every match replaced; groups are referred to as \1, \2 in `replacement`. -#}
{% macro regex_replace_all(text, pattern, replacement) -%}{{ return(adapter.dispatch('regex_replace_all')(text, pattern, replacement)) }}{%- endmacro %}
{% macro default__regex_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}
{% macro spark__regex_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, '{{ pattern | replace('\\', '\\\\') }}', '{{ modules.re.sub("\\\\(\\d)", "$\\1", replacement) }}')
{%- endmacro %}

{#- `relation_alias.*` but these columns. -#}
{% macro star_except(column_names, relation_alias=none) -%}{{ return(adapter.dispatch('star_except')(column_names, relation_alias)) }}{%- endmacro %}
{% macro default__star_except(column_names, relation_alias) -%}
    {{ relation_alias ~ '.' if relation_alias }}* exclude ({{ column_names | join(', ') }})
{%- endmacro %}
{% macro spark__star_except(column_names, relation_alias) -%}
    {{ relation_alias ~ '.' if relation_alias }}* except ({{ column_names | join(', ') }})
{%- endmacro %}

{#- A date `months` months after `date_expression` (negative: before), clamped to the month's
    last day (31 March - 1 month = 28/29 February), `months` may be a column. -#}
{% macro months_after(date_expression, months) -%}{{ return(adapter.dispatch('months_after')(date_expression, months)) }}{%- endmacro %}
{% macro default__months_after(date_expression, months) -%}
    cast({{ date_expression }} + to_months(cast({{ months }} as integer)) as date)
{%- endmacro %}
{% macro spark__months_after(date_expression, months) -%}
    add_months({{ date_expression }}, cast({{ months }} as integer))
{%- endmacro %}

{#- A contract type (the source YAML's data_type) in the engine's SQL. -#}
{% macro sql_type(data_type) -%}{{ return(adapter.dispatch('sql_type')(data_type)) }}{%- endmacro %}
{% macro default__sql_type(data_type) -%}{{ data_type }}{%- endmacro %}
{% macro spark__sql_type(data_type) -%}{{ 'string' if data_type == 'varchar' else data_type }}{%- endmacro %}

{#- Spark SQL quoting: a string literal (Spark reads a backslash as an escape, so it is
    doubled), or a path as a backquoted name, as `binaryFile.<name>` wants. SQL quoting only:
    Hadoop still reads [ ] { } * ? in a path as a glob pattern. -#}
{% macro spark_string(text) %}
    {{- return("'" ~ (text | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'") -}}
{% endmacro %}
{% macro spark_quoted_path(path) %}
    {{- return('`' ~ (path | replace('`', '``')) ~ '`') -}}
{% endmacro %}
