"""Build into a private copy, check it there, publish it atomically.

Consumers open WAREHOUSE_PATH read-only, often while a build runs. So a run never writes
that file:

1. it takes the writer lock (`<warehouse>.lock`, an flock the kernel releases when the
   process dies, so a killed run never blocks the next one); a second run stops at once;
2. it copies the published file to its build file (`.<name>.build-<run>.duckdb` beside it),
   which carries every append-only table over (history, tombstones, audit log, load log);
3. dbt, the quality gate, the outputs and the erasure all write that build file;
4. the publish step, last, checks that the gate passed in this run, writes a compact copy
   of the build file (`COPY FROM DATABASE`: only live data, so no freed block of an erased
   person survives) and renames it over WAREHOUSE_PATH (atomic on one file system).

A failed or killed run leaves the published file exactly as it was; its build file is kept
as `<name>.rejected.duckdb` for inspection until the next publish removes it. The gate's
volume baseline (quality.landing_load_log) therefore counts published runs only.

Files are created readable by their owner only; WAREHOUSE_GROUP=<group> also lets that
group read them.
"""

from __future__ import annotations

import fcntl
import grp
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import duckdb

from orchestration.gdpr_salt import check_salt_matches
from orchestration.settings import set_duckdb_memory_limit

GATE_RUNS_TABLE = "quality.quality_gate_runs"


class WarehouseBusyError(RuntimeError):
    """Another run holds the writer lock of this warehouse."""


class PublishRefusedError(RuntimeError):
    """The build of this run may not be published (the gate did not pass in it)."""


# --- permissions ------------------------------------------------------------------------


def shared_group() -> str | None:
    """WAREHOUSE_GROUP: the group that may read the warehouse, outputs and logs (none by
    default: owner only)."""
    return os.environ.get("WAREHOUSE_GROUP", "").strip() or None


def restrict_new_files() -> None:
    """Every file this process (and dbt, DuckDB, Great Expectations under it) creates from
    now on is readable by its owner only, or by the configured group too."""
    os.umask(0o027 if shared_group() else 0o077)


def restrict(path: Path) -> None:
    """Owner (and configured group) only, for a file or folder that may predate the umask."""
    group = shared_group()
    if group:
        shutil.chown(path, group=grp.getgrnam(group).gr_name)
    directory = path.is_dir()
    os.chmod(path, (0o750 if group else 0o700) if directory else (0o640 if group else 0o600))


# --- the files of one warehouse ---------------------------------------------------------


@dataclass(frozen=True)
class WarehouseFiles:
    """The published warehouse and the files a run writes beside it."""

    published: Path

    @property
    def lock(self) -> Path:
        return self.published.with_name(self.published.name + ".lock")

    @property
    def rejected(self) -> Path:
        return self.published.with_name(f"{self.published.stem}.rejected.duckdb")

    def build(self, run_id: str) -> Path:
        return self.published.with_name(f".{self.published.stem}.build-{run_id}.duckdb")

    def _publishing(self, run_id: str) -> Path:
        return self.published.with_name(f".{self.published.stem}.publishing-{run_id}.duckdb")

    def stale_builds(self) -> Iterator[Path]:
        """Build and publishing files of runs that are no longer running (call with the lock)."""
        for pattern in (f".{self.published.stem}.build-*", f".{self.published.stem}.publishing-*"):
            yield from self.published.parent.glob(pattern)


