"""The reactivation files for the marketing tools (CONTRACT.md: the `EXPORT_DIR` files).

From a published warehouse, opened read-only (consumers may be reading it too), for one
as-of date:

- one CSV per channel, `reactivation_<channel>_<YYYY-MM-DD>.csv` (email, sms, postal), from
  `marts.reactivation_targets`: the ids, scenario, wave, message, offer and first name, the
  channel's address (email | phone_e164 | line_1 … line_6), send hour and priority, in
  sending order (scenario, wave, priority, individual_id). A channel with nobody to contact
  gets its header alone, so a consumer can tell "nothing today" from "not run";
- the custom audience, `reactivation_custom_audience_<YYYY-MM-DD>.csv`, from
  `marts.reactivation_custom_audience`: hashed email and phone only, never in clear.

Rules every file follows:

- Spreadsheet formula injection (OWASP "CSV Injection"): every cell whose text begins with
  `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single quote `'`, so a
  spreadsheet shows it as text instead of evaluating it. The contract asks this of every
  exported cell, with no exception by column: an E.164 phone is therefore written
  `'+33612345678`, and a tool importing the SMS file drops the leading quote (or reads
  the number from its digits).
- CSV: UTF-8, comma, a header, cells quoted only when they need it, rows ending with "\n";
  a row with a carriage return in a cell is quoted whole (Python's csv would leave that
  "\r" bare, and most readers would start a new row there).
- Atomic: a file is written to `.<name>.tmp-<pid>` in the same folder, flushed, fsynced and
  renamed over its final name, so a reader or a crash never sees half a file. Temporary
  files left by killed runs are removed at the start of the next one.
- Personal data: files are readable by their owner only, or by WAREHOUSE_GROUP too when it
  is set (orchestration.publish.restrict, the rule of every file the project writes).
- Erased people appear in no export (DOMAIN.md "GDPR erasure"): today's rows of a subject
  with a tombstone (gdpr.erasure_tombstones) are not written, and every
  `reactivation_*.csv` already in the folder, earlier days included, is rewritten without
  the rows of erased subjects. Tombstones are salted hashes (orchestration.gdpr_salt), so
  the salt is checked against the warehouse's first: with another salt they would match
  nobody.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

import duckdb

from orchestration.gdpr_salt import check_salt_matches, hash_salt, subject_hash
from orchestration.publish import restrict, table_exists

CHANNELS = ("email", "sms", "postal")
CUSTOM_AUDIENCE = "custom_audience"
ADDRESS_COLUMNS = {
    "email": ("email",),
    "sms": ("phone_e164",),
    "postal": tuple(f"line_{number}" for number in range(1, 7)),
}
_LEADING_COLUMNS = ("individual_id", "account_id", "household_id", "role", "scenario", "wave",
                    "message", "offer", "first_name")
_TRAILING_COLUMNS = ("send_hour", "priority")
CUSTOM_AUDIENCE_COLUMNS = ("individual_id", "scenario", "wave", "hashed_email", "hashed_phone")

# OWASP's list of the first characters a spreadsheet reads as the start of a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_GLOB = "reactivation_*.csv"
_TEMPORARY_MARK = ".tmp-"
_FETCH_BATCH = 10_000


class ExportScrubError(RuntimeError):
    """A file in the export folder cannot be checked for erased people."""


@dataclass(frozen=True)
class ExportResult:
    """What one export wrote. Keys: 'email', 'sms', 'postal', 'custom_audience'."""

    paths: dict[str, Path]
    row_counts: dict[str, int]
    # rows of erased subjects removed from files already in the folder (earlier days, or an
    # earlier run of this day)
    rows_scrubbed: int
    # rows of erased subjects the marts still held for this day, not written (0 unless a
    # model lets an erased person through)
    erased_rows_withheld: int = 0


def export_columns(kind: str) -> tuple[str, ...]:
    """The header of a channel's file, or of the custom audience's."""
    if kind == CUSTOM_AUDIENCE:
        return CUSTOM_AUDIENCE_COLUMNS
    return _LEADING_COLUMNS + ADDRESS_COLUMNS[kind] + _TRAILING_COLUMNS


def export_file_name(kind: str, as_of: date) -> str:
    return f"reactivation_{kind}_{as_of.isoformat()}.csv"


def neutralise(value: object) -> str:
    """A cell's text, with a leading quote when a spreadsheet would read it as a formula."""
    if value is None:
        text = ""
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def write_reactivation_exports(warehouse_path: Path, export_dir: Path,
                               as_of: date) -> ExportResult:
    """Writes the day's channel files and custom audience, then removes erased people from
    every reactivation file in the folder."""
    export_dir = Path(export_dir)
    _create_folder(export_dir)
    remove_stale_temporaries(export_dir)
    salt = hash_salt()
    paths: dict[str, Path] = {}
    row_counts: dict[str, int] = {}
    withheld = _Counter()
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        check_salt_matches(con, where=str(warehouse_path))
        erased = erased_subject_hashes(con)
        for kind in (*CHANNELS, CUSTOM_AUDIENCE):
            columns = export_columns(kind)
            rows = _without_erased(_query_rows(con, kind, columns, as_of), erased, salt,
                                   withheld)
            path = export_dir / export_file_name(kind, as_of)
            row_counts[kind] = write_csv_atomically(path, columns, rows)
            paths[kind] = path
    return ExportResult(paths=paths, row_counts=row_counts,
                        rows_scrubbed=scrub_erased(export_dir, erased, salt),
                        erased_rows_withheld=withheld.value)


