"""Deterministic demo data for the landing contract (shared/CONTRACT.md, "Inputs").

`python -m orchestration.demo_data`: the command, whose defaults are make run's.
"""

from __future__ import annotations

import argparse
import datetime
import time
from pathlib import Path

from orchestration.demo_data.generate import generate_landing_data
from orchestration.settings import DEMO_DATA_DIR, DEMO_INDIVIDUALS, DEMO_SEED


def main(argv: list[str] | None = None) -> int:
    """CLI: generate the demo landing data."""
    parser = argparse.ArgumentParser(prog="python -m orchestration.demo_data",
                                     description=__doc__.splitlines()[0])
    # the defaults are make run's
    parser.add_argument("--individuals", type=int, default=DEMO_INDIVIDUALS,
                        help=f"number of people (default {DEMO_INDIVIDUALS:,})")
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    parser.add_argument(
        "--as-of",
        type=datetime.date.fromisoformat,
        default=None,
        help="YYYY-MM-DD; every generated date is before it (default: today, UTC)",
    )
    parser.add_argument("--out", type=Path, default=DEMO_DATA_DIR, help="output folder")
    args = parser.parse_args(argv)
    started = time.monotonic()
    counts = generate_landing_data(args.out, args.individuals, args.seed, args.as_of)
    for table, rows in counts.items():
        print(f"{table:22s} {rows:>12,d}")
    print(f"{'total':22s} {sum(counts.values()):>12,d}  in {time.monotonic() - started:.1f} s")
    return 0
