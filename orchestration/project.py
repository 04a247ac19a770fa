"""The dbt project as Dagster sees it.

`dagster-dbt project prepare-and-package --file orchestration/project.py` loads this file on
its own (not as part of the package), so it imports nothing from `orchestration`. That command
runs `dbt parse` at set-up to write target/manifest.json; under `dagster dev` and
`dg check defs`, prepare_if_dev() re-parses on each load so model edits show up.
"""

import os
import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtProject

# dbt_project.yml and profiles.yml sit at the repository root.
_REPO_ROOT = Path(__file__).resolve().parents[1]

# dagster-dbt's preparer runs plain `dbt` from PATH. When the venv is not activated (e.g.
# `.venv/bin/dg check defs`), put this interpreter's bin first, as activation would.
_VENV_BIN = Path(sys.prefix, "bin")
if shutil.which("dbt") is None and (_VENV_BIN / "dbt").exists():
    os.environ["PATH"] = f"{_VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"

crm_dbt_project = DbtProject(project_dir=_REPO_ROOT, profiles_dir=_REPO_ROOT)
crm_dbt_project.prepare_if_dev()
