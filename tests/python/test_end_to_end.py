"""End-to-end: the main job (`python -m orchestration run`, what `make run` calls) on
landing folders whose answers are known, then the marts are read back."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bad_landing_rows import EXPECTED_QUARANTINE, add_bad_rows
from main_job import REPO, TEST_SALT, query, rows_by_key, run_main_job
from planted_landing import (
    AS_OF,
    EXPECTED_ACCOUNTS,
    EXPECTED_HOUSEHOLDS,
    EXPECTED_INDIVIDUALS,
    build_planted_landing,
    write_planted_landing,
)

pytestmark = pytest.mark.slow  # runs the main job (`make test-fast` leaves it out)


@pytest.fixture(scope="module")
def planted_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(landing folder, warehouse, what the run printed)."""
    folder = tmp_path_factory.mktemp("planted")
    land = build_planted_landing()
    add_bad_rows(land)  # the planted answers must hold beside bad rows (quarantine)
    landing = folder / "landing"
    land.write(landing)
    warehouse = folder / "warehouse.duckdb"
    result = run_main_job(landing, warehouse, AS_OF)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return landing, warehouse, result.stdout


@pytest.fixture(scope="module")
def planted_warehouse(planted_run: tuple[Path, Path, str]) -> Path:
    return planted_run[1]


def test_run_prints_the_settings_and_a_summary_per_level(planted_run: tuple[Path, Path, str]) -> None:
    landing, warehouse, stdout = planted_run
    assert f"as-of date     {AS_OF}" in stdout
    assert str(landing) in stdout and str(warehouse) in stdout
    assert "| lifecycle_stage | individual | household | account |" in stdout
    total_line = next(line for line in stdout.splitlines() if line.startswith("| total"))
    totals = [cell.strip() for cell in total_line.split("|")[2:5]]
    assert totals == [str(count) for (count,) in query(warehouse, """
        select count(*) from marts.individual_activity union all
        select count(*) from marts.household_activity union all
        select count(*) from marts.account_activity""")]


def test_run_shows_each_step_its_progress_and_the_slowest(
    planted_run: tuple[Path, Path, str],
) -> None:
    """make run's terminal: a line per step started and done (dbt's models and tests counted
    against the step's selection), the slowest steps at the end, every step in a JSON file."""
    stdout = planted_run[2]
    # each dbt step's last line: (models done, models planned, tests done, tests planned)
    counts = {step: tuple(map(int, numbers)) for step, *numbers in re.findall(
        r"^\[\d+:\d\d\] (\w+) done in \d+:\d\d  models (\d+)/(\d+)  tests (\d+)/(\d+)$",
        stdout, flags=re.MULTILINE)}
    assert "crm_dbt_models" in counts, stdout[:3000]
    models_done, models, tests_done, tests = counts["crm_dbt_models"]
    assert models_done == models > 50 and tests_done == tests > 100
    # every dbt step runs every test Dagster planned for it (the outputs step ran one fewer:
    # a relationships test to a model of an earlier step was in no step's dbt selection)
    for step, (step_models_done, step_models, step_tests_done, step_tests) in counts.items():
        assert step_models_done == step_models and step_tests_done == step_tests, (step, counts)
    assert re.search(r"^\[\d+:\d\d\] quality__landing_quality_gate: quality gate", stdout,
                     flags=re.MULTILINE)
    slowest = stdout.split("slowest steps (all: ", 1)[1]
    steps_file = Path(slowest.split("):", 1)[0])
    timings = {step["step"]: step for step in json.loads(steps_file.read_text())}
    listed = re.findall(r"^  (\w+) +(\d+\.\d) s", slowest.split("warehouse published", 1)[0],
                        flags=re.MULTILINE)
    assert len(listed) == 5
    assert [float(seconds) for _, seconds in listed] == sorted(
        (timing["seconds"] for timing in timings.values()), reverse=True)[:5]
    assert timings["crm_dbt_models"]["dbt_models"] == models
    assert timings["crm_dbt_models"]["dbt_model_seconds"] > 0
    assert timings["warehouse__published"]["succeeded"]