# --- reading the warehouse --------------------------------------------------------------


def _query_rows(con: duckdb.DuckDBPyConnection, kind: str, columns: Sequence[str],
                as_of: date) -> Iterator[tuple]:
    # Column and table names come from this module's constants, never from data.
    select = ", ".join(columns)
    if kind == CUSTOM_AUDIENCE:
        sql = (f"select {select} from marts.reactivation_custom_audience "
               "where as_of_date = ? order by scenario, wave, individual_id")
        params: list[object] = [as_of]
    else:
        sql = (f"select {select} from marts.reactivation_targets "
               "where as_of_date = ? and channel = ? "
               "order by scenario, wave, priority nulls last, individual_id")
        params = [as_of, kind]
    cursor = con.execute(sql, params)
    while batch := cursor.fetchmany(_FETCH_BATCH):
        yield from batch


def erased_subject_hashes(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The tombstones' subject hashes (none before the first erasure)."""
    if not table_exists(con, "gdpr", "erasure_tombstones"):
        return frozenset()
    rows = con.execute("select subject_hash from gdpr.erasure_tombstones "
                       "where subject_hash is not null").fetchall()
    return frozenset(str(row[0]) for row in rows)


@dataclass
class _Counter:
    value: int = 0


def _is_erased(individual_id: str, erased: frozenset[str], salt: str) -> bool:
    if not erased or not individual_id:
        return False
    # an id that begins like a formula was written with the quote prefix: check both forms
    candidates = {individual_id}
    if individual_id.startswith("'") and individual_id[1:].startswith(FORMULA_TRIGGERS):
        candidates.add(individual_id[1:])
    return any(subject_hash(candidate, salt) in erased for candidate in candidates)


def _without_erased(rows: Iterable[tuple], erased: frozenset[str], salt: str,
                    withheld: _Counter) -> Iterator[tuple]:
    for row in rows:  # individual_id is the first column of every export
        if row[0] is not None and _is_erased(str(row[0]), erased, salt):
            withheld.value += 1
            continue
        yield row


# --- writing files ----------------------------------------------------------------------


def _create_folder(export_dir: Path) -> None:
    if export_dir.is_dir():
        return  # an existing folder keeps the permissions its owner gave it
    export_dir.mkdir(parents=True, exist_ok=True)
    restrict(export_dir)


def _temporary_path(path: Path) -> Path:
    return path.with_name(f".{path.name}{_TEMPORARY_MARK}{os.getpid()}")


@contextlib.contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """A text handle whose content replaces path at once when the block ends: written to a
    temporary file in the same folder (owner-only before the first byte), fsynced, then
    renamed. On any error the final file is untouched and the temporary one removed."""
    temporary = _temporary_path(path)
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "w", encoding="utf-8", newline="") as handle:
            restrict(temporary)  # before the first byte of personal data
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)  # atomic: readers see the old file or the new one
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)  # the rename itself survives a power cut


