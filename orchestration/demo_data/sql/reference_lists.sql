-- The reference lists of reference_lists.py, one macro each: generate.py sets them as the
-- struct variable reference_lists (a name missing there fails when the macro is used).
create macro reference_list(p_name) as getvariable('reference_lists')[p_name];
create macro male_first_names() as reference_list('male_first_names');
create macro female_first_names() as reference_list('female_first_names');
create macro last_names() as reference_list('last_names');
create macro street_types() as reference_list('street_types');
create macro street_type_abbreviations() as reference_list('street_type_abbreviations');
create macro street_names() as reference_list('street_names');
create macro fr_postal_codes() as reference_list('fr_postal_codes');
create macro fr_cities() as reference_list('fr_cities');
create macro foreign_postal_codes() as reference_list('foreign_postal_codes');
create macro foreign_cities() as reference_list('foreign_cities');
create macro foreign_countries() as reference_list('foreign_countries');
create macro email_domains() as reference_list('email_domains');
create macro company_activities() as reference_list('company_activities');
create macro legal_forms() as reference_list('legal_forms');
create macro b2b_roles() as reference_list('b2b_roles');
create macro plans() as reference_list('plans');
create macro plan_prices() as reference_list('plan_prices');
create macro reactivation_content() as reference_list('reactivation_content');
create macro retention_content() as reference_list('retention_content');
create macro promotion_content() as reference_list('promotion_content');