def test_a_run_with_nothing_new_is_skipped_and_any_change_runs(
    planted_run: tuple[Path, Path, str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Same landing files, settings and code as the run that built the warehouse: nothing to
    do, said in seconds, the warehouse untouched. A landing file touched, another as-of date,
    or the warehouse published by something else since: a run."""
    import os

    from orchestration.run_inputs import last_run_file, nothing_changed
    from orchestration.settings import RunSettings

    landing, warehouse, _ = planted_run
    before = warehouse.stat().st_mtime_ns
    again = run_main_job(landing, warehouse, AS_OF, RUN_ALWAYS="")
    assert again.returncode == 0, again.stderr[-3000:]
    assert "nothing changed since run" in again.stdout and "running" not in again.stdout
    assert warehouse.stat().st_mtime_ns == before
    assert json.loads(last_run_file(warehouse).read_text())["inputs"]["landing_dir"] == str(landing)

    env = {"RAW_DATA_DIR": str(landing), "AS_OF_DATE": AS_OF, "WAREHOUSE_PATH": str(warehouse),
           "GDPR_HASH_SALT": TEST_SALT}
    monkeypatch.setenv("GDPR_HASH_SALT", TEST_SALT)  # the salt's fingerprint is an input
    settings = RunSettings.from_env(env)
    assert nothing_changed(settings, "build_and_erase")
    assert nothing_changed(settings, "refit_inactivity_score") is None  # another job
    assert nothing_changed(RunSettings.from_env({**env, "AS_OF_DATE": "2025-12-30"}),
                           "build_and_erase") is None
    monkeypatch.setenv("GDPR_HASH_SALT", "another salt")
    assert nothing_changed(settings, "build_and_erase") is None
    monkeypatch.setenv("GDPR_HASH_SALT", TEST_SALT)
    orders = landing / "orders.csv"
    stat = orders.stat()
    os.utime(orders, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert nothing_changed(settings, "build_and_erase") is None
    os.utime(orders, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert nothing_changed(settings, "build_and_erase")
    os.utime(warehouse, ns=(before, before + 1_000_000_000))  # published since by another run
    assert nothing_changed(settings, "build_and_erase") is None


def test_every_dbt_step_runs_on_the_project_itself_not_a_copy(
    planted_run: tuple[Path, Path, str],
) -> None:
    """The models step runs in two parts (around the score's fit): past 200 selected names
    dagster-dbt used to copy the whole project folder (.venv, data and warehouse included)
    into a temporary folder per step and never remove it, which filled the disk after a few
    test runs. orchestration/dbt_assets.py raises that limit."""
    stdout = planted_run[2]
    log = Path(re.search(r"\(log: (\S+)\)", stdout).group(1)).read_text()
    assert "A dbt subsetted execution is being performed" in log  # the parts exist
    assert "temporary copy of DBT project" not in log


def test_planted_individuals_get_the_stage_domain_md_prescribes(planted_warehouse: Path) -> None:
    rows = rows_by_key(
        planted_warehouse,
        "select individual_id, lifecycle_stage, status_rule, status_reason "
        "from marts.individual_activity",
    )
    for individual_id, (stage, rule, reason_fragment) in EXPECTED_INDIVIDUALS.items():
        got_stage, got_rule, got_reason = rows[individual_id]
        assert (got_stage, got_rule) == (stage, rule), (individual_id, got_reason)
        assert reason_fragment in got_reason, (individual_id, got_reason)


def test_inactive_flag_follows_the_stage(planted_warehouse: Path) -> None:
    assert query(
        planted_warehouse,
        "select lifecycle_stage, bool_and(is_inactive), bool_or(is_inactive) "
        "from marts.individual_activity group by 1 order by 1",
    ) == [
        ("active", False, False), ("at_risk", False, False), ("dormant", True, True),
        ("lost", True, True), ("prospect", False, False),
    ]


def test_households_and_accounts_consolidate_upwards(planted_warehouse: Path) -> None:
    households = rows_by_key(
        planted_warehouse,
        "select household_id, lifecycle_stage, status_reason from marts.household_activity",
    )
    for household_id, (stage, fragment) in EXPECTED_HOUSEHOLDS.items():
        assert households[household_id][0] == stage, households[household_id]
        assert fragment in households[household_id][1]

    accounts = rows_by_key(
        planted_warehouse,
        "select account_id, lifecycle_stage, own_lifecycle_stage, status_reason "
        "from marts.account_activity",
    )
    for account_id, (stage, own_stage, fragment) in EXPECTED_ACCOUNTS.items():
        assert accounts[account_id][:2] == (stage, own_stage), accounts[account_id]
        assert fragment in accounts[account_id][2], accounts[account_id]


def test_last_activity_and_department_dates(planted_warehouse: Path) -> None:
    (row,) = query(
        planted_warehouse,
        "select cast(last_activity_at as date)::varchar, last_activity_department, "
        "cast(last_sales_activity_at as date)::varchar, cast(last_marketing_activity_at as date)::varchar, "
        "cast(last_billing_activity_at as date)::varchar "
        "from marts.individual_activity where individual_id = 'I-CLICKER'",
    )
    assert row == ("2026-06-01", "marketing", "2025-06-01", "2026-06-01", None)


def test_department_views_read_the_shared_flag(planted_warehouse: Path) -> None:
    individuals = query(planted_warehouse, "select count(*) from marts.individual_activity")
    for view in ("sales_customer_status", "billing_customer_status", "after_sales_customer_status"):
        assert query(
            planted_warehouse,
            f"select count(*) from marts.{view} as v join marts.individual_activity as s "
            "using (individual_id) where v.is_inactive = s.is_inactive "
            "and v.lifecycle_stage = s.lifecycle_stage and v.status_reason = s.status_reason",
        ) == individuals
    assert query(
        planted_warehouse,
        "select open_dispute_count from marts.after_sales_customer_status "
        "where individual_id = 'I-DISPUTE'",
    ) == [(1,)]
    # an open invoice of a B2C account counts for its holder in billing's view too
    assert query(
        planted_warehouse,
        "select individual_id, unpaid_invoice_count from marts.billing_customer_status "
        "where unpaid_invoice_count > 0 order by 1",
    ) == [("I-UNPAID", 1), ("I-UNPAID-ACCOUNT", 1)]


# The replay of an earlier date and the history it leaves: test_reactivation.py (one run
# sequence over time serves both).


def test_a_missing_required_column_stops_the_run_naming_table_and_column(tmp_path: Path) -> None:
    landing = write_planted_landing(tmp_path / "landing")
    orders = landing / "orders.csv"
    lines = orders.read_text().splitlines()
    header = lines[0].split(",")
    drop = header.index("ordered_at")
    orders.write_text("\n".join(
        ",".join(v for i, v in enumerate(line.split(",")) if i != drop) for line in lines
    ) + "\n")
    result = run_main_job(landing, tmp_path / "w.duckdb", AS_OF)
    assert result.returncode == 1
    assert "table 'orders': missing required column 'ordered_at'" in result.stderr


def test_empty_landing_tables_build_empty_marts(tmp_path: Path) -> None:
    warehouse = tmp_path / "empty.duckdb"
    result = run_main_job(REPO / "tests" / "fixtures" / "empty_landing", warehouse, AS_OF)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert query(warehouse, "select count(*) from marts.individual_activity") == [(0,)]


# --- the quarantine (the bad rows of bad_landing_rows.py) ---------------------------------


def test_every_bad_row_is_quarantined_with_its_checks(planted_run: tuple[Path, Path, str]) -> None:
    warehouse = planted_run[1]
    rows = query(warehouse, "select source_table, record_key, failed_checks "
                            "from quality.landing_quarantine")
    found = {(table, key.replace("∅", "")): set(checks) for table, key, checks in rows}
    found[("web_sessions", "S-NOKEY")] = found.pop(("web_sessions", ""), set())
    assert found == EXPECTED_QUARANTINE


def test_quarantine_rows_say_why_and_keep_the_values_as_landed(
    planted_run: tuple[Path, Path, str],
) -> None:
    warehouse = planted_run[1]
    rows = rows_by_key(warehouse, """
        select record_key, source_row_number, quarantine_reason, original_values
        from quality.landing_quarantine where source_table = 'orders'""")
    _, reason, original = rows["O-SHIPPED"]
    assert "status 'shipped' is not one of placed, delivered, cancelled" in reason
    assert query(warehouse, "select failed_check, reason from quality.landing_value_issues "
                            "where record_key = 'O-SHIPPED'") == [
        ("unparseable_value(amount)", "amount 'lots' is not a valid decimal(18, 2)")]
    assert json.loads(original)["status"] == "shipped"
    row_number, reason, _ = rows["O-DUP"]
    kept_row = query(warehouse, "select source_row_number from staging.base_landing__orders "
                                "where order_id = 'O-DUP' and not is_quarantined")[0][0]
    assert kept_row < row_number and f"row {kept_row} is kept" in reason
    assert "is after the day of the run" in rows["O-FUTURE"][1]


def test_valid_rows_flow_on_and_the_kept_duplicate_is_the_first(
    planted_run: tuple[Path, Path, str],
) -> None:
    warehouse = planted_run[1]
    assert query(warehouse, "select amount from staging.stg_landing__orders "
                            "where order_id = 'O-DUP'") == [(100,)]
    assert query(warehouse, "select first_name from staging.stg_landing__individuals "
                            "where individual_id = 'I-RECENT'") == [("Jean",)]
    # an event after the as-of date is not an error: it is kept, and the status ignores it
    assert query(warehouse, "select count(*) from staging.stg_landing__orders "
                            "where order_id = 'O-AFTER-AS-OF'") == [(1,)]


def test_the_marts_still_build_with_the_planted_answers(planted_run: tuple[Path, Path, str]) -> None:
    warehouse = planted_run[1]
    stages = rows_by_key(warehouse, "select individual_id, lifecycle_stage, status_rule "
                                    "from marts.individual_activity")
    assert {k: v for k, v in stages.items() if k in EXPECTED_INDIVIDUALS} == {
        key: (stage, rule) for key, (stage, rule, _) in EXPECTED_INDIVIDUALS.items()
    }


def test_the_run_summary_prints_the_quarantined_counts(planted_run: tuple[Path, Path, str]) -> None:
    _, warehouse, stdout = planted_run
    total = query(warehouse, "select count(*) from quality.landing_quarantine")[0][0]
    assert total == len(EXPECTED_QUARANTINE)
    assert f"quarantined landing rows: {total}" in stdout
    assert "orders orphan_reference(account_id)" in stdout


def test_the_load_log_counts_landed_quarantined_and_staged(
    planted_run: tuple[Path, Path, str],
) -> None:
    warehouse = planted_run[1]
    landed, quarantined, staged = query(warehouse, """
        select rows_landed, rows_quarantined, rows_staged from quality.landing_load_log
        where source_table = 'orders'""")[0]
    assert quarantined == 5 and landed == quarantined + staged
