-- Every business line of the seed has exactly one configured window in the backtest.
select business_lines.business_line, count(backtest.window_months) as configured_windows
from {{ ref('business_lines') }} as business_lines
left join {{ ref('inactivity_window_backtest') }} as backtest
    on business_lines.business_line = backtest.business_line
    and backtest.is_configured_window
group by business_lines.business_line
having count(backtest.window_months) != 1
