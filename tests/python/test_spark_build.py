"""The Spark runner's pure parts, without Spark (make test-spark builds on it)."""

from __future__ import annotations

from pathlib import Path

from orchestration import spark_build


def test_the_session_is_local_small_utc_and_keeps_its_files_in_the_given_folder(tmp_path):
    settings = spark_build.spark_settings(tmp_path)
    assert settings["spark.master"] == "local[2]"
    assert settings["spark.sql.session.timeZone"] == "UTC"
    assert settings["spark.sql.warehouse.dir"] == str(tmp_path / "tables")
    assert f"-Dderby.system.home={tmp_path / 'metastore'}" in settings["spark.driver.extraJavaOptions"]
    # every value a string, as SparkSession.builder.config takes them from a profile
    assert all(isinstance(value, str) for value in settings.values())


def test_without_a_dbt_command_it_prints_its_usage_and_starts_nothing(capsys, monkeypatch):
    monkeypatch.setattr(spark_build, "start_session",
                        lambda _: (_ for _ in ()).throw(AssertionError("started Spark")))
    assert spark_build.main([]) == 2
    assert spark_build.main(["--select", "x"]) == 2
    assert "python -m orchestration.spark_build" in capsys.readouterr().err


def test_the_default_spark_folder_is_ignored_by_git():
    ignored = (Path(spark_build.REPO_ROOT) / ".gitignore").read_text().splitlines()
    assert f"{spark_build.DEFAULT_SPARK_WAREHOUSE_DIR.name}/" in ignored
