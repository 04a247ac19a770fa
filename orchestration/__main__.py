"""`python -m orchestration ...` (see orchestration.cli)."""

from expectations.duckdb_dialect import exit_skipping_finalisation
from orchestration.cli import main

exit_skipping_finalisation(main)
