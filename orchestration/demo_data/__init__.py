r"""Deterministic demo data for the landing contract (shared/CONTRACT.md, "Inputs").

Writes the 18 landing tables as `<table>.parquet`, with realistic French CRM mess and the
populations DOMAIN.md's inactivity logic is exercised with: prospects, steady buyers, buyers
whose cadence and basket decay, dormant and long-lost customers, customers held active by an
open dispute or ticket, auto-renewing subscribers whose usage fades, B2B accounts with several
contacts in different roles, households, reactivation campaigns in four waves, and so on;
and for DOMAIN.md's reactivation outputs, people at every step of both scenarios (the waves,
and the declining-activity journey as `retention` campaigns), consents that send dormant
customers to every channel (or none), email-inactive contacts for the deliverability cap,
and the reasons to leave someone out.

Everything is DuckDB SQL over `range()` / `unnest()` (no Python loop over rows) and every
random draw is a hash of (seed, entity, salt), so the same seed, as-of date and size give the
same rows whatever the thread scheduling. Dates are generated as "age" = days before the
as-of date and turned into timestamps at the end; every event is strictly before the as-of
date (at most one second before midnight), about six years back at most.

    python -m orchestration.demo_data --individuals 5000 --seed 42 --as-of 2026-11-23 \
        --out data/demo

Layout: `reference_lists.py` (names, streets, postal codes...), `sql/` (every SQL step, linted
by sqlfluff) and `sql.py` (its reader), `generate.py` (the DuckDB connection, the steps, the
files and `generated_landing_data`'s marker), `cli.py` (the command).
"""


from orchestration.demo_data.cli import main
from orchestration.demo_data.generate import generate_landing_data, generated_landing_data

__all__ = ["generate_landing_data", "generated_landing_data", "main"]
