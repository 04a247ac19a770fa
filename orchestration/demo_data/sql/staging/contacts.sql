-- Roles: a B2C owner is buyer and payer (and usually user); some household members use the
-- first member's account; B2B contacts hold one role each, some ended and handed over.
create table contacts as
with b2c as (
    select
        acct_idx, main_i as i,
        unnest(case
            when slot = 0 and rnd(acct_idx, 'user_role') < 0.85
                then ['buyer', 'payer', 'user']
            else ['buyer', 'payer']
        end) as role,
        opened_age as from_age, closed_age as to_age
    from accounts
    where kind_rank = 1
), household_users as (
    select
        a.acct_idx, p.i, 'user' as role,
        coalesce(a.closed_age, 0)
        + (least(a.opened_age, p.created_age) - coalesce(a.closed_age, 0))
        * rnd(p.i, 'household_user_from') as from_age,
        a.closed_age as to_age
    from people as p
    inner join accounts as a on a.kind_rank = 1 and a.slot = 0 and a.owner = p.first_i + 1
    where
        p.member > 0 and rnd(p.i, 'household_user') < 0.15
        and coalesce(a.closed_age, 0) < least(a.opened_age, p.created_age)  -- still open then
), b2b_slots as (
    select
        a.acct_idx, a.owner as k, a.opened_age, a.j,
        a.j > 0 and rnd2(a.acct_idx, a.j, 'role_ended') < 0.2 as ended
    from (
        select *, unnest(range(n_contacts)) as j from accounts
        where kind_rank = 2
    ) as a
), b2b as (
    select
        s.acct_idx, s.j, g.gen, b2b_contact(s.k, s.j + 6 * g.gen) as i,
        b2b_roles()[s.j + 1] as role, s.ended, s.opened_age,
        rnd2(s.acct_idx, s.j, 'role_end') as end_u
    from b2b_slots as s
    inner join (values (0), (1)) as g (gen) on g.gen = 0 or s.ended
), b2b_dated as (
    -- a role starts once both the account and the person exist, and before the person died
    select
        b.*, e.deceased_age,
        least(p.created_age, greatest(
            least(b.opened_age - 30 * rnd2(b.acct_idx, b.j, 'role_from'), p.created_age),
            coalesce(e.deceased_age, 0) + 1
        )) as person_from
    from b2b as b inner join people as p using (i) left join people_events as e using (i)
), b2b_handover as (
    select
        *, max(case when gen = 0 then person_from * end_u end)
            over (partition by acct_idx, j) as handover_age
    from b2b_dated
)
select u.*, e.deceased_age from (
    select acct_idx, i, role, from_age, to_age from b2c
    union all
    select acct_idx, i, role, from_age, to_age from household_users
    union all
    select
        acct_idx, i, role,
        -- a successor starts when the predecessor leaves (or later, if created later)
        case
            when gen = 0 then person_from
            else least(person_from, greatest(handover_age, coalesce(deceased_age, 0) + 1))
        end as from_age,
        case when gen = 0 and ended then handover_age end as to_age
    from b2b_handover
) as u
left join people_events as e using (i)
qualify row_number() over (partition by acct_idx, i, role order by from_age desc) = 1;

-- Who held a role on an account at a given age (null if nobody): B2B activity names the
-- contact in role at the time, if still alive (roles outlive their holders in the source).
-- The parameters are the caller's expressions, not columns of contacts: sqlfluff would qualify
-- them (RF03), and contacts' columns must stay qualified, or a caller's column of the same
-- name (acct_idx) would resolve to contacts'.
-- noqa: disable=RF03
create macro role_holder(p_acct, p_role, p_age) as (
    select min(c.i) from contacts as c
    where
        c.acct_idx = p_acct and c.role = p_role
        and p_age <= c.from_age and p_age > coalesce(c.to_age, -1)
        and (c.deceased_age is null or p_age > c.deceased_age + 2)
);
-- noqa: enable=RF03
