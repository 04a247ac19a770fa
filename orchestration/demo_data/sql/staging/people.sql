-- One row per individual: persona, behaviour parameters (all ages in days before as-of) and
-- contact data. Persona mix: prospect 20 %, steady 17 %, decaying 13 %, new customer 5 %,
-- dormant 20 % (a quarter of them still browse/click: at risk), lost 8 %, open issue 5 %,
-- subscriber 12 %.
create table people as
with members as (
    select * exclude (m), first_i + m + 1 as i, m as member
    from (select *, unnest(range(size)) as m from dwellings) as slots
    where first_i + m < n_people()
), persona as (
    select
        *,
        case
            when u < 0.20 then 'prospect' when u < 0.37 then 'steady'
            when u < 0.50 then 'decaying' when u < 0.55 then 'new_customer'
            when u < 0.75 then 'dormant' when u < 0.83 then 'lost'
            when u < 0.88 then 'open_issue' else 'subscriber'
        end as persona
    from (select *, rnd(i, 'persona') as u from members) as drawn
), cadence as (
    select
        *,
        case persona  -- most recent gap between purchases, in days
            -- sqrt: more people buy every few months than every fortnight
            when 'steady' then loguni(sqrt(rnd(i, 'gap')), 15, 200)
            when 'decaying' then 120 + 150 * rnd(i, 'gap')
            when 'new_customer' then 10 + 30 * rnd(i, 'gap')
            when 'lost' then loguni(sqrt(rnd(i, 'gap')), 30, 200)
            when 'subscriber' then 30.0
            else loguni(sqrt(rnd(i, 'gap')), 20, 200)
        end as gap,
        case persona  -- < 1: earlier gaps were shorter, i.e. the cadence decays over time
            when 'decaying' then 0.80 + 0.10 * rnd(i, 'shrink')
            when 'steady' then 0.97 + 0.03 * rnd(i, 'shrink')
            else 0.92 + 0.08 * rnd(i, 'shrink')
        end as shrink,
        case when rnd(i, 'line') < 0.75 then 'retail' else 'marketplace' end as shop_line
    from persona
), recency as (
    select
        *,
        case persona  -- age of the last purchase
            when 'steady' then gap * rnd(i, 'last')  -- within one usual gap
            when 'decaying' then 20 + 200 * rnd(i, 'last')
            when 'new_customer' then 10 * rnd(i, 'last')
            when 'dormant' then 280 + 450 * pow(rnd(i, 'last'), 2)  -- 9 to 24 months ago
            when 'lost' then 1100 + 1050 * rnd(i, 'last')  -- 3 to 6 years ago
            when 'open_issue' then 260 + 640 * rnd(i, 'last')
            when 'subscriber' then 60 + 2080 * rnd(i, 'last')  -- the sign-up order
        end as last_age
    from cadence
), tenure as (
    select
        *,
        case persona  -- age of the first purchase
            when 'subscriber' then last_age
            when 'new_customer' then last_age + 20 + 150 * rnd(i, 'first')
            else last_age + (0.05 + 0.95 * rnd(i, 'first')) * (horizon() - 10 - last_age)
        end as first_age
    from recency
), lifespan as (
    select
        *,
        case
            when persona = 'prospect' then 1 + (horizon() - 1) * rnd(i, 'created')
            else least(horizon(), first_age + 20 * rnd(i, 'created'))
        end as created_age,
        case
            when persona = 'subscriber' then
                case
                    when rnd(i, 'usage_kind') < 0.35 then 7 * rnd(i, 'usage_end')  -- engaged
                    when rnd(i, 'usage_kind') < 0.80  -- fading
                        then least(0.8 * first_age, 150 + 600 * rnd(i, 'usage_end'))
                    else greatest(1, first_age - 5 - 55 * rnd(i, 'usage_end'))  -- ghost
                end
        end as usage_end_age,
        pick(plans(), rnd(i, 'plan')) as plan,
        -- consent mixes of dormant customers, so that their relaunch takes every channel:
        -- no_email (email refused, SMS consent likelier), no_consent (nothing consented; those
        -- who once took the emails left by an unsubscribe or a complaint)
        case
            when persona = 'dormant' then
                case
                    when rnd(i, 'consent_mix') < 0.12 then 'no_email'
                    when rnd(i, 'consent_mix') < 0.24 then 'no_consent'
                end
        end as consent_mix
    from tenure
), engagement as (
    select
        *,
        -- age at which customer-initiated activity (visits, clicks, tickets) stops
        least(created_age, case persona
            when 'steady' then 5 * rnd(i, 'eng_end')
            when 'new_customer' then 3 * rnd(i, 'eng_end')
            when 'decaying' then 10 + 50 * rnd(i, 'eng_end')
            when 'dormant'
                then case
                    when rnd(i, 'window_shopper') < 0.25 then 60 * rnd(i, 'eng_end')
                    else last_age - 30 * rnd(i, 'eng_end')
                end
            when 'subscriber' then usage_end_age
            when 'prospect'
                then case
                    when rnd(i, 'prospect_engaged') < 0.5 then 30 * rnd(i, 'eng_end')
                    else created_age * rnd(i, 'eng_end')
                end
            else last_age - 30 * rnd(i, 'eng_end')
        end) as eng_end_age,
        -- sessions: decaying buyers space their visits out too
        loguni(rnd(i, 'session_gap'), 10, 150) as session_gap,
        case
            when persona = 'decaying' then 0.85 + 0.08 * rnd(i, 'session_shrink')
            else 0.97 + 0.03 * rnd(i, 'session_shrink')
        end as session_shrink,
        persona <> 'prospect' or rnd(i, 'browses') < 0.6 as browses,
        rnd(i, 'app_share') as app_share,
        persona not in ('prospect', 'subscriber') and shop_line = 'retail'
        and rnd(i, 'loyalty') < 0.5 as loyalty_member,
        rnd(i, 'opt_in') < 0.75 and (consent_mix is distinct from 'no_email')
            as email_opt_in_initially,
        case
            when consent_mix = 'no_consent'
                then case when rnd(i, 'email_end') < 0.7 then 'unsubscribe' else 'complaint' end
            when rnd(i, 'email_end') < 0.080 then 'unsubscribe'
            when rnd(i, 'email_end') < 0.100 then 'bounce_hard'
            when rnd(i, 'email_end') < 0.115 then 'complaint'
        end as email_end_reason,
        -- each person gets every n-th newsletter / promotion (a sample of the real volume)
        4 + cast(floor(6 * rnd(i, 'news_stride')) as bigint) as news_stride,
        3 + cast(floor(4 * rnd(i, 'promo_stride')) as bigint) as promo_stride,
        case
            when rnd(i, 'mpp') < 0.2 then 0.9  -- mail privacy proxy: every mail "opened"
            else
                case persona
                    when 'steady' then 0.35 when 'new_customer' then 0.40
                    when 'decaying' then 0.25
                    -- most dormant stopped reading: email-inactive contacts
                    when 'dormant'
                        then case when rnd(i, 'mail_sleeper') < 0.6 then 0.003 else 0.12 end
                    when 'lost' then 0.08 else 0.20
                end
        end as p_open,
        case persona
            when 'steady' then 0.20 when 'new_customer' then 0.20
            when 'decaying' then 0.10 when 'prospect' then 0.08
            when 'dormant' then 0.04 when 'lost' then 0.02 else 0.06
        end as p_click
    from lifespan
), named as (
    select
        *,
        case
            when rnd(i, 'civility') < 0.44 then 'M' when rnd(i, 'civility') < 0.84 then 'MME'
            when rnd(i, 'civility') < 0.90 then 'MLLE' when rnd(i, 'civility') < 0.95 then ''
        end as civility,
        case
            when
                rnd(i, 'civility') < 0.44
                or (rnd(i, 'civility') >= 0.90 and rnd(i, 'gender') < 0.5)
                then pick(male_first_names(), rnd(i, 'first_name'))
            else pick(female_first_names(), rnd(i, 'first_name'))
        end as given_name,
        cast(1 + floor(8 * pow(rnd(i, 'phone_kind'), 3)) as int) as phone_prefix,
        lpad(cast(rhash(i, 'phone') % 100000000 as varchar), 8, '0') as phone_digits
    from engagement
), contact as (
    select
        *,
        regexp_replace(lower(strip_accents(given_name)), '[^a-z]', '', 'g') as mail_first,
        regexp_replace(lower(strip_accents(family_name)), '[^a-z]', '', 'g') as mail_last,
        -- 1-5: landlines by region, 6-7: mobiles (most), 8: 09 box numbers
        '0' || case
            when phone_prefix <= 2 then cast(5 + phone_prefix as varchar)
            when phone_prefix = 8 then '9'
            else cast(phone_prefix - 2 as varchar)
        end || phone_digits as phone_national
    from named
), mailbox as (
    select
        *,
        case
            when rnd(i, 'email_missing') < 0.07 then null
            when size > 1 and member > 0 and rnd(i, 'family_email') < 0.12
                then 'famille.' || mail_last || '@' || family_domain  -- shared mailbox
            else
                case cast(floor(5 * rnd(i, 'email_pattern')) as int)
                    when 0 then mail_first || '.' || mail_last
                    when 1 then left(mail_first, 1) || '.' || mail_last
                    when 2 then mail_first || mail_last
                    when 3 then mail_last || '.' || mail_first
                    else mail_first || '_' || mail_last
                end
                || case
                    when rnd(i, 'email_number') < 0.45 then cast(i % 97 as varchar)
                    else ''
                end
                || '@' || pick(email_domains(), rnd(i, 'email_domain'))
        end as clean_email,
        rnd(i, 'email_mess') as email_mess
    from contact
)
select
    *,
    clean_email is not null and email_mess >= 0.015 as email_valid,
    case
        when email_mess < 0.004 then replace(clean_email, '@', '')  -- no @
        when email_mess < 0.008 then replace(clean_email, '@', '@@')
        when email_mess < 0.011 then regexp_replace(clean_email, '\.[a-z]+$', '')  -- no TLD
        when email_mess < 0.015 then replace(clean_email, '.', ' ')  -- spaces inside
        when email_mess < 0.050 then ' ' || clean_email || ' '
        when email_mess < 0.130 then upper(left(clean_email, 1)) || substr(clean_email, 2)
        when email_mess < 0.160 then upper(clean_email)
        else clean_email
    end as email,
    case
        when rnd(i, 'phone_missing') < 0.10 then null
        when rnd(i, 'phone_fmt') < 0.35  -- 06 12 34 56 78
            then concat_ws(
                ' ', phone_national[1:2], phone_national[3:4], phone_national[5:6],
                phone_national[7:8], phone_national[9:10]
            )
        when rnd(i, 'phone_fmt') < 0.55 then phone_national  -- 0612345678
        when rnd(i, 'phone_fmt') < 0.68 then '+33' || phone_national[2:]  -- +33612345678
        when rnd(i, 'phone_fmt') < 0.73
            then
                '+33 ' || phone_national[2:2] || ' '
                || concat_ws(
                    ' ', phone_national[3:4], phone_national[5:6],
                    phone_national[7:8], phone_national[9:10]
                )
        when rnd(i, 'phone_fmt') < 0.78
            then
                '0033 ' || phone_national[2:2] || ' '
                || concat_ws(
                    ' ', phone_national[3:4], phone_national[5:6],
                    phone_national[7:8], phone_national[9:10]
                )
        when rnd(i, 'phone_fmt') < 0.88  -- 01.23.45.67.89
            then concat_ws(
                '.', phone_national[1:2], phone_national[3:4], phone_national[5:6],
                phone_national[7:8], phone_national[9:10]
            )
        when rnd(i, 'phone_fmt') < 0.92
            then concat_ws(
                '-', phone_national[1:2], phone_national[3:4], phone_national[5:6],
                phone_national[7:8], phone_national[9:10]
            )
        when rnd(i, 'phone_fmt') < 0.95 then '+33 (0)' || phone_national[2:]
        when rnd(i, 'phone_fmt') < 0.98  -- too short
            then concat_ws(
                ' ', phone_national[1:2], phone_national[3:4], phone_national[5:6],
                phone_national[7:8]
            )
        else phone_national[3:7]  -- garbage
    end as phone,
    case
        when rnd(i, 'first_case') < 0.80 then given_name
        when rnd(i, 'first_case') < 0.90 then upper(given_name)
        when rnd(i, 'first_case') < 0.95 then lower(given_name)
        when rnd(i, 'first_case') < 0.98 then ' ' || given_name || ' '
        else replace(given_name, '-', ' ')
    end as first_name,
    case
        when rnd(i, 'last_case') < 0.60 then family_name
        when rnd(i, 'last_case') < 0.95 then upper(family_name)
        else lower(family_name)
    end as last_name,
    case
        when rnd(i, 'birth') < 0.04 then null
        when rnd(i, 'birth') < 0.045 then date '1900-01-01'  -- placeholder
        else date_ago(365.25 * (18 + 74 * pow(rnd(i, 'birth_age'), 1.3)))
    end as birth_date,
    rnd(i, 'address_case') as address_case
from mailbox;
