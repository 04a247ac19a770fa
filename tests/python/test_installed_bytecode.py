"""`make setup` installs the packages with their bytecode (`uv pip install --compile-bytecode`,
as pip does by default).

Without it, where PYTHONDONTWRITEBYTECODE is set (this machine's shells set it), no process
may write the .pyc files it compiles: every one of them, each dbt step included, compiled
Dagster, dbt and Great Expectations again. Their import took 23 to 28 s of CPU instead of
12 to 13 s, and one main-job run 182 s instead of 141 s. Where the variable is not set,
Python writes the .pyc files of what it imports, but only of that: this test tells the two
apart by asking for every module of the packages, imported or not.
"""

import importlib.util
from pathlib import Path

import dagster
import dagster_dbt
import dbt
import great_expectations
import pytest


@pytest.mark.parametrize("package", [dagster, dagster_dbt, dbt, great_expectations],
                         ids=lambda package: package.__name__)
def test_every_module_of_the_heavy_packages_has_its_bytecode(package) -> None:
    root = Path(package.__path__[0])
    missing = [str(path.relative_to(root)) for path in root.rglob("*.py")
               if not Path(importlib.util.cache_from_source(str(path))).exists()]
    assert missing == [], (
        f"{len(missing)} modules of {package.__name__} have no .pyc, e.g. {missing[:3]}: "
        "the venv was installed without --compile-bytecode (rm .venv/.installed; make setup)")
