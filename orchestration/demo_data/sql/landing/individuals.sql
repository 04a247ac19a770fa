-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    fmt_id('I', i, 7) as individual_id, household_id, civility, first_name, last_name,
    birth_date, email, phone,
    case
        when address_case < 0.12 then upper(address_line_1)
        when address_case < 0.15 then lower(address_line_1)
        else address_line_1
    end as address_line_1,
    case
        when address_case < 0.12 then upper(address_line_2)
        else address_line_2
    end as address_line_2,
    case
        when address_case < 0.12 then upper(address_line_3)
        else address_line_3
    end as address_line_3,
    postal_code, city, country_code,
    email_opt_in_initially and email_end_reason is null and email_valid
    and reactivation_stop_reason is null as email_opt_in,
    phone is not null and case consent_mix
        when 'no_consent' then false
        when 'no_email' then rnd(i, 'sms_opt_in') < 0.8
        else rnd(i, 'sms_opt_in') < 0.35
    end as sms_opt_in,
    (consent_mix is distinct from 'no_consent') and rnd(i, 'postal_opt_in') < 0.85
        as postal_opt_in,
    ts_ago(created_age) as created_at
from (
    select * from (
        select p.*, x.stop_reason as reactivation_stop_reason
        from people as p left join reactivation as x using (i)
    ) as narrow
    order by i
) as sorted
