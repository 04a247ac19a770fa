"""The Great Expectations quality gate (expectations/): suites from the landing rules, run on
fake DuckDB warehouses built from those same rules.

Two shared gate runs carry most assertions: a VALID warehouse (every suite passes) and an
INVALID one where each rule of each table is broken on exactly one planted row (or two, for
duplicate keys): the gate must name exactly those expectations, with exact unexpected
counts and the planted keys. Smaller runs cover the volume band, the postal-code share and
the report's truncation; the dialect tests show why ``duckdb_buffered://`` exists.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa
from main_job import require_slow_marker

from expectations.config import GateConfig
from expectations.gate import GateReport, run_quality_gate
from expectations.rules import (
    DEFAULT_SOURCES_YAML,
    TableRules,
    rules_from_manifest,
    rules_from_sources_yaml,
)
from expectations.suites import POSTAL_CODES_SUITE

ROOT = Path(__file__).resolve().parents[2]
RUN_DATE = date(2026, 6, 30)
ROWS = 12  # valid rows per table, keys k1..k12; references point at k<i> of the parent
RULES = rules_from_sources_yaml()
BY_TABLE = {r.table: r for r in RULES}
SUITES = [r.suite_name for r in RULES] + [POSTAL_CODES_SUITE]
CONFIG = GateConfig.load()
PARENTS = {parent for r in RULES for parent in r.references.values()}


# --- fixtures built from the rules --------------------------------------------------------


def _value(rules: TableRules, column: str, i: int):
    """A valid value of row i (1-based)."""
    data_type = rules.columns.get(column, "varchar").lower()
    if column in rules.accepted_values:
        return rules.accepted_values[column][0]
    if column in rules.references:
        return f"k{i}"
    day = date(2020, 1, 1) + timedelta(days=(i - 1) % 2000)  # always before RUN_DATE
    if column in rules.not_after_run_date and i == 1:  # on the boundary: still valid
        return RUN_DATE if data_type == "date" else datetime(2026, 6, 30, 23, 59, 59)
    if data_type == "date":
        return day
    if data_type == "timestamp":
        return datetime(day.year, day.month, day.day, 12)
    if data_type == "boolean":
        return True
    if data_type == "integer":
        return i
    if data_type.startswith("decimal"):
        return Decimal(i) + Decimal("0.5")
    if column == "postal_code":
        return "75001"
    if column == "country_code":
        return "FR"
    return f"k{i}"


def _future(rules: TableRules, column: str):
    if rules.columns.get(column, "").lower() == "date":
        return RUN_DATE + timedelta(days=1)
    return datetime(2026, 7, 1, 0, 0, 0)


@dataclass(frozen=True)
class Planted:
    """One expected failure: suite, meta rule, column, exact count, the keys it names."""

    suite: str
    rule: str
    column: str | None
    count: int
    keys: tuple[str, ...]


def _key_text(rules: TableRules, row: dict) -> str:
    values = ["null" if row[c] is None else str(row[c]) for c in rules.key_columns]
    return values[0] if len(values) == 1 else "(" + ", ".join(values) + ")"


def valid_tables() -> dict[str, list[dict]]:
    return {
        r.table: [{c: _value(r, c, i) for c in r.columns} for i in range(1, ROWS + 1)]
        for r in RULES
    }


def invalid_tables() -> tuple[dict[str, list[dict]], list[Planted]]:
    """Every rule of every table broken once, each on its own row (rows 2.. mutated in
    place, so no key a child references changes), plus a duplicate and null keys added."""
    tables = valid_tables()
    planted: list[Planted] = []
    for r in RULES:
        rows = tables[r.table]
        free = iter(range(2, ROWS))  # rows 0 (k1) and 1 (k2) are copied below: kept intact

        def mutate(rule: str, column: str, value, r=r, rows=rows, free=free) -> None:
            # a key column may be broken in place only if no table references this one
            assert column not in r.key_columns or r.table not in PARENTS, (r.table, column)
            row = rows[next(free)]
            row[column] = value
            planted.append(Planted(r.suite_name, rule, column, 1, (_key_text(r, row),)))

        for column in r.required:
            if column not in r.key_columns:
                mutate("required", column, None)
        for column in r.accepted_values:
            mutate("accepted_values", column, "not-a-listed-value")
        for column in r.not_after_run_date:
            mutate("not_after_run_date", column, _future(r, column))
        for column in r.references:
            mutate("reference", column, "no-such-parent")
        # duplicate key: a full copy of row 1 (k2)
        rows.append(dict(rows[1]))
        planted.append(
            Planted(r.suite_name, "key_unique", ", ".join(r.key_columns), 2,
                    (_key_text(r, rows[1]),) * 2)
        )
        # a null in each key column: a copy of row 1 with that column emptied
        for column in r.key_columns:
            row = dict(rows[0])
            row[column] = None
            rows.append(row)
            planted.append(Planted(r.suite_name, "key_present", column, 1, (_key_text(r, row),)))
    individuals = tables["individuals"]
    for index in (5, 6):  # two malformed postal codes of 14 French ones: 14 % > 5 %
        individuals[index]["postal_code"] = "7500"
    planted.append(
        Planted(
            POSTAL_CODES_SUITE, "postal_code_share", "postal_code", 2,
            (individuals[5]["individual_id"], individuals[6]["individual_id"]),
        )
    )
    return tables, planted


def write_warehouse(
    path: Path,
    tables: dict[str, list[dict]],
    *,
    previous: dict[str, int] | None | str = "same",
    rules: list[TableRules] = RULES,
) -> Path:
    """A DuckDB file with staging.stg_landing__<table> (typed as the rules say) and
    quality.landing_load_log: a previous run with ``previous`` counts ("same": the tables'
    own counts; None: no previous run) and the current run."""
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists staging; create schema if not exists quality")
    for r in rules:
        columns = ", ".join(f'"{c}" {t or "varchar"}' for c, t in r.columns.items())
        con.execute(f"create or replace table {r.relation} ({columns})")
        rows = tables[r.table]
        if rows:
            marks = ", ".join("?" for _ in r.columns)
            con.executemany(
                f"insert into {r.relation} values ({marks})",
                [[row[c] for c in r.columns] for row in rows],
            )
    con.execute(
        "create or replace table quality.landing_load_log (dbt_invocation_id varchar, "
        "loaded_at timestamp, as_of_date date, source_table varchar, rows_landed bigint, "
        "rows_quarantined bigint, rows_staged bigint)"
    )
    runs = []
    if previous is not None:
        counts = {t: len(rows) for t, rows in tables.items()} if previous == "same" else previous
        runs.append(("previous-run", datetime(2026, 6, 29, 6), counts))
    runs.append(("current-run", datetime(2026, 6, 30, 6), {t: len(v) for t, v in tables.items()}))
    for invocation, loaded_at, counts in runs:
        for table, count in counts.items():
            con.execute(
                "insert into quality.landing_load_log values (?, ?, ?, ?, ?, 0, ?)",
                [invocation, loaded_at, RUN_DATE, table, count, count],
            )
    con.close()
    return path


def gate(
    warehouse: Path, output_dir: Path, *, rules: list[TableRules] = RULES, **overrides
) -> GateReport:
    return run_quality_gate(
        warehouse,
        rules=rules,
        output_dir=output_dir,
        run_date=RUN_DATE,
        config=CONFIG.with_overrides(overrides),
    )


@pytest.fixture(scope="module")
def valid_report(tmp_path_factory) -> GateReport:
    folder = tmp_path_factory.mktemp("valid")
    warehouse = write_warehouse(folder / "valid.duckdb", valid_tables())
    return gate(warehouse, folder / "gate")


@pytest.fixture(scope="module")
def invalid_run(tmp_path_factory) -> tuple[GateReport, list[Planted]]:
    folder = tmp_path_factory.mktemp("invalid")
    tables, planted = invalid_tables()
    warehouse = write_warehouse(folder / "invalid.duckdb", tables)
    return gate(warehouse, folder / "gate"), planted


def _row_keys(failure) -> list[str]:
    return [str(next(iter(row.values()))) for row in failure.failing_rows]


# --- rules ----------------------------------------------------------------------------


def test_rules_cover_the_18_landing_tables_with_their_keys():
    assert len(RULES) == 18
    assert BY_TABLE["orders"].key_columns == ("order_id",)
    assert BY_TABLE["account_contacts"].key_columns == (
        "account_id", "individual_id", "role", "valid_from",
    )
    assert BY_TABLE["orders"].references == {
        "account_id": "accounts", "individual_id": "individuals",
    }
    assert BY_TABLE["accounts"].accepted_values == {"account_type": ["b2c", "b2b"]}
    assert "ordered_at" in BY_TABLE["orders"].not_after_run_date
    assert "status" in BY_TABLE["orders"].required


def test_rules_from_manifest_match_the_source_yaml(tmp_path):
    """The manifest route (production) reads the same rules as the YAML route (tests)."""
    manifest = ROOT / "target" / "manifest.json"
    if not manifest.exists() or manifest.stat().st_mtime < DEFAULT_SOURCES_YAML.stat().st_mtime:
        require_slow_marker("parses the dbt project (target/manifest.json is missing or older "
                            "than the sources YAML: `make setup` refreshes it)")
        target = tmp_path / "target"
        subprocess.run(
            [str(Path(sys.executable).parent / "dbt"), "parse", "--target-path", str(target),
             "--log-path", str(tmp_path / "logs"), "--quiet"],
            cwd=ROOT, env={**os.environ, "DBT_PROFILES_DIR": str(ROOT)}, check=True,
            capture_output=True,
        )
        manifest = target / "manifest.json"
    from_manifest = {r.table: r for r in rules_from_manifest(manifest)}
    assert from_manifest == BY_TABLE


def test_rules_from_a_manifest_read_meta_and_data_type(tmp_path):
    manifest = {
        "sources": {
            "source.crm_inactivity.landing.parents": {
                "source_name": "landing", "name": "parents",
                "columns": {"parent_id": {"data_type": "varchar", "meta": {"key": True}}},
            },
            "source.crm_inactivity.landing.children": {
                "source_name": "landing", "name": "children",
                "columns": {
                    "child_id": {"data_type": "varchar", "meta": {"key": True}},
                    "parent_id": {"meta": {"references": "parents", "required": True}},
                    "kind": {"meta": {"accepted_values": [" A ", "b"]}},
                    "born_on": {"data_type": "date", "meta": {"not_after_run_date": True}},
                },
            },
            "source.crm_inactivity.other.ignored": {"source_name": "other", "name": "x"},
        }
    }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    children = {r.table: r for r in rules_from_manifest(path)}["children"]
    assert children.key_columns == ("child_id",)
    assert children.required == ("parent_id",)
    assert children.references == {"parent_id": "parents"}
    assert children.accepted_values == {"kind": ["a", "b"]}
    assert children.not_after_run_date == ("born_on",)
    assert children.columns["born_on"] == "date"


# --- each suite: valid passes, invalid fails naming the planted rows -------------------------


@pytest.mark.slow  # runs the gate on every suite (5 to 7 s)
def test_the_gate_runs_one_suite_per_landing_table_and_the_postal_codes(valid_report):
    assert list(valid_report.suites) == SUITES


@pytest.mark.slow  # runs the gate on every suite (5 to 7 s)
@pytest.mark.parametrize("suite", SUITES)
def test_valid_fixture_passes(valid_report, suite):
    assert valid_report.suites[suite] is True, valid_report.summary()
    assert valid_report.failures_of(suite) == []


@pytest.mark.slow  # runs the gate on every suite (5 to 7 s)
@pytest.mark.parametrize("suite", SUITES)
def test_invalid_fixture_fails_naming_the_planted_rows(invalid_run, suite):
    report, planted = invalid_run
    expected = {(p.rule, p.column): p for p in planted if p.suite == suite}
    assert expected, f"nothing planted in {suite}"
    assert report.suites[suite] is False
    failures = {(f.rule, f.column): f for f in report.failures_of(suite)}
    assert set(failures) == set(expected), report.summary()
    for key, plant in expected.items():
        failure = failures[key]
        assert failure.exception is None, failure.line()
        assert failure.unexpected_count == plant.count, failure.line()
        assert sorted(_row_keys(failure)) == sorted(plant.keys), failure.line()
        assert failure.expectation_type in failure.line()


@pytest.mark.slow  # runs the gate on every suite (5 to 7 s)
def test_the_invalid_run_fails_overall_and_the_valid_one_passes(valid_report, invalid_run):
    assert valid_report.success is True
    assert invalid_run[0].success is False


# --- every expectation type: a passing and a failing case with exact counts -------------


EXPECTATION_TYPES = {
    "expect_column_values_to_not_be_null": ("orders", "required", "status", 1),
    "expect_column_values_to_be_unique": ("orders", "key_unique", "order_id", 2),
    "expect_compound_columns_to_be_unique": (
        "account_contacts", "key_unique", "account_id, individual_id, role, valid_from", 2,
    ),
    "expect_column_values_to_be_in_set": ("orders", "accepted_values", "status", 1),
    "expect_column_values_to_be_between": ("orders", "not_after_run_date", "ordered_at", 1),
    "unexpected_rows_expectation": ("orders", "reference", "account_id", 1),
    "expect_column_values_to_match_regex": (None, "postal_code_share", "postal_code", 2),
}


@pytest.mark.slow  # runs the gate on every suite (5 to 7 s)
@pytest.mark.parametrize("expectation_type", sorted(EXPECTATION_TYPES))
def test_each_expectation_type_passes_and_fails_with_exact_counts(
    valid_report, invalid_run, expectation_type
):
    table, rule, column, count = EXPECTATION_TYPES[expectation_type]
    suite = BY_TABLE[table].suite_name if table else POSTAL_CODES_SUITE
    assert valid_report.suites[suite] is True
    report, _ = invalid_run
    (failure,) = [
        f for f in report.failures_of(suite)
        if (f.expectation_type, f.rule, f.column) == (expectation_type, rule, column)
    ]
    assert failure.unexpected_count == count
    assert len(failure.failing_rows) == count


@pytest.mark.slow  # runs the gate on every suite (5 to 7 s)
def test_the_report_line_names_expectation_column_and_keys(invalid_run):
    report, planted = invalid_run
    lines = report.summary().splitlines()
    assert (
        "landing__orders: expect_column_values_to_be_unique(order_id) failed on 2 rows: "
        "order_id=k2, k2"
    ) in lines
    (status,) = [p for p in planted if (p.suite, p.rule) == ("landing__orders", "accepted_values")]
    assert (
        "landing__orders: expect_column_values_to_be_in_set(status) failed on 1 row: "
        f"order_id={status.keys[0]} (status='not-a-listed-value')"
    ) in lines
    assert any(
        line.startswith("landing__orders: unexpected_rows_expectation(account_id) failed on 1 row")
        and "account_id='no-such-parent'" in line
        for line in lines
    )
    assert lines[0].startswith("Quality gate FAILED")


# --- volume band ----------------------------------------------------------------------


ORDERS_ONLY = [BY_TABLE["orders"], BY_TABLE["accounts"], BY_TABLE["individuals"]]


@pytest.fixture(scope="module")
def volume_warehouses(tmp_path_factory):
    folder = tmp_path_factory.mktemp("volume")
    tables = valid_tables()
    small = {t: tables[t] for t in ("orders", "accounts", "individuals")}
    # orders: 12 rows now; previous 8 -> [4, 12] passes; previous 30 -> [15, 45] fails
    return {
        "within": write_warehouse(folder / "within.duckdb", small,
                                  previous={"orders": 8, "accounts": 12, "individuals": 0},
                                  rules=ORDERS_ONLY),
        "outside": write_warehouse(folder / "outside.duckdb", small,
                                   previous={"orders": 30, "accounts": 12, "individuals": 12},
                                   rules=ORDERS_ONLY),
        "none": write_warehouse(folder / "none.duckdb", small, previous=None, rules=ORDERS_ONLY),
    }, folder


def test_volume_within_the_band_passes(volume_warehouses):
    warehouses, folder = volume_warehouses
    report = gate(warehouses["within"], folder / "gate-within", rules=ORDERS_ONLY)
    assert report.success, report.summary()
    assert report.notes == []


def test_volume_outside_the_band_fails(volume_warehouses):
    warehouses, folder = volume_warehouses
    report = gate(warehouses["outside"], folder / "gate-outside", rules=ORDERS_ONLY)
    assert report.suites == {
        "landing__orders": False, "landing__accounts": True, "landing__individuals": True,
        POSTAL_CODES_SUITE: True,
    }
    (failure,) = report.failures
    assert failure.expectation_type == "expect_table_row_count_to_be_between"
    assert failure.rule == "volume"
    assert failure.observed_value == 12
    assert "expected 15 to 45 (previous run: 30 rows)" in failure.line()


def test_a_wider_band_accepts_the_same_volume(volume_warehouses):
    warehouses, folder = volume_warehouses
    report = gate(warehouses["outside"], folder / "gate-wide", rules=ORDERS_ONLY,
                  volume_band=0.7)
    assert report.success, report.summary()


def test_no_previous_run_skips_the_volume_check_and_says_so(volume_warehouses):
    warehouses, folder = volume_warehouses
    report = gate(warehouses["none"], folder / "gate-none", rules=ORDERS_ONLY)
    assert report.success
    assert sorted(report.notes) == sorted(
        f"landing__{t}: volume: no previous run in the load log"
        for t in ("orders", "accounts", "individuals")
    )


# --- postal codes share, truncation, Data Docs -----------------------------------------


def test_postal_code_share_under_the_threshold_passes(tmp_path):
    rules = [BY_TABLE["individuals"]]
    tables = {"individuals": valid_tables()["individuals"]}
    tables["individuals"][3]["postal_code"] = "ABCDE"   # 1 of 12 French codes: 8.3 %
    tables["individuals"][4]["country_code"] = "BE"     # not French: not checked
    tables["individuals"][4]["postal_code"] = "1000"
    tables["individuals"][5]["postal_code"] = None      # missing: not malformed
    warehouse = write_warehouse(tmp_path / "w.duckdb", tables, rules=rules)
    strict = gate(warehouse, tmp_path / "gate", rules=rules)
    (failure,) = strict.failures
    assert (failure.suite, failure.unexpected_count) == (POSTAL_CODES_SUITE, 1)
    assert _row_keys(failure) == ["k4"]
    lenient = gate(warehouse, tmp_path / "gate", rules=rules, max_invalid_postal_code_share=0.1)
    assert lenient.success, lenient.summary()


def test_counts_are_complete_and_the_report_shows_a_configured_number_of_rows(tmp_path):
    rules = [BY_TABLE["accounts"]]
    rows = [{c: _value(rules[0], c, i) for c in rules[0].columns} for i in range(1, 301)]
    for row in rows[:137]:
        row["account_type"] = None
    warehouse = write_warehouse(tmp_path / "w.duckdb", {"accounts": rows}, rules=rules)
    report = gate(warehouse, tmp_path / "gate", rules=rules, failing_rows_shown=30)
    (failure,) = report.failures
    assert failure.unexpected_count == 137
    assert len(failure.failing_rows) == 30  # more than GX's default partial list of 20
    assert failure.line().endswith("(first 30 shown)")


@pytest.mark.slow  # runs the gate on every suite (5 to 7 s)
def test_data_docs_are_written_and_list_the_suites(valid_report):
    index = valid_report.data_docs_index
    assert index.name == "index.html" and index.is_file()
    html = index.read_text(encoding="utf-8")
    for suite in SUITES:
        assert suite in html


def test_a_missing_staging_relation_fails_its_suite(tmp_path):
    rules = [BY_TABLE["orders"], BY_TABLE["accounts"], BY_TABLE["individuals"]]
    tables = valid_tables()
    warehouse = write_warehouse(
        tmp_path / "w.duckdb", {t: tables[t] for t in ("orders", "individuals")},
        rules=[BY_TABLE["orders"], BY_TABLE["individuals"]],
    )
    report = gate(warehouse, tmp_path / "gate", rules=rules)
    assert report.suites["landing__accounts"] is False
    assert report.suites["landing__orders"] is False  # its references cannot resolve
    assert report.suites["landing__individuals"] is True
    assert "staging.stg_landing__accounts" in report.failures_of("landing__accounts")[0].line()


@pytest.mark.slow  # runs the gate on every suite (5 to 7 s)
def test_the_gate_opens_the_warehouse_read_only_and_releases_it(tmp_path):
    warehouse = write_warehouse(tmp_path / "w.duckdb", valid_tables())
    gate(warehouse, tmp_path / "gate")
    con = duckdb.connect(str(warehouse))  # a writer can open it right after the gate
    con.execute("create table staging.after_gate as select 1 as x")
    con.close()


# --- configuration -----------------------------------------------------------------------


def test_config_file_defaults_and_overrides(tmp_path):
    assert GateConfig.load() == GateConfig(0.5, 0.05, 20)
    assert GateConfig.load(overrides={"volume_band": "0.2", "failing_rows_shown": None}) == (
        GateConfig(0.2, 0.05, 20)
    )
    with pytest.raises(ValueError, match="unknown gate setting"):
        GateConfig.load(overrides={"volume_bnad": 0.2})
    with pytest.raises(ValueError, match="max_invalid_postal_code_share"):
        GateConfig(max_invalid_postal_code_share=1.5)


# --- why duckdb_buffered:// ---------------------------------------------------------------


def _result_after_connection_released(url: str):
    """What GX does: execute inside `with engine.connect()`, fetch after the block."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            result = connection.execute(sa.text("select 42 as answer"))
        return result.fetchall()
    except Exception as error:  # noqa: BLE001 - the stock dialect may raise or return nothing
        return error
    finally:
        engine.dispose()


