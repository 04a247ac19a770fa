"""Dagster orchestration of the crm_inactivity dbt project (definitions in .definitions)."""
