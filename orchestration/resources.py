"""Dagster resources: the run's settings, and the writer of the warehouse."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import dbt.version
from dagster import ConfigurableResource, InitResourceContext, get_dagster_logger
from dagster_dbt import DbtCliResource
from packaging import version
from pydantic import PrivateAttr

from orchestration.publish import (
    WarehouseFiles,
    prepare_build,
    publish_build,
    release_writer_lock,
    set_aside_unpublished,
)
from orchestration.settings import RunSettings


class CrmDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource without two costs paid on every dbt step for features this
    project does not use (measured on the planted set: about 6 s of a 60 s run):

    - `dbt --version` in a process of its own (2 s), to tell dbt Core from the Fusion
      engine: the dbt run here is the dbt-core installed beside Dagster (requirements.lock);
    - a dbt adapter opened in Dagster's process (1.5 s per step), used only to fetch row
      counts and column metadata, which no step asks for.
    test_definitions checks both stay off."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(dbt.version.__version__)

    def _initialize_dbt_core_adapter(self, args: Any) -> None:
        return None


class RunSettingsResource(ConfigurableResource):
    """Per-run overrides of the environment (RAW_DATA_DIR, AS_OF_DATE, RUN_DATE,
    WAREHOUSE_PATH, EXPORT_DIR ...).

    A resource rather than op config so one value set in the launchpad (e.g. an older
    as_of_date to replay) reaches every asset of the run: dbt, the report and the demo data.
    Unset fields fall back to the environment, read when the run starts.
    """

    # the fields of RunSettings.OVERRIDABLE (test_definitions checks they match)
    raw_data_dir: str | None = None
    as_of_date: str | None = None
    # the day of the run: erasure happens only when as_of_date is this day
    run_date: str | None = None
    warehouse_path: str | None = None
    # where the reactivation export files go (default: exports/ beside the warehouse)
    export_dir: str | None = None
    demo_individuals: int | None = None
    demo_seed: int | None = None
    # after reviewing marts.gdpr_erasure_candidates: let this run erase above the breaker
    approve_gdpr_erasure: bool | None = None

    def resolve(self) -> RunSettings:
        return RunSettings.from_env().with_overrides(**self.model_dump())


class WarehouseWriterResource(ConfigurableResource):
    """Where the steps of a run write: a private build file, published by the last step
    (orchestration/publish.py). Held for the whole run: when the run ends without
    publishing (a failure, a blocked check, a partial selection), its build is set aside as
    `<name>.rejected.duckdb` and the published warehouse stays as it was; the writer lock
    is released either way."""

    _prepared: dict[str, WarehouseFiles] = PrivateAttr(default_factory=dict)

    def build_path(self, settings: RunSettings, run_id: str) -> Path:
        """This run's build file (the first call takes the lock and copies the warehouse)."""
        files = WarehouseFiles(settings.warehouse_path)
        build = prepare_build(files, run_id)
        self._prepared[run_id] = files
        return build

    def publish(self, settings: RunSettings, run_id: str) -> Path:
        return publish_build(WarehouseFiles(settings.warehouse_path), run_id)

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        for run_id, files in self._prepared.items():
            rejected = set_aside_unpublished(files, run_id)
            if rejected:
                get_dagster_logger().warning(
                    f"this run did not publish: {files.published} is unchanged; "
                    f"what it built is in {rejected}"
                )
            release_writer_lock(files)
        self._prepared.clear()
