-- Narrow rows sorted by their key, then the contract's columns row by row (sql.py).
select
    account_id, account_type,
    case
        when kind_rank = 2 then
            case
                when rnd(owner, 'company_style') < 0.5
                    then
                        pick(company_activities(), rnd(owner, 'activity')) || ' '
                        || pick(last_names(), rnd(owner, 'company_name')) || ' '
                        || pick(legal_forms(), rnd(owner, 'legal_form'))
                when rnd(owner, 'company_style') < 0.8
                    then upper(
                        pick(legal_forms(), rnd(owner, 'legal_form')) || ' '
                        || pick(last_names(), rnd(owner, 'company_name')) || ' ET FILS'
                    )
                else
                    pick(company_activities(), rnd(owner, 'activity')) || ' du '
                    || pick(['Centre', 'Port', 'Marché', 'Lac', 'Val'], rnd(owner, 'place'))
            end
    end as company_name,
    case
        when kind_rank = 2 and rnd(owner, 'siret_missing') >= 0.01 then
            case
                when rnd(owner, 'siret_spaced') < 0.03
                    then
                        luhn_siret[1:3] || ' ' || luhn_siret[4:6] || ' ' || luhn_siret[7:9] || ' '
                        || luhn_siret[10:]
                else luhn_siret
            end
    end as siret,
    business_line, ts_ago(opened_age) as opened_at, ts_ago(closed_age) as closed_at
from (
    select * from (
        -- 13 random digits + the Luhn check digit, like a real SIRET
        select
            *,
            body || cast((10 - list_sum(list_transform(
                range(1, 14), lambda p:
                case
                    when p % 2 = 1
                        then case
                            when 2 * cast(body[p] as int) > 9
                                then 2 * cast(body[p] as int) - 9
                            else 2 * cast(body[p] as int)
                        end
                    else cast(body[p] as int)
                end
            )) % 10) % 10 as varchar) as luhn_siret
        from (
            select *, lpad(cast(rhash(owner, 'siret') % 10000000000000 as varchar), 13, '0') as body
            from accounts
        ) as bodies
    ) as narrow
    order by acct_idx
) as sorted