def _remove(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


# --- the writer lock ----------------------------------------------------------------------

# Locks this process holds (the steps of one run share them): path -> open lock file.
_HELD: dict[Path, IO[str]] = {}


def acquire_writer_lock(files: WarehouseFiles) -> None:
    """Takes the warehouse's writer lock for this process, or raises WarehouseBusyError
    naming the run that holds it. Re-entrant within a process."""
    if files.lock in _HELD:
        return
    files.lock.parent.mkdir(parents=True, exist_ok=True)
    handle = files.lock.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "pid unknown"
        handle.close()
        raise WarehouseBusyError(
            f"another run ({holder}) is writing this warehouse ({files.published}); "
            "wait for it to finish, then start this one again"
        ) from None
    handle.seek(0)
    handle.truncate()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    handle.write(f"pid {os.getpid()}, started at {started}\n")
    handle.flush()
    _HELD[files.lock] = handle


def release_writer_lock(files: WarehouseFiles) -> None:
    handle = _HELD.pop(files.lock, None)
    if handle is not None:
        handle.truncate(0)
        handle.close()  # closing releases the flock


# --- one run: prepare, publish, give up ---------------------------------------------------


def check_can_write(files: WarehouseFiles) -> None:
    """What a run checks before it starts: it can take the writer lock, and GDPR_HASH_SALT
    is the salt of the published tombstones (a run with another salt stops before building
    anything). Raises WarehouseBusyError or SaltMismatchError."""
    acquire_writer_lock(files)
    if files.published.exists():
        with duckdb.connect(str(files.published), read_only=True) as con:
            check_salt_matches(con, where=str(files.published))


def prepare_build(files: WarehouseFiles, run_id: str) -> Path:
    """The build file of this run, created on first use from the published warehouse.

    Checks first that GDPR_HASH_SALT is the salt of the published tombstones: a run with
    another salt stops before building anything.
    """
    build = files.build(run_id)
    if build.exists():
        return build
    restrict_new_files()
    check_can_write(files)
    for stale in files.stale_builds():  # left by a killed run: we hold the lock
        stale.unlink(missing_ok=True)
    build.parent.mkdir(parents=True, exist_ok=True)
    if files.published.exists():
        shutil.copyfile(files.published, build)
        restrict(build)
    return build


def record_gate_result(build: Path, run_id: str, as_of_date: str, passed: bool,
                       failed_suites: list[str]) -> None:
    """Appends the gate's verdict to the build; publish_build reads it."""
    with duckdb.connect(str(build)) as con:
        con.execute("create schema if not exists quality")
        con.execute(
            f"create table if not exists {GATE_RUNS_TABLE} (run_id varchar, checked_at "
            "timestamp, as_of_date date, passed boolean, failed_suites varchar[])"
        )
        con.execute(
            f"insert into {GATE_RUNS_TABLE} values (?, ?, ?, ?, ?)",
            [run_id, datetime.now(UTC).replace(tzinfo=None), as_of_date, passed, failed_suites],
        )


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """Whether a warehouse has this table yet (append-only tables appear on their first run,
    outputs behind the gate only once it passed)."""
    return bool(con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchall()[0][0])


def gate_passed(build: Path, run_id: str) -> bool:
    with duckdb.connect(str(build), read_only=True) as con:
        if not table_exists(con, "quality", "quality_gate_runs"):
            return False
        rows = con.execute(
            f"select bool_and(passed) from {GATE_RUNS_TABLE} where run_id = ?", [run_id]
        ).fetchall()
    return bool(rows and rows[0][0])


def publish_build(files: WarehouseFiles, run_id: str) -> Path:
    """Replaces the published warehouse with a compact copy of this run's build."""
    build = files.build(run_id)
    if not build.exists():
        raise PublishRefusedError(f"this run built nothing to publish ({build} is missing)")
    if not gate_passed(build, run_id):
        raise PublishRefusedError(
            "the quality gate did not pass in this run, so its build is not published "
            f"(consumers keep {files.published} as it was)"
        )
    publishing = files._publishing(run_id)
    _remove(publishing)
    # A logical copy holds live data only: no freed block keeps an erased person's data.
    with duckdb.connect(str(publishing)) as con:
        set_duckdb_memory_limit(con)  # the copy moves every table: 80 % of RAM otherwise
        target = con.execute("select current_database()").fetchall()[0][0].replace('"', '""')
        con.execute(f"attach '{_sql_text(build)}' as build_db (read_only)")
        con.execute(f'copy from database build_db to "{target}"')
        con.execute("detach build_db")
        con.execute("checkpoint")
    restrict(publishing)
    with publishing.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(publishing, files.published)  # atomic: readers see the old or the new file
    _remove(build)
    _remove(files.rejected)  # a rejected build must not outlive a later erasure
    return files.published


def set_aside_unpublished(files: WarehouseFiles, run_id: str) -> Path | None:
    """After a run that did not publish: its build becomes <name>.rejected.duckdb."""
    build = files.build(run_id)
    if not build.exists():
        return None
    _remove(files.rejected)
    os.replace(build, files.rejected)
    _remove(build)
    return files.rejected


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")
