"""`python -m orchestration ...` (see orchestration.cli)."""

from expectations.quiet_exit import exit_skipping_finalisation
from orchestration.cli import main

exit_skipping_finalisation(main)
