"""Run-level settings (CONTRACT.md "Running"), read from the environment in one place.

RAW_DATA_DIR, AS_OF_DATE and WAREHOUSE_PATH are honoured by `python -m orchestration run`
and by Dagster runs alike; both resolve them through `RunSettings.from_env()` at run time,
never at import time, so a long-lived `dagster dev` picks up the values of each run.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    import duckdb

REPO_ROOT = Path(__file__).resolve().parents[1]
# Where generated demo data goes when RAW_DATA_DIR is unset (git-ignored); DEMO_DATA_DIR
# moves it (tests use a scratch folder).
DEMO_DATA_DIR = REPO_ROOT / "data" / "demo"
# The demo set of `make run` (and of `python -m orchestration.demo_data` without flags)
DEMO_INDIVIDUALS = 3000
DEMO_SEED = 42
DEFAULT_WAREHOUSE_PATH = REPO_ROOT / "warehouse" / "crm_inactivity.duckdb"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# DuckDB's memory cap (beyond it, it spills to disk). dbt reads the same variable with the
# same default in profiles.yml (it cannot import this); the Python steps that move whole
# tables (the publish's copy, the gate, the score's fit) set it on their connections, which
# would otherwise take DuckDB's default, 80 % of the machine's memory.
DUCKDB_MEMORY_LIMIT_VARIABLE = "DUCKDB_MEMORY_LIMIT"
DEFAULT_DUCKDB_MEMORY_LIMIT = "4GB"


def duckdb_memory_limit(environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get(DUCKDB_MEMORY_LIMIT_VARIABLE, "").strip() or DEFAULT_DUCKDB_MEMORY_LIMIT


def set_duckdb_memory_limit(con: duckdb.DuckDBPyConnection) -> None:
    """Caps a DuckDB connection of a Python step like dbt's (DUCKDB_MEMORY_LIMIT)."""
    limit = duckdb_memory_limit().replace("'", "''")
    con.execute(f"set memory_limit = '{limit}'")


def files_digest(paths: Iterable[Path]) -> str:
    """SHA-256 of files' names (relative to the repository) and contents, in path order: the
    version of code or rules that a stored result was built with."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        name = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path.name
        digest.update(str(name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class SettingsError(ValueError):
    """A run setting has a value the project cannot use; the message says which and why."""


def resolve_path(value: str | os.PathLike[str]) -> Path:
    """Relative paths are taken from the repository root, wherever the command is run from."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else (REPO_ROOT / path).resolve()


def today_utc() -> str:
    """Today's UTC date, as in the dbt macros as_of_date() and run_date(): these are the only
    places that read the clock, and they must agree."""
    return datetime.now(UTC).date().isoformat()


def parse_date(value: str | None, name: str = "AS_OF_DATE") -> str:
    """YYYY-MM-DD, or today (UTC) when empty."""
    text = (value or "").strip()
    if not text:
        return today_utc()
    try:
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise SettingsError(
            f"{name} must be a date written YYYY-MM-DD (e.g. 2026-06-30), got {text!r}"
        ) from None


def parse_as_of_date(value: str | None) -> str:
    return parse_date(value, "AS_OF_DATE")


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


# Only the generated demo data may be hashed with this salt (orchestration/gdpr_salt.py).
SALT_VARIABLE = "GDPR_HASH_SALT"


