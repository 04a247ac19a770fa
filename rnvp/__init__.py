"""RNVP: French postal address restructuring (AFNOR NF Z10-011), email and phone normalisation.

Pure functions, declared as SQL functions in `sql_functions` and registered in DuckDB for dbt
by `duckdb_udfs.Plugin` (on Spark by orchestration/spark_build.py):

    text     normalise_text, abbreviate_street_label (how a line is written)
    address  afnor_address and its parts (which line each piece goes on)
    contact  normalise_email, phone_e164

The rules live in seeds/afnor_abbreviations.csv and seeds/afnor_line_keywords.csv.
"""