def test_stock_duckdb_dialect_loses_results_after_the_connection_is_released(tmp_path):
    """duckdb-engine's cursor is the shared connection: the ROLLBACK on release discards the
    pending result, so GX's metrics come back empty. This is why the gate has its own
    dialect; if this test starts failing, duckdb-engine fixed it upstream."""
    db = tmp_path / "w.duckdb"
    duckdb.connect(str(db)).close()
    assert _result_after_connection_released(f"duckdb:///{db}") != [(42,)]
    assert _result_after_connection_released(f"duckdb_buffered:///{db}") == [(42,)]


def test_stock_duckdb_dialect_gives_gx_no_counts(tmp_path):
    import great_expectations as gx
    import great_expectations.expectations as gxe

    def count(scheme: str):
        db = tmp_path / f"{scheme}.duckdb"
        con = duckdb.connect(str(db))
        con.execute("create table t as select case when i < 3 then null else i end as x "
                    "from range(10) r(i)")
        con.close()
        url = f"{scheme}:///{db}"
        context = gx.get_context(mode="ephemeral")
        batch = (
            context.data_sources.add_sql("w", connection_string=url)
            .add_table_asset("t", table_name="t")
            .add_batch_definition_whole_table("all")
        )
        suite = context.suites.add(gx.ExpectationSuite("s"))
        suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="x"))
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name="v", data=batch, suite=suite)
        )
        return definition.run(result_format="COMPLETE").results[0].result.get("unexpected_count")

    assert count("duckdb") is None
    assert count("duckdb_buffered") == 3


