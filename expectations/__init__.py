"""Great Expectations gates in front of the RNVP and GDPR outputs (suites built in code).

    from expectations import GateConfig, rules_from_manifest, run_quality_gate

See expectations/README.md. Importing the package turns GX usage analytics off (it would
otherwise phone home on every run); set GX_ANALYTICS_ENABLED yourself to override.
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy.dialects import registry

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

# ``duckdb_buffered://`` resolvable as soon as the package is imported (the dialect module
# itself is only imported when an engine is created).
registry.register("duckdb_buffered", "expectations.duckdb_dialect", "BufferedDuckDBDialect")

__all__ = [
    "ExpectationFailure",
    "GateConfig",
    "GateReport",
    "TableRules",
    "rules_from_manifest",
    "rules_from_sources_yaml",
    "run_quality_gate",
]

_LAZY = {
    "ExpectationFailure": "expectations.gate",
    "GateReport": "expectations.gate",
    "run_quality_gate": "expectations.gate",
    "GateConfig": "expectations.config",
    "TableRules": "expectations.rules",
    "rules_from_manifest": "expectations.rules",
    "rules_from_sources_yaml": "expectations.rules",
}


def __getattr__(name: str) -> Any:
    """Lazy exports: importing the package does not import Great Expectations (slow)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'expectations' has no attribute {name!r}")
