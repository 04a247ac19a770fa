"""Run-level settings (CONTRACT.md "Running"), read from the environment in one place.

RAW_DATA_DIR, AS_OF_DATE and WAREHOUSE_PATH are honoured by `python -m orchestration run`
and by Dagster runs alike; both resolve them through `RunSettings.from_env()` at run time,
never at import time, so a long-lived `dagster dev` picks up the values of each run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
# Where generated demo data goes when RAW_DATA_DIR is unset (git-ignored); DEMO_DATA_DIR
# moves it (tests use a scratch folder).
DEMO_DATA_DIR = REPO_ROOT / "data" / "demo"
DEFAULT_WAREHOUSE_PATH = REPO_ROOT / "warehouse" / "crm_inactivity.duckdb"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SettingsError(ValueError):
    """A run setting has a value the project cannot use; the message says which and why."""


def resolve_path(value: str | os.PathLike[str]) -> Path:
    """Relative paths are taken from the repository root, wherever the command is run from."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else (REPO_ROOT / path).resolve()


def parse_as_of_date(value: str | None) -> str:
    """YYYY-MM-DD, or today when empty.

    Today is the UTC date, as in the dbt macro as_of_date(): these two are the only places
    that read the clock, and they must agree.
    """
    text = (value or "").strip()
    if not text:
        return datetime.now(UTC).date().isoformat()
    try:
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise SettingsError(
            f"AS_OF_DATE must be a date written YYYY-MM-DD (e.g. 2026-06-30), got {text!r}"
        ) from None


def _int_setting(environ: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {text!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def _bool_setting(environ: Mapping[str, str], name: str) -> bool:
    text = environ.get(name, "").strip().lower()
    if text in ("", "0", "false", "no"):
        return False
    if text in ("1", "true", "yes"):
        return True
    raise SettingsError(f"{name} must be true or false, got {text!r}")


@dataclass(frozen=True)
class RunSettings:
    """The settings of one run. `raw_data_dir` None means: use generated demo data."""

    raw_data_dir: Path | None
    as_of_date: str
    warehouse_path: Path
    demo_individuals: int = 3000
    demo_seed: int = 42
    demo_data_dir: Path = DEMO_DATA_DIR
    # GDPR: lets one run erase more than the circuit breaker allows (after review)
    approve_gdpr_erasure: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> RunSettings:
        raw = environ.get("RAW_DATA_DIR", "").strip()
        warehouse = environ.get("WAREHOUSE_PATH", "").strip()
        demo = environ.get("DEMO_DATA_DIR", "").strip()
        return cls(
            raw_data_dir=resolve_path(raw) if raw else None,
            as_of_date=parse_as_of_date(environ.get("AS_OF_DATE")),
            warehouse_path=resolve_path(warehouse) if warehouse else DEFAULT_WAREHOUSE_PATH,
            demo_individuals=_int_setting(environ, "DEMO_INDIVIDUALS", 3000, minimum=1),
            demo_seed=_int_setting(environ, "DEMO_SEED", 42, minimum=0),
            demo_data_dir=resolve_path(demo) if demo else DEMO_DATA_DIR,
            approve_gdpr_erasure=_bool_setting(environ, "GDPR_APPROVE_ERASURE"),
        )

    def with_overrides(
        self,
        raw_data_dir: str | None = None,
        as_of_date: str | None = None,
        warehouse_path: str | None = None,
        demo_individuals: int | None = None,
        demo_seed: int | None = None,
        approve_gdpr_erasure: bool | None = None,
    ) -> RunSettings:
        """Values given for one run (Dagster launchpad, CLI flags) win over the environment."""
        changes: dict[str, object] = {}
        if raw_data_dir:
            changes["raw_data_dir"] = resolve_path(raw_data_dir)
        if as_of_date:
            changes["as_of_date"] = parse_as_of_date(as_of_date)
        if warehouse_path:
            changes["warehouse_path"] = resolve_path(warehouse_path)
        if demo_individuals is not None:
            if demo_individuals < 1:
                raise SettingsError(f"individuals must be at least 1, got {demo_individuals}")
            changes["demo_individuals"] = demo_individuals
        if demo_seed is not None:
            changes["demo_seed"] = demo_seed
        if approve_gdpr_erasure is not None:
            changes["approve_gdpr_erasure"] = approve_gdpr_erasure
        return replace(self, **changes)

    @property
    def uses_demo_data(self) -> bool:
        return self.raw_data_dir is None or self.raw_data_dir == self.demo_data_dir

    @property
    def landing_dir(self) -> Path:
        """The folder dbt reads: RAW_DATA_DIR, else the generated demo data."""
        return self.raw_data_dir or self.demo_data_dir

    @property
    def as_of(self) -> date:
        return date.fromisoformat(self.as_of_date)

    def dbt_vars(self, run_id: str | None = None) -> dict[str, str]:
        """The dbt vars of dbt_project.yml / profiles.yml, as absolute paths."""
        run = {"run_id": run_id} if run_id else {}  # the orchestrator's run, for the GDPR audit log
        return {
            "raw_data_dir": str(self.landing_dir),
            "as_of_date": self.as_of_date,
            "warehouse_path": str(self.warehouse_path),
            "gdpr_erasure_approved": "true" if self.approve_gdpr_erasure else "false",
            **run,
        }
