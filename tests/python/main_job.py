"""Runs the main job (`python -m orchestration run`, what `make run` calls) the way a user
does, in a subprocess with the settings in the environment, and reads the warehouse back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
TEST_SALT = "salt-of-the-tests"


def run_main_job(raw_data_dir: Path | None, warehouse: Path, as_of: str, *,
                 command: str = "run", **extra_env: str) -> subprocess.CompletedProcess[str]:
    """`python -m orchestration <command>` (the main job, or `refit-score`)."""
    # a landing folder of real data needs the salt of the GDPR hashes (RunSettings)
    # RUN_ALWAYS: a test that runs twice on the same inputs means a second run; the skip of a
    # run with nothing new is tested on its own (test_end_to_end, RUN_ALWAYS="")
    env = {**os.environ, "AS_OF_DATE": as_of, "WAREHOUSE_PATH": str(warehouse),
           "GDPR_HASH_SALT": TEST_SALT, "RUN_ALWAYS": "true", **extra_env}
    env.pop("RAW_DATA_DIR", None)
    if raw_data_dir is not None:
        env["RAW_DATA_DIR"] = str(raw_data_dir)
    return subprocess.run(
        [sys.executable, "-m", "orchestration", command],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=900, check=False,
    )


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def rows_by_key(warehouse: Path, sql: str) -> dict[str, tuple]:
    """The rows of `sql`, keyed by their first column."""
    return {row[0]: tuple(row[1:]) for row in query(warehouse, sql)}
