"""Run the quality gate from the command line.

    python -m expectations --warehouse warehouse/crm_inactivity.duckdb \\
        --manifest target/manifest.json --output-dir target/quality_gate \\
        [--run-date 2026-06-30] [--set volume_band=0.3] [--json]

Prints the report's summary (or its JSON) and exits 1 if the gate failed. Without
``--manifest``, the rules are read from the dbt source YAML directly.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import expectations  # noqa: F401  (analytics off before GX is imported)
from expectations.config import DEFAULT_CONFIG_PATH, GateConfig
from expectations.quiet_exit import exit_skipping_finalisation
from expectations.rules import DEFAULT_SOURCES_YAML, rules_from_manifest, rules_from_sources_yaml


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m expectations", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path,
                        default=Path(os.environ.get("WAREHOUSE_PATH",
                                                    "warehouse/crm_inactivity.duckdb")))
    parser.add_argument("--manifest", type=Path, help="dbt manifest.json (rules source)")
    parser.add_argument("--sources-yaml", type=Path, default=DEFAULT_SOURCES_YAML)
    parser.add_argument("--output-dir", type=Path,
                        help="GX project and Data Docs (default: <warehouse>_quality, as Dagster)")
    # the day of the run, not AS_OF_DATE: a replay does not make later dates errors
    parser.add_argument("--run-date", type=date.fromisoformat,
                        default=datetime.now(UTC).date())
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG_PATH)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a gate_config.yml setting (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)

    overrides = dict(item.split("=", 1) for item in args.set)
    config = GateConfig.load(args.config, overrides)
    rules = (
        rules_from_manifest(args.manifest) if args.manifest
        else rules_from_sources_yaml(args.sources_yaml)
    )
    from expectations.gate import quality_dir, run_quality_gate

    report = run_quality_gate(
        args.warehouse, rules=rules, output_dir=args.output_dir or quality_dir(args.warehouse),
        run_date=args.run_date,
        config=config,
    )
    print(json.dumps(report.to_dict(), indent=2) if args.json else report.summary())
    return 0 if report.success else 1


if __name__ == "__main__":
    exit_skipping_finalisation(main)
