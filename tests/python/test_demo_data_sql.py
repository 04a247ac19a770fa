"""The demo generator's package (orchestration/demo_data/): its SQL files and the digest that
regenerates the demo set when they change. No data is generated: these take milliseconds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from orchestration.demo_data import generate, sql
from orchestration.demo_data.reference_lists import reference_lists
from orchestration.landing_contract import contract_columns
from orchestration.settings import files_digest


def test_every_sql_file_is_used_and_every_used_file_exists() -> None:
    """No orphan .sql file: each one is a macro script, a staging step or a landing table."""
    used = sql.used_files(list(contract_columns()))
    assert sorted(sql.SQL_DIR.rglob("*.sql")) == sorted(used)


def test_each_reference_list_has_its_macro() -> None:
    defined = re.findall(r"create macro (\w+)\(\) as reference_list\('(\w+)'\)",
                         sql.read("reference_lists.sql"))
    assert all(name == listed for name, listed in defined)
    assert sorted(name for name, _ in defined) == sorted(reference_lists())


def test_the_generator_digest_covers_every_python_and_sql_file() -> None:
    files = set(generate.generator_files())
    package = Path(generate.__file__).parent
    assert set(package.glob("*.py")) <= files
    assert set(sql.SQL_DIR.rglob("*.sql")) <= files


def test_the_generator_digest_changes_when_a_sql_file_changes(tmp_path, monkeypatch) -> None:
    """generated_landing_data regenerates the demo set when the SQL changes, not only the
    Python (a copy of the package is edited, never the repository)."""
    copy = tmp_path / "demo_data"
    shutil.copytree(Path(generate.__file__).parent, copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(generate, "PACKAGE_DIR", copy)
    before = files_digest(generate.generator_files())
    assert files_digest(generate.generator_files()) == before
    step = copy / "sql" / "staging" / "people.sql"
    step.write_text(step.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
    assert files_digest(generate.generator_files()) != before
