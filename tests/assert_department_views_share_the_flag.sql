{{ config(meta={'dagster': {'ref': {'name': 'individual_activity'}}}) }}
-- Every department view shows exactly the shared status of individual_activity: any row
-- here is a department disagreeing with the one definition.
{% for view in ['sales_customer_status', 'billing_customer_status', 'after_sales_customer_status'] %}
select '{{ view }}' as department_view, shared.individual_id
from {{ ref('individual_activity') }} as shared
full outer join {{ ref(view) }} as department
    on shared.individual_id = department.individual_id
where
    shared.individual_id is null
    or department.individual_id is null
    or shared.lifecycle_stage is distinct from department.lifecycle_stage
    or shared.is_inactive is distinct from department.is_inactive
    or shared.status_reason is distinct from department.status_reason
{{ 'union all' if not loop.last }}
{% endfor %}