def test_the_gate_reads_staging_timestamps_in_utc_like_dbt(tmp_path, monkeypatch):
    """Staging converts offsets with cast(cast(x as timestamptz) as timestamp), which depends
    on the session TimeZone: dbt uses UTC, so the gate must, whatever the machine's zone."""
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        rules = [TableRules(table="events", key_columns=("event_id",),
                            not_after_run_date=("occurred_at",),
                            columns={"event_id": "varchar", "occurred_at": "timestamp"})]
        warehouse = tmp_path / "w.duckdb"
        con = duckdb.connect(str(warehouse))
        con.execute("create schema staging; create view staging.stg_landing__events as "
                    "select 'e1' as event_id, cast(cast('2026-07-01T01:00:00+02:00' "
                    "as timestamptz) as timestamp) as occurred_at")
        con.close()
        report = gate(warehouse, tmp_path / "gate", rules=rules)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert report.success, report.summary()  # 2026-06-30 23:00 UTC is not after the run date


def test_data_docs_keep_the_configured_number_of_runs(tmp_path):
    rules = [BY_TABLE["accounts"]]
    warehouse = write_warehouse(tmp_path / "w.duckdb", {"accounts": valid_tables()["accounts"]},
                                rules=rules)
    for _ in range(3):
        report = gate(warehouse, tmp_path / "gate", rules=rules, data_docs_runs_kept=2)
    stored = list((tmp_path / "gate" / "gx" / "uncommitted" / "validations").rglob("*.json"))
    assert len(stored) == 2  # one suite, two runs kept
    pages = list((report.data_docs_index.parent / "validations").rglob("*.html"))
    assert len(pages) == 2


