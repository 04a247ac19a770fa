{#- Fails with the duplicated combinations (dbt_utils' test, without the package: no hub
    access is needed to build this project). -#}
{% test unique_combination_of_columns(model, columns) %}
    select {{ columns | join(', ') }}, count(*) as occurrences
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
