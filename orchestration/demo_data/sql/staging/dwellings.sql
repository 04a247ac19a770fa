-- Dwellings of 1 to 5 people over consecutive individual numbers. Multi-person dwellings are
-- households sharing last name and address; the source knows 9 in 10 of them (household_id),
-- people living alone get no household id: about a quarter of individuals end up without one.
create table dwellings as
with sized as (
    select
        d,
        case
            when u < 0.40 then 1 when u < 0.70 then 2 when u < 0.85 then 3
            when u < 0.95 then 4 else 5
        end as size
    from (
        select dwelling.d, rnd(dwelling.d, 'dwelling_size') as u
        from range(1, n_people() + 1) as dwelling (d)
    ) as drawn
), placed as (
    select d, size, cast(sum(size) over (order by d) - size as bigint) as first_i from sized
), located as (  -- noqa: ST03
    -- read by with_address below, by name (which sqlfluff does not follow)
    select * from placed
    where first_i < n_people()
)
select
    *,
    case when size > 1 and rnd(d, 'household_known') < 0.9 then fmt_id('H', d, 7)
    end as household_id,
    pick(last_names(), rnd(d, 'last_name')) as family_name,
    pick(email_domains(), rnd(d, 'family_domain')) as family_domain,
    -- a few households move (change-of-address feed), some of them twice
    case when rnd(d, 'moves') < 0.030 then 1 when rnd(d, 'moves') < 0.035 then 2 else 0
    end as n_moves
from with_address(located, d, 'home');
