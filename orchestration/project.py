"""The dbt project as Dagster sees it: `crm_dbt_project()`, built on first use, then cached.

`make setup` writes target/manifest.json (`dbt parse`); the dbt assets read it when their
module is imported. Under `dagster dev`, `dg dev` and `dg check defs` (which set
DAGSTER_IS_DEV_CLI), the first call parses the project again, so that a model edited since
the last `make setup` shows up on reload.
"""

import sys
from functools import cache
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from dagster_dbt.dbt_project import using_dagster_dev

from orchestration.settings import REPO_ROOT  # where dbt_project.yml and profiles.yml sit


def dbt_executable() -> str:
    """This interpreter's dbt (the venv's), so that neither a run nor the re-parse needs an
    activated venv (`.venv/bin/dg check defs`) or changes PATH."""
    beside = Path(sys.prefix, "bin", "dbt")
    return str(beside) if beside.exists() else "dbt"


@cache
def crm_dbt_project() -> DbtProject:
    project = DbtProject(project_dir=REPO_ROOT, profiles_dir=REPO_ROOT)
    if using_dagster_dev():  # dagster-dbt's own test, as its prepare_if_dev()
        DbtCliResource(project_dir=project, dbt_executable=dbt_executable()).cli(
            ["parse", "--quiet"], target_path=project.target_path,
        ).wait()
    return project
