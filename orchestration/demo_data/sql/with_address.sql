-- with_address(p_source, p_key, p_salt): the rows of the table or CTE p_source plus a
-- free-form postal address drawn from the hash of its column p_key (salted with p_salt).
--
-- Mimics what clerks type: complements in the wrong line, abbreviations, 'bis', lieu-dit,
-- BP, mixed case, missing accents, a few malformed postal codes and foreign addresses.
create macro address_draw(p_key, p_salt, p_part) as rnd(p_key, p_salt || ':' || p_part);

create macro with_address(p_source, p_key, p_salt) as table
    select
        * exclude (
            street, flat, building, locality, layout, pc, pc_u, pc_mess, city_u,
            country_u
        ),
        case layout
            when 0 then street when 1 then street when 2 then building when 3 then street
            when 4 then locality when 5 then street || ' ' || flat when 6 then flat else street
        end as address_line_1,
        case layout
            when 1 then flat when 2 then street when 6 then building when 7 then building
        end as address_line_2,
        case layout when 3 then locality when 6 then street when 7 then flat end as address_line_3,
        case
            when country_u < 0.010 then pick(foreign_postal_codes(), pc_u)
            when pc_mess < 0.010 then left(pc, 4)                -- '7500'
            when pc_mess < 0.018 then pc || '1'                  -- '750011'
            when pc_mess < 0.028 then ltrim(pc, '0')             -- Excel ate the leading 0
            when pc_mess < 0.035 then left(pc, 2) || ' ' || right(pc, 3)
            else pc
        end as postal_code,
        case
            when country_u < 0.010 then pick(foreign_cities(), pc_u)
            when city_u < 0.55 then pick(fr_cities(), pc_u)
            when city_u < 0.80 then upper(pick(fr_cities(), pc_u))
            when city_u < 0.88 then strip_accents(pick(fr_cities(), pc_u))
            when city_u < 0.93 then lower(pick(fr_cities(), pc_u))
            when city_u < 0.97
                then upper(replace(strip_accents(pick(fr_cities(), pc_u)), 'Saint-', 'St '))
            else pick(fr_cities(), pc_u) || ' Cedex'
        end as city,
        case
            when country_u < 0.010 then pick(foreign_countries(), pc_u)
            when country_u < 0.015 then null else 'FR'
        end as country_code
    from (
        select
            *,
            pick(fr_postal_codes(), pc_u) as pc,
            -- 55 % street only, then complements in every order clerks put them
            case
                when address_draw(p_key, p_salt, 'layout') < 0.55 then 0
                else 1 + cast(floor(7 * address_draw(p_key, p_salt, 'layout2')) as int)
            end as layout
        from (
            select
                *,
                address_draw(p_key, p_salt, 'pc') as pc_u,
                address_draw(p_key, p_salt, 'pc_mess') as pc_mess,
                address_draw(p_key, p_salt, 'city') as city_u,
                address_draw(p_key, p_salt, 'country') as country_u,
                case
                    when address_draw(p_key, p_salt, 'no_num') < 0.05 then ''
                    else
                        cast(1 + floor(200 * pow(address_draw(p_key, p_salt, 'num'), 2)) as int)
                        || case
                            when address_draw(p_key, p_salt, 'rep') < 0.04 then ' bis'
                            when address_draw(p_key, p_salt, 'rep') < 0.06 then ' ter'
                            when address_draw(p_key, p_salt, 'rep') < 0.07 then ' B' else ''
                        end
                        || case
                            when address_draw(p_key, p_salt, 'comma') < 0.08 then ', ' else ' '
                        end
                end
                || case
                    when address_draw(p_key, p_salt, 'abbr') < 0.10
                        then pick(street_type_abbreviations(), address_draw(p_key, p_salt, 'type'))
                    else pick(street_types(), address_draw(p_key, p_salt, 'type'))
                end
                || ' ' || pick(street_names(), address_draw(p_key, p_salt, 'street')) as street,
                case cast(floor(6 * address_draw(p_key, p_salt, 'flat')) as int)
                    when 0
                        then
                            'Apt '
                            || cast(1 + floor(60 * address_draw(p_key, p_salt, 'flat_n')) as int)
                            || ' '
                            || cast(1 + floor(8 * address_draw(p_key, p_salt, 'floor')) as int)
                            || 'e étage'
                    when 1
                        then
                            'Appartement '
                            || cast(1 + floor(120 * address_draw(p_key, p_salt, 'flat_n')) as int)
                    when 2
                        then
                            'Porte '
                            || cast(1 + floor(30 * address_draw(p_key, p_salt, 'flat_n')) as int)
                    when 3
                        then
                            cast(1 + floor(6 * address_draw(p_key, p_salt, 'floor')) as int)
                            || 'ème étage gauche'
                    when 4
                        then
                            'Chez '
                            || pick(['M.', 'Mme', 'Famille'], address_draw(p_key, p_salt, 'chez'))
                            || ' ' || pick(last_names(), address_draw(p_key, p_salt, 'chez_name'))
                    else
                        'APT '
                        || cast(1 + floor(40 * address_draw(p_key, p_salt, 'flat_n')) as int)
                        || ' ETG '
                        || cast(1 + floor(8 * address_draw(p_key, p_salt, 'floor')) as int)
                end as flat,
                case cast(floor(5 * address_draw(p_key, p_salt, 'building')) as int)
                    when 0
                        then
                            'Résidence Les Pins Bât '
                            || pick(['A', 'B', 'C', 'D'], address_draw(p_key, p_salt, 'bat'))
                    when 1
                        then
                            'Bâtiment '
                            || pick(['A', 'B', 'C', 'E'], address_draw(p_key, p_salt, 'bat'))
                            || ' Escalier '
                            || cast(1 + floor(4 * address_draw(p_key, p_salt, 'esc')) as int)
                    when 2 then 'Résidence du Parc'
                    when 3
                        then
                            'Entrée '
                            || cast(1 + floor(5 * address_draw(p_key, p_salt, 'esc')) as int)
                    else
                        'Résidence Le Clos des Vignes Bât '
                        || pick(['1', '2', '3'], address_draw(p_key, p_salt, 'bat'))
                end as building,
                case cast(floor(5 * address_draw(p_key, p_salt, 'locality')) as int)
                    when 0 then 'Lieu-dit Les Granges'
                    when 1 then 'Lieu-dit La Croix Blanche'
                    when 2
                        then 'BP ' || cast(1 + floor(900 * address_draw(p_key, p_salt, 'bp')) as int)
                    when 3 then 'Hameau de Valmont'
                    else 'lieu dit le Moulin Neuf'
                end as locality
            from query_table(p_source)
        ) as drawn
    ) as parts;
