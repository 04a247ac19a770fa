"""What a run is built from, fingerprinted: a run whose inputs are those the warehouse was
last built from has nothing to do.

The inputs: every file of the landing folder (name, size, modification time: what `make`
and `rsync` compare, without reading gigabytes), the settings that reach the models, the
salt's fingerprint, the code (the dbt project's own files, dbt_project.yml with every var's
default, profiles.yml; the Python of orchestration/ and expectations/; the lock file) and
the postal reference.

`make run` writes them beside the warehouse (`<warehouse>.last_run.json`) once its job
succeeded to the end, exports included, with the state of the file it published. The next
`make run` compares before starting and skips a run that would rebuild the same warehouse
(RUN_ALWAYS=true runs anyway). A run that failed or was killed, or a warehouse published
since by anything else (a Dagster UI run), is never skipped. An as-of date of "today" is a
new date every day.
"""

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from orchestration.gdpr_salt import salt_fingerprint
from orchestration.settings import REPO_ROOT, RunSettings, files_digest

# the code a run executes: (folder, file pattern) read whole, and single files. The dbt
# project's own files, not its parsed manifest: an edited model counts before `make setup`.
_CODE = (("orchestration", "*.py"), ("expectations", "*.py"), ("models", "*"), ("macros", "*"),
         ("seeds", "*"), ("snapshots", "*"), ("tests", "*.sql"), ("tests", "*.yml"))
_CODE_FILES = ("dbt_project.yml", "profiles.yml", "requirements.lock")


def _file_state(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def run_inputs(settings: RunSettings, job: str) -> dict[str, object]:
    """Everything a run of `job` with these settings is built from (no personal data)."""
    landing = settings.landing_dir
    code = [path for folder, pattern in _CODE for path in (REPO_ROOT / folder).rglob(pattern)
            if path.is_file() and "__pycache__" not in path.parts]
    code += [REPO_ROOT / name for name in _CODE_FILES if (REPO_ROOT / name).exists()]
    postal = REPO_ROOT / "data" / "reference" / "postal_codes.csv"
    return {
        "job": job,
        "as_of_date": settings.as_of_date,
        "run_date": settings.run_date,
        "landing_dir": str(landing),
        "landing_files": {path.name: _file_state(path) for path in sorted(landing.glob("*"))
                          if path.is_file()} if landing.is_dir() else {},
        "export_dir": str(settings.exports_dir),
        "approve_gdpr_erasure": settings.approve_gdpr_erasure,
        # the demo generator's settings: its files are rewritten when they change
        "demo": [settings.demo_individuals, settings.demo_seed] if settings.uses_demo_data else None,
        "salt": salt_fingerprint(),
        "code": files_digest(code),
        "postal_reference": _file_state(postal) if postal.exists() else "",
    }


def fingerprint(inputs: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def last_run_file(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".last_run.json")


def record_completed_run(settings: RunSettings, job: str, run_id: str) -> None:
    """After a run of `job` that succeeded to its end (exports included): what it was built
    from, and the state of the file it published. Written atomically beside the warehouse."""
    inputs = run_inputs(settings, job)
    record = {"run_id": run_id, "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
              "fingerprint": fingerprint(inputs), "inputs": inputs,
              "warehouse": _file_state(settings.warehouse_path)}
    target = last_run_file(settings.warehouse_path)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(json.dumps(record, indent=2, sort_keys=True), encoding="utf-8")
    partial.replace(target)


def nothing_changed(settings: RunSettings, job: str) -> str | None:
    """Why a run of `job` would rebuild the published warehouse as it is, or None when it
    would not: an input changed, the last run of this warehouse did not finish, or something
    else published it since (a Dagster UI run, another job)."""
    record_file = last_run_file(settings.warehouse_path)
    if not (record_file.exists() and settings.warehouse_path.exists()):
        return None
    record = json.loads(record_file.read_text(encoding="utf-8"))
    if (record.get("warehouse") != _file_state(settings.warehouse_path)
            or record.get("fingerprint") != fingerprint(run_inputs(settings, job))):
        return None
    return (f"nothing changed since run {record['run_id']} built {settings.warehouse_path} "
            f"(finished {record['finished_at']}): same landing files, settings and code, "
            "nothing to do. RUN_ALWAYS=true runs anyway.")
