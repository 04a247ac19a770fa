"""RNVP: French postal address restructuring (AFNOR NF Z10-011), email and phone normalisation.

Pure functions, registered as DuckDB functions for dbt by `duckdb_udfs.Plugin`.
"""