@pytest.mark.slow  # runs the gate on every suite (5 to 7 s)
def test_command_line_prints_the_summary_and_exits_1_on_failure(tmp_path):
    rules = [BY_TABLE["accounts"]]
    rows = valid_tables()["accounts"]
    rows.append(dict(rows[0]))
    warehouse = write_warehouse(tmp_path / "w.duckdb", {"accounts": rows}, rules=rules)
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"sources": {"source.crm_inactivity.landing.accounts": {
        "source_name": "landing", "name": "accounts",
        "columns": {c: {"data_type": t, "meta": {"key": c == "account_id"}}
                    for c, t in rules[0].columns.items()},
    }}}))
    done = subprocess.run(
        [sys.executable, "-m", "expectations", "--warehouse", str(warehouse), "--manifest",
         str(manifest), "--output-dir", str(tmp_path / "gate"), "--run-date", "2026-06-30",
         "--set", "failing_rows_shown=1"],
        check=False, cwd=ROOT, capture_output=True, text=True,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert (
        "landing__accounts: expect_column_values_to_be_unique(account_id) failed on 2 rows: "
        "account_id=k1 (first 1 shown)"
    ) in done.stdout.splitlines()
    assert "Calculating Metrics" not in done.stderr  # progress bars are off


@pytest.mark.slow  # runs the gate on every suite (5 to 7 s)
def test_gx_never_buffers_a_whole_staging_table(tmp_path, monkeypatch):
    """GX runs a query asset's SQL bare to read its column names: the dialect answers with
    columns and no rows (COLUMNS_ONLY_MARKER), so only aggregates and failing rows are
    ever buffered, whatever the table's size."""
    from expectations import duckdb_dialect

    rules = [BY_TABLE["accounts"]]
    rows = [{c: _value(rules[0], c, i) for c in rules[0].columns} for i in range(1, 5001)]
    rows[10]["account_type"] = "nope"
    warehouse = write_warehouse(tmp_path / "w.duckdb", {"accounts": rows}, rules=rules)
    buffered: list[int] = []
    post_exec = duckdb_dialect.BufferedDuckDBExecutionContext.post_exec

    def counting(self):
        post_exec(self)
        buffered.append(len(getattr(self.cursor_fetch_strategy, "_rowbuffer", ())))

    monkeypatch.setattr(duckdb_dialect.BufferedDuckDBExecutionContext, "post_exec", counting)
    report = gate(warehouse, tmp_path / "gate", rules=rules)
    assert len(report.failures) == 1, report.summary()
    (failure,) = report.failures
    assert failure.unexpected_count == 1 and _row_keys(failure) == ["k11"]
    assert buffered and max(buffered) < 100, max(buffered)


def test_volume_bounds_are_exact_and_zero_accepts_anything():
    from expectations.suites import VolumeBound

    assert (VolumeBound("t", 3, 0.5).min_value, VolumeBound("t", 3, 0.5).max_value) == (2, 4)
    assert (VolumeBound("t", 100, 0.1).min_value, VolumeBound("t", 100, 0.1).max_value) == (
        90, 110,  # not 91 / 109 (float rounding)
    )
    assert (VolumeBound("t", 0, 0.5).min_value, VolumeBound("t", 0, 0.5).max_value) == (0, None)
    assert VolumeBound("t", 10, 2.0).min_value == 0


def test_the_previous_run_is_the_one_before_the_latest(tmp_path):
    from expectations.volume import inspect_warehouse

    warehouse = tmp_path / "w.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema quality; create table quality.landing_load_log "
                "(dbt_invocation_id varchar, loaded_at timestamp, as_of_date date, "
                "source_table varchar, rows_landed bigint, rows_quarantined bigint, "
                "rows_staged bigint)")
    for invocation, day, orders, accounts in [("a", 1, 100, 7), ("b", 2, 12, None),
                                              ("c", 3, 999, 8)]:
        for table, staged in (("orders", orders), ("accounts", accounts)):
            con.execute("insert into quality.landing_load_log values (?, ?, ?, ?, 0, 0, ?)",
                        [invocation, datetime(2026, 6, day), RUN_DATE, table, staged])
    con.close()
    # c is the current run; b the previous one; accounts has no count in b: a's is used
    assert inspect_warehouse(warehouse).previous_counts == {"orders": 12, "accounts": 7}


def test_an_empty_warehouse_fails_every_suite_without_crashing(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()
    report = gate(warehouse, tmp_path / "gate")
    assert report.success is False
    assert set(report.suites) == set(SUITES) and not any(report.suites.values())
    assert {f.rule for f in report.failures} == {"relation_exists"}
    assert all(
        note.endswith("volume: no table quality.landing_load_log") for note in report.notes
    )
