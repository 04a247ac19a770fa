"""DuckDB's memory cap reaches every DuckDB of a run, not only dbt's.

At 1,000,000 individuals the benchmark's process tree peaked at 20 GiB with
DUCKDB_MEMORY_LIMIT=8GB: dbt's connections had the cap (profiles.yml), the Python steps'
did not, and DuckDB's default is 80 % of the machine's memory.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from expectations.duckdb_dialect import connection_url, dispose_engines
from orchestration.publish import WarehouseFiles, publish_build, record_gate_result
from orchestration.settings import DEFAULT_DUCKDB_MEMORY_LIMIT, REPO_ROOT, duckdb_memory_limit


def test_the_default_is_the_one_of_profiles_yml() -> None:
    profile = (REPO_ROOT / "profiles.yml").read_text(encoding="utf-8")
    assert re.search(r"env_var\('DUCKDB_MEMORY_LIMIT', '([^']+)'\)", profile).group(1) == (
        DEFAULT_DUCKDB_MEMORY_LIMIT)
    assert duckdb_memory_limit({}) == DEFAULT_DUCKDB_MEMORY_LIMIT
    assert duckdb_memory_limit({"DUCKDB_MEMORY_LIMIT": " 8GB "}) == "8GB"


def built(tmp_path: Path, run_id: str) -> WarehouseFiles:
    files = WarehouseFiles(tmp_path / "w.duckdb")
    with duckdb.connect(str(files.build(run_id))) as con:
        con.execute("create schema marts")
        con.execute("create table marts.individual_activity as select 'I1' as individual_id")
    record_gate_result(files.build(run_id), run_id, "2026-06-30", True, [])
    return files


def test_the_publish_copy_runs_under_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A cap DuckDB cannot parse stops the copy: the setting is applied to it."""
    monkeypatch.setenv("DUCKDB_MEMORY_LIMIT", "lots")
    with pytest.raises(duckdb.Error, match="(?i)memory"):
        publish_build(built(tmp_path, "r1"), "r1")
    monkeypatch.setenv("DUCKDB_MEMORY_LIMIT", "1GB")
    published = publish_build(built(tmp_path, "r2"), "r2")
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select individual_id from marts.individual_activity").fetchall() == [
            ("I1",)]


def test_the_gate_connects_under_the_cap(tmp_path: Path) -> None:
    import sqlalchemy

    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()
    engine = sqlalchemy.create_engine(connection_url(warehouse, memory_limit="1GB"))
    try:
        with engine.connect() as con:
            limit = con.execute(sqlalchemy.text(
                "select current_setting('memory_limit')")).scalar()
    finally:
        dispose_engines(warehouse)
    assert limit == "953.6 MiB"  # 1 GB (10^9 bytes), as DuckDB prints it