@dataclass(frozen=True)
class RunSettings:
    """The settings of one run. `raw_data_dir` None means: use generated demo data.

    The fields a run may override (Dagster run config, CLI flags) are OVERRIDABLE; the
    Dagster resource and the CLI build their config from that one list.
    """

    raw_data_dir: Path | None
    as_of_date: str
    warehouse_path: Path
    demo_individuals: int = DEMO_INDIVIDUALS
    demo_seed: int = DEMO_SEED
    demo_data_dir: Path = DEMO_DATA_DIR
    # GDPR: lets one run erase more than the circuit breaker allows (after review)
    approve_gdpr_erasure: bool = False
    # The day of the run (UTC). Dates after it are data errors; erasure happens only when the
    # as-of date is this day (DOMAIN.md: erasure is an act in the present, never a replay).
    run_date: str = field(default_factory=today_utc)
    # Whether GDPR_HASH_SALT is set (the salt itself never enters the settings, which are
    # logged): a run on real data without it stops.
    gdpr_salt_set: bool = False
    # Where the reactivation files for the marketing tools go (CONTRACT.md EXPORT_DIR);
    # None: an `exports/` folder beside the warehouse (see exports_dir).
    export_dir: Path | None = None

    OVERRIDABLE: ClassVar[tuple[str, ...]] = (
        "raw_data_dir", "as_of_date", "run_date", "warehouse_path", "export_dir",
        "demo_individuals", "demo_seed", "approve_gdpr_erasure",
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> RunSettings:
        raw = environ.get("RAW_DATA_DIR", "").strip()
        warehouse = environ.get("WAREHOUSE_PATH", "").strip()
        demo = environ.get("DEMO_DATA_DIR", "").strip()
        exports = environ.get("EXPORT_DIR", "").strip()
        return cls(
            raw_data_dir=resolve_path(raw) if raw else None,
            as_of_date=parse_as_of_date(environ.get("AS_OF_DATE")),
            warehouse_path=resolve_path(warehouse) if warehouse else DEFAULT_WAREHOUSE_PATH,
            demo_individuals=_int_setting(environ, "DEMO_INDIVIDUALS", DEMO_INDIVIDUALS, minimum=1),
            demo_seed=_int_setting(environ, "DEMO_SEED", DEMO_SEED, minimum=0),
            demo_data_dir=resolve_path(demo) if demo else DEMO_DATA_DIR,
            approve_gdpr_erasure=_bool_setting(environ, "GDPR_APPROVE_ERASURE"),
            run_date=parse_date(environ.get("RUN_DATE"), "RUN_DATE"),
            gdpr_salt_set=bool(environ.get(SALT_VARIABLE, "").strip()),
            export_dir=resolve_path(exports) if exports else None,
        ).validated()

    def with_overrides(self, **overrides: object) -> RunSettings:
        """Values given for one run (Dagster launchpad, CLI flags) win over the environment;
        None means "not given". The names are those of OVERRIDABLE."""
        unknown = set(overrides) - set(self.OVERRIDABLE)
        if unknown:
            raise TypeError(f"not a run setting: {sorted(unknown)}")
        given = {name: value for name, value in overrides.items() if value not in (None, "")}
        changes: dict[str, object] = {}
        for name in ("raw_data_dir", "warehouse_path", "export_dir"):
            if name in given:
                changes[name] = resolve_path(str(given[name]))
        if "as_of_date" in given:
            changes["as_of_date"] = parse_as_of_date(str(given["as_of_date"]))
        if "run_date" in given:
            changes["run_date"] = parse_date(str(given["run_date"]), "RUN_DATE")
        if "demo_individuals" in given:
            if int(given["demo_individuals"]) < 1:
                raise SettingsError(
                    f"individuals must be at least 1, got {given['demo_individuals']}")
            changes["demo_individuals"] = int(given["demo_individuals"])
        if "demo_seed" in given:
            changes["demo_seed"] = int(given["demo_seed"])
        if "approve_gdpr_erasure" in given:
            changes["approve_gdpr_erasure"] = bool(given["approve_gdpr_erasure"])
        return replace(self, **changes).validated()

    def validated(self) -> RunSettings:
        """Settings that are each valid but not together."""
        if self.as_of_date > self.run_date:
            raise SettingsError(
                f"AS_OF_DATE {self.as_of_date} is after the day of the run {self.run_date} "
                "(RUN_DATE): the future cannot be evaluated"
            )
        if not self.uses_demo_data and not self.gdpr_salt_set:
            raise SettingsError(
                f"{SALT_VARIABLE} is not set: a run on real landing data ({self.raw_data_dir}) "
                "needs the secret salt of the GDPR tombstones (the built-in salt is for the "
                f"generated demo data only). Set {SALT_VARIABLE} from your secret store, and "
                "never change it once a subject has been erased."
            )
        return self

    def run_config(self) -> dict[str, object]:
        """The OVERRIDABLE fields as Dagster run config of the run_settings resource."""
        values = {name: getattr(self, name) for name in self.OVERRIDABLE}
        values["raw_data_dir"] = str(self.landing_dir)
        values["warehouse_path"] = str(self.warehouse_path)
        # unset stays unset: the default follows the warehouse (exports_dir)
        values["export_dir"] = str(self.export_dir) if self.export_dir else None
        return values

    @property
    def is_replay(self) -> bool:
        """An earlier as-of date than the day of the run: nothing is erased."""
        return self.as_of_date != self.run_date

    @property
    def uses_demo_data(self) -> bool:
        return self.raw_data_dir is None or self.raw_data_dir == self.demo_data_dir

    @property
    def landing_dir(self) -> Path:
        """The folder dbt reads: RAW_DATA_DIR, else the generated demo data."""
        return self.raw_data_dir or self.demo_data_dir

    @property
    def exports_dir(self) -> Path:
        """EXPORT_DIR, else an `exports/` folder beside the warehouse."""
        return self.export_dir or self.warehouse_path.parent / "exports"

    @property
    def report_path(self) -> Path:
        """The HTML report of the warehouse, beside it: `<warehouse stem>_report.html`
        (warehouse/crm_inactivity.duckdb -> warehouse/crm_inactivity_report.html)."""
        return self.warehouse_path.with_name(f"{self.warehouse_path.stem}_report.html")

    @property
    def as_of(self) -> date:
        return date.fromisoformat(self.as_of_date)

    def dbt_vars(self, run_id: str | None = None,
                 warehouse_path: Path | None = None) -> dict[str, str]:
        """The dbt vars of dbt_project.yml / profiles.yml, as absolute paths. A run builds
        into its own file (`warehouse_path`, see orchestration.publish), never into the
        published one."""
        run = {"run_id": run_id} if run_id else {}  # the orchestrator's run, for the GDPR audit log
        return {
            "raw_data_dir": str(self.landing_dir),
            "as_of_date": self.as_of_date,
            "run_date": self.run_date,
            "warehouse_path": str(warehouse_path or self.warehouse_path),
            "gdpr_erasure_approved": "true" if self.approve_gdpr_erasure else "false",
            **run,
        }
