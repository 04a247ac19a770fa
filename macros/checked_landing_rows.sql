{#-
  Validation of a landing table, from the rules declared once on its columns in
  models/staging/landing/_landing__sources.yml (`data_type`, meta `key`, `required`,
  `references`, `accepted_values`, `not_after_run_date`, and the source's plausibility
  bounds `earliest_date` and `amount_limit`).

  Returns every landing row (contract columns, `source_row_number` in file order,
  `source_record_key` the key exactly as the source sent it) with:
  - identifiers trimmed (keys, references, columns named *_id): " I-1 " is I-1 and a blank
    id is missing. Ids stay case-sensitive;
  - the personal columns (meta `pii`) of subjects a past run erased blanked;
  - `value_issues`: bad values of OPTIONAL columns (unparseable, after the run, unknown
    category, implausible, control characters), each set to null with its reason, and the
    row flows on: one bad birth date must not remove a customer and, by cascade, their
    orders;
  - `failed_checks` / `quarantine_reasons` / `is_quarantined`: the checks on the row's keys,
    required columns and references. Staging keeps the rows that pass; landing_quarantine
    the others.
  Nothing is dropped.

  Duplicate keys (after trimming): of the rows sharing a key that pass every other check,
  the first in file order is kept; the later ones are quarantined as `duplicate_key`,
  naming the kept row. References are checked against the *kept* rows of the referenced
  table, so an order of a quarantined account is quarantined too (the models that `ref`
  this one must declare those tables with `-- depends_on:`; dbt stops the run if one is
  missing).
-#}
{% macro checked_landing_rows(table_name) %}
    {#- called at parse time too, so dbt records both sources in the lineage -#}
    {%- set landed_relation = source('landing', table_name) -%}
    {%- do source('gdpr', 'erasure_tombstones_of_past_runs') -%}
    {%- if not execute -%}
        select 1 as source_row_number
    {%- else -%}
    {%- set columns = landing_columns(table_name) -%}
    {%- set key_columns = columns | selectattr('key') | map(attribute='name') | list -%}
    {%- set has_subject = 'individual_id' in (columns | map(attribute='name') | list) -%}
    {%- set checks = landing_row_checks(columns) -%}
    {%- set row_checks = checks | selectattr('quarantines') | list -%}
    {%- set value_checks = checks | rejectattr('quarantines') | list -%}
    {%- set nulled_columns = value_checks | map(attribute='column') | unique | list -%}
with

trimmed as (

    select
        {{ landing_record_key(key_columns) }} as source_record_key,
        {%- for column in columns %}
        {%- if column.identifier %}
        nullif(trim(cast({{ adapter.quote(column.name) }} as string)), '') as {{ adapter.quote(column.name) }},
        {%- else %}
        {{ adapter.quote(column.name) }},
        {%- endif %}
        {%- endfor %}
        source_row_number
    from {{ landed_relation }}

),

landed as (

    select
        source_record_key,
        {%- for column in columns %}
        {%- if column.pii and has_subject %}
        -- personal data of a subject a past run erased (gdpr.erasure_tombstones) is not kept
        case when {{ is_erased_subject('individual_id') }} then null else {{ adapter.quote(column.name) }} end as {{ adapter.quote(column.name) }},
        {%- else %}
        {{ adapter.quote(column.name) }},
        {%- endif %}
        {%- endfor %}
        source_row_number
    from trimmed

),

valued_checked as (

    select
        *,
        -- the bad values of optional columns, each check evaluated once per row
        {%- set issues = [] %}
        {%- for check in value_checks %}
        {%- do issues.append('case when ' ~ check.condition ~ ' then ' ~ struct_of({
            'column_name': "'" ~ check.column ~ "'", 'code': "'" ~ check.code ~ "'", 'reason': check.reason,
            'landed_value': 'cast(' ~ adapter.quote(check.column) ~ ' as string)'}) ~ ' end') %}
        {%- endfor %}
        {%- if not issues %}
        {#- none to check: a list of that struct all the same (Spark stores no list of nulls) -#}
        {%- do issues.append('case when false then ' ~ struct_of({'column_name': 'cast(null as string)',
            'code': 'cast(null as string)', 'reason': 'cast(null as string)', 'landed_value': 'cast(null as string)'}) ~ ' end') %}
        {%- endif %}
        {{ non_null_list(issues) }} as value_issues
    from landed

),

valued as (

    -- each column with a value issue set to null; its row flows on
    select
        source_record_key,
        {%- for column in columns %}
        {%- if column.name in nulled_columns %}
        case
            when array_contains({{ list_field('value_issues', 'column_name') }}, '{{ column.name }}') then null
            else {{ adapter.quote(column.name) }}
        end as {{ adapter.quote(column.name) }},
        {%- else %}
        {{ adapter.quote(column.name) }},
        {%- endif %}
        {%- endfor %}
        source_row_number,
        value_issues
    from valued_checked

),

checked as (

    select
        *,
        -- each check evaluated once per row: its code and its sentence together
        {%- set failures = [] %}
        {%- for check in row_checks %}
        {%- do failures.append('case when ' ~ check.condition ~ ' then '
            ~ struct_of({'code': "'" ~ check.code ~ "'", 'reason': check.reason}) ~ ' end') %}
        {%- endfor %}
        {{ non_null_list(failures) }} as row_failures
    from valued

),

ranked as (

    select
        *,
        -- among rows sharing a key, valid rows first, then file order: rank 1 is kept
        row_number() over keyed as key_rank,
        first_value(source_row_number) over keyed as kept_row_number
    from checked
    window keyed as (
        partition by {% for name in key_columns %}{{ adapter.quote(name) }}{{ ', ' if not loop.last }}{% endfor %}
        order by cardinality(row_failures) = 0 desc, source_row_number
    )

),

flagged as (

    select
        {{ star_except(['row_failures', 'key_rank', 'kept_row_number']) }},
        case
            when cardinality(row_failures) = 0 and key_rank > 1 then {{ list_of(["'duplicate_key'"]) }}
            else {{ list_field('row_failures', 'code') }}
        end as failed_checks,
        case
            when cardinality(row_failures) = 0 and key_rank > 1
                then {{ list_of(["'duplicate key (" ~ key_columns | join(", ") ~ ") = ' || "
                    ~ landing_record_key(key_columns) ~ " || ': row ' || kept_row_number || ' is kept'"]) }}
            else {{ list_field('row_failures', 'reason') }}
        end as quarantine_reasons
    from ranked

)

select
    *,
    cardinality(failed_checks) > 0 as is_quarantined
from flagged
    {%- endif -%}
{% endmacro %}


{#- The landing tables, as a static list: models that read every base_landing__ model loop
    over it, and dbt only sees refs that exist at parse time (before `graph` is filled).
    test_landing_contract.py checks it against the sources of _landing__sources.yml. -#}
{% macro landing_table_names() %}
    {{ return([
        'individuals', 'accounts', 'account_contacts', 'orders', 'quotes', 'invoices',
        'payments', 'subscriptions', 'tickets', 'disputes', 'campaigns', 'email_events',
        'web_sessions', 'loyalty_transactions', 'usage_events', 'address_changes',
        'deceased_notices', 'erasure_requests',
    ]) }}
{% endmacro %}


{#- The contract columns of a landing table with their rules, as plain dicts. -#}
{% macro landing_columns(table_name) %}
    {%- set node = graph.sources['source.' ~ project_name ~ '.landing.' ~ table_name] -%}
    {%- set bounds = node.source_meta or {} -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() -%}
        {%- set meta = column.meta or {} -%}
        {%- set data_type = column.data_type or 'varchar' -%}
        {%- do columns.append({
            'name': column.name,
            'data_type': data_type,
            'key': meta.get('key', false),
            'required': meta.get('key', false) or meta.get('required', false),
            'references': meta.get('references'),
            'accepted_values': meta.get('accepted_values'),
            'not_after_run_date': meta.get('not_after_run_date', false),
            'pii': meta.get('pii', false),
            'identifier': meta.get('key', false) or meta.get('references') is not none or column.name.endswith('_id'),
            'earliest_date': bounds.get('earliest_date') if data_type in ('date', 'timestamp') else none,
            'amount_limit': bounds.get('amount_limit') if data_type.startswith('decimal') else none,
        }) -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}


{#- The key of a record as one text, e.g. 'O-1' or 'A-1|I-2|buyer|2024-01-01'. -#}
{% macro landing_record_key(key_columns) -%}
    concat_ws('|', {% for name in key_columns %}coalesce(cast({{ adapter.quote(name) }} as string), '∅'){{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}


{#- The record key of a landing table's row, from the key columns its YAML declares (for
    models reading a staging or base table of it; a placeholder at parse time). -#}
{% macro landing_table_record_key(table_name) -%}
    {%- if execute -%}
        {{ landing_record_key(landing_columns(table_name) | selectattr('key') | map(attribute='name') | list) }}
    {%- else -%}
        null
    {%- endif -%}
{%- endmacro %}


{#- A landing value in its contract type (what staging casts it to), null when it does not
    parse. Timestamps go through utc_timestamp so the check and staging read offsets the same
    way. -#}
{% macro landing_value_or_null(column_name, data_type) -%}{{ return(adapter.dispatch('landing_value_or_null')(column_name, data_type)) }}{%- endmacro %}
{% macro default__landing_value_or_null(column_name, data_type) -%}
    {%- if data_type == 'timestamp' -%}
        try({{ utc_timestamp(adapter.quote(column_name)) }})
    {%- else -%}
        try(cast({{ adapter.quote(column_name) }} as {{ data_type }}))
    {%- endif -%}
{%- endmacro %}
{% macro spark__landing_value_or_null(column_name, data_type) -%}
    try_cast({{ adapter.quote(column_name) }} as {{ sql_type(data_type) }})
{%- endmacro %}


{#- One dict per check: column, code, SQL condition (true = the value fails), reason
    sentence, and whether it quarantines the row. A check on a key, a required column or a
    reference does; on an optional column the value is set to null instead (value_issues). -#}
{% macro landing_row_checks(columns) %}
    {%- set checks = [] -%}
    {%- for column in columns -%}
        {%- set name = column.name -%}
        {%- set raw = adapter.quote(name) -%}
        {#- chr(39), a quote: Spark reads '' as two adjacent literals, not as a quote -#}
        {%- set shown = "'" ~ name ~ " ' || chr(39) || cast(" ~ raw ~ " as string) || chr(39) || '" -%}
        {%- set typed = landing_value_or_null(name, column.data_type) -%}
        {%- set quarantines = column.required or column.references is not none -%}
        {%- if column.required -%}
            {%- do checks.append({
                'column': name, 'quarantines': true,
                'code': 'missing_value(' ~ name ~ ')',
                'condition': raw ~ ' is null',
                'reason': "'" ~ name ~ " is empty'",
            }) -%}
        {%- endif -%}
        {%- if column.data_type == 'varchar' -%}
            {#- NUL, line breaks, escapes: never part of a name, an address or an id -#}
            {%- do checks.append({
                'column': name, 'quarantines': quarantines,
                'code': 'control_characters(' ~ name ~ ')',
                'condition': regex_search('cast(' ~ raw ~ ' as string)', '[\\x00-\\x1f\\x7f]'),
                'reason': "'" ~ name ~ " holds control characters'",
            }) -%}
        {%- else -%}
            {%- do checks.append({
                'column': name, 'quarantines': quarantines,
                'code': 'unparseable_value(' ~ name ~ ')',
                'condition': raw ~ ' is not null and ' ~ typed ~ ' is null',
                'reason': shown ~ " is not a valid " ~ column.data_type ~ "'",
            }) -%}
        {%- endif -%}
        {%- if column.earliest_date -%}
            {%- do checks.append({
                'column': name, 'quarantines': quarantines,
                'code': 'implausible_value(' ~ name ~ ')',
                'condition': 'cast(' ~ typed ~ " as date) < date '" ~ column.earliest_date ~ "'",
                'reason': shown ~ " is before " ~ column.earliest_date ~ "'",
            }) -%}
        {%- endif -%}
        {%- if column.amount_limit -%}
            {%- do checks.append({
                'column': name, 'quarantines': quarantines,
                'code': 'implausible_value(' ~ name ~ ')',
                'condition': 'abs(' ~ typed ~ ') > ' ~ column.amount_limit,
                'reason': shown ~ " is beyond +/- " ~ column.amount_limit ~ "'",
            }) -%}
        {%- endif -%}
        {%- if column.not_after_run_date -%}
            {%- do checks.append({
                'column': name, 'quarantines': quarantines,
                'code': 'date_after_run_date(' ~ name ~ ')',
                'condition': 'cast(' ~ typed ~ ' as date) > ' ~ run_date(),
                'reason': shown ~ " is after the day of the run (' || " ~ run_date() ~ " || ')'",
            }) -%}
        {%- endif -%}
        {%- if column.accepted_values -%}
            {%- do checks.append({
                'column': name, 'quarantines': quarantines,
                'code': 'unknown_value(' ~ name ~ ')',
                'condition': raw ~ ' is not null and lower(trim(cast(' ~ raw ~ ' as string))) not in (' ~ (column.accepted_values | map('lower') | map('tojson') | join(', ') | replace('"', "'")) ~ ')',
                'reason': shown ~ " is not one of " ~ (column.accepted_values | join(', ')) ~ "'",
            }) -%}
        {%- endif -%}
        {%- if column.references -%}
            {%- set parent_key = landing_columns(column.references) | selectattr('key') | map(attribute='name') | first -%}
            {%- do checks.append({
                'column': name, 'quarantines': true,
                'code': 'orphan_reference(' ~ name ~ ')',
                'condition': raw ~ ' is not null and cast(' ~ raw ~ ' as string) not in (select cast(' ~ adapter.quote(parent_key) ~ ' as string) from ' ~ ref('base_landing__' ~ column.references) ~ ' where not is_quarantined)',
                'reason': shown ~ " matches no kept row of " ~ column.references ~ "'",
            }) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(checks) }}
{% endmacro %}


{#- 'a', 'b', 'c' -#}
{% macro sql_text_list(values) -%}
    {%- for value in values %}'{{ value | replace("'", "''") }}'{{ ', ' if not loop.last }}{% endfor -%}
{%- endmacro %}


{#- The day of the run (UTC), YYYY-MM-DD: dates after it are errors, and erasure happens only
    when the as-of date is this day. A replay at an earlier as-of date ignores later events
    (as_of_date), it does not quarantine them. Set by RUN_DATE (orchestration/settings.py)
    through the var run_date; tests pin it. -#}
{% macro run_date_literal() -%}
    {%- set configured = var('run_date', '') | string | trim -%}
    {{- configured if configured not in ('', 'None', 'none') else run_started_at.strftime('%Y-%m-%d') -}}
{%- endmacro %}

{% macro run_date() -%}
    date '{{ run_date_literal() }}'
{%- endmacro %}