def write_csv_atomically(path: Path, header: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Writes header and rows (every cell neutralised) to path through atomic_text_file;
    returns the number of rows."""
    count = 0
    with atomic_text_file(path) as handle:
        minimal = csv.writer(handle, delimiter=",", quoting=csv.QUOTE_MINIMAL,
                             lineterminator="\n")
        # Python's csv quotes a cell holding the line terminator ("\n") but not a bare
        # "\r", which most readers take for the end of a row: a row with one is quoted
        # whole, so a message cannot start a row of its own.
        every_cell_quoted = csv.writer(handle, delimiter=",", quoting=csv.QUOTE_ALL,
                                       lineterminator="\n")
        for number, row in enumerate(itertools.chain([header], rows)):
            cells = [neutralise(value) for value in row]
            writer = every_cell_quoted if any("\r" in cell for cell in cells) else minimal
            writer.writerow(cells)
            count = number  # the header is row 0
    return count


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def remove_stale_temporaries(export_dir: Path) -> list[Path]:
    """Removes the temporary files of runs that died before their rename. A temporary file
    of another process still running (an export writing into the same folder) is left."""
    removed = []
    for temporary in export_dir.glob(f".{EXPORT_GLOB}{_TEMPORARY_MARK}*"):
        pid_text = temporary.name.rsplit(_TEMPORARY_MARK, 1)[1]
        pid = int(pid_text) if pid_text.isdigit() else None
        if pid and pid != os.getpid() and _process_alive(pid):
            continue
        temporary.unlink(missing_ok=True)
        removed.append(temporary)
    return removed


# --- erased people in files already written ---------------------------------------------


def scrub_export_dirs(warehouse_path: Path, export_dirs: Iterable[Path]) -> int:
    """Removes the rows of every subject erased in the warehouse from the reactivation files
    of these folders (those that exist); returns the number of rows removed. Run after each
    publish that may have erased someone, for every folder exports were ever written to."""
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        check_salt_matches(con, where=str(warehouse_path))
        erased = erased_subject_hashes(con)
    salt = hash_salt()
    return sum(scrub_erased(folder, erased, salt) for folder in export_dirs if folder.is_dir())


def scrub_erased(export_dir: Path, erased: frozenset[str], salt: str | None = None) -> int:
    """Rewrites every reactivation file of the folder without the rows of erased subjects;
    returns the number of rows removed."""
    if not erased:
        return 0
    salt = salt or hash_salt()
    removed = 0
    for path in sorted(export_dir.glob(EXPORT_GLOB)):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            rows = list(reader)
        if header is None:
            continue  # an empty file names nobody
        if "individual_id" not in header:
            raise ExportScrubError(
                f"{path} has no individual_id column, so erased people cannot be removed from "
                f"it. Files named {EXPORT_GLOB} in the export folder are reactivation "
                "exports: move this file elsewhere or delete it."
            )
        position = header.index("individual_id")
        kept = [row for row in rows
                if not (len(row) > position and _is_erased(row[position], erased, salt))]
        if len(kept) == len(rows):
            continue
        # neutralising is idempotent: a cell already prefixed begins with the quote
        write_csv_atomically(path, header, kept)
        removed += len(rows) - len(kept)
    return removed

