{#-
  The lifecycle decision of DOMAIN.md, first match wins. It returns a status_rule; the seed
  status_rules maps each rule to its lifecycle_stage. Reads the columns computed by
  int_entity_statuses_evaluated (window_start_on etc.). This macro is the only place the
  order of the rules is written.
-#}
{% macro lifecycle_status_rule() -%}
    case
        when is_erased then 'erased'
        when last_purchase_at is null then 'never_purchased'
        when open_item_count > 0 then 'open_item'
        when cast(last_purchase_at as date) >= window_start_on
            and not is_cadence_overdue and not is_basket_falling and not is_sessions_spacing_out
            then 'recent_purchase'
        when cast(last_activity_at as date) >= window_start_on then
            case
                when is_cadence_overdue then 'cadence_overdue'
                when is_basket_falling then 'falling_basket'
                when is_sessions_spacing_out then 'sessions_spacing_out'
                else 'no_recent_purchase'
            end
        when is_reactivation_unanswered then 'unanswered_reactivation'
        when cast(last_activity_at as date) < double_window_start_on then 'beyond_double_window'
        else 'no_recent_activity'
    end
{%- endmacro %}

{#- The sentence a person reads for each status_rule, with the facts behind it. -#}
{% macro lifecycle_status_reason() -%}
    case status_rule
        when 'erased' then 'personal data erased (GDPR)'
        when 'never_purchased' then 'never purchased'
            || coalesce('; last activity ' || {{ date_text('last_activity_at') }}
                || ' (' || last_activity_department || ')', '; no activity yet')
        when 'open_item' then open_item_description
            || case when open_item_count > 1
                then ' and ' || (open_item_count - 1) || ' more open item(s)' else '' end
        when 'recent_purchase' then 'purchased on ' || {{ date_text('last_purchase_at') }}
            || ', within the ' || inactivity_window_months || '-month window (' || business_line || ')'
        when 'cadence_overdue' then 'overdue: ' || days_since_last_purchase
            || ' days since the last purchase on ' || {{ date_text('last_purchase_at') }}
            || ', usual gap ' || round(median_purchase_gap_days, 1) || ' days'
        when 'falling_basket' then 'falling basket: last {{ var("basket_recent_purchase_days") }} purchase days average '
            -- as double, as DuckDB averages amounts (Spark's average of a decimal is a decimal: 222.20)
            || round(cast(recent_basket_avg as double), 2) || ' against '
            || round(cast(earlier_basket_avg as double), 2) || ' before'
        when 'sessions_spacing_out' then 'sessions spacing out: last {{ var("session_recent_gaps") }} gaps average '
            || round(recent_session_gap_avg, 1) || ' days against ' || round(earlier_session_gap_avg, 1) || ' before'
        when 'no_recent_purchase' then 'no purchase since ' || {{ date_text('last_purchase_at') }}
            || ' (window ' || inactivity_window_months || ' months) but still active: '
            || last_activity_event_type || ' on ' || {{ date_text('last_activity_at') }}
            || ' (' || last_activity_department || ')'
        when 'unanswered_reactivation' then unanswered_reactivation_waves
            || ' reactivation waves unanswered since the last activity on '
            || {{ date_text('last_activity_at') }} || ' (' || last_activity_department || ')'
        when 'beyond_double_window' then 'no activity since ' || {{ date_text('last_activity_at') }}
            || ' (' || last_activity_department || '), more than twice the '
            || inactivity_window_months || '-month window'
        when 'no_recent_activity' then 'no activity since ' || {{ date_text('last_activity_at') }}
            || ' (' || last_activity_department || '), window ' || inactivity_window_months || ' months'
    end
{%- endmacro %}

{% macro date_text(column) -%}
    cast(cast({{ column }} as date) as {{ dbt.type_string() }})
{%- endmacro %}
