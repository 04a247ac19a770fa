"""Bad landing rows go to quarantine with their reason, and the marts still build.

The planted landing set (whose answers are known) plus one bad row per check; every bad row
must be in quality.landing_quarantine with the expected checks, and the planted answers
must not move.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from main_job import query, rows_by_key, run_main_job
from planted_landing import AS_OF, EXPECTED_INDIVIDUALS, build_planted_landing

# (table, record key) -> the checks it must fail
EXPECTED_QUARANTINE: dict[tuple[str, str], set[str]] = {
    ("orders", "O-BADDATE"): {"unparseable_value(ordered_at)"},
    ("orders", "O-FUTURE"): {"date_after_run_date(ordered_at)"},
    ("orders", "O-ORPHAN"): {"orphan_reference(account_id)"},
    # the amount 'lots' is optional: set to null (quality.landing_value_issues), not a reason
    ("orders", "O-SHIPPED"): {"unknown_value(status)"},
    ("orders", "O-DUP"): {"duplicate_key"},
    ("invoices", "F-OF-ORPHAN"): {"orphan_reference(order_id)"},  # its order is quarantined
    ("individuals", "I-RECENT"): {"duplicate_key"},
    ("email_events", "E-UNKNOWN"): {"unknown_value(event_type)"},
    ("email_events", "E-GHOST"): {"orphan_reference(individual_id)"},
    ("web_sessions", "S-FUTURE"): {"date_after_run_date(started_at)"},
    ("web_sessions", "S-NOKEY"): {"missing_value(session_id)"},
    ("account_contacts", "A-I-RECENT|I-RECENT|owner|2020-01-01"): {"unknown_value(role)"},
}


@pytest.fixture(scope="module")
def quarantine_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    land = build_planted_landing()
    account = "A-I-RECENT"
    land.order(account, "I-RECENT", "2026-01-10", order_id="O-DUP")
    land.order(account, "I-RECENT", "2026-01-11", order_id="O-DUP", amount=1)  # later copy
    land.order(account, "I-RECENT", "2026-02-30", order_id="O-BADDATE")
    land.order(account, "I-RECENT", "2030-01-01", order_id="O-FUTURE")
    land.order("A-NOPE", "I-RECENT", "2026-01-12", order_id="O-ORPHAN")
    land.order(account, "I-RECENT", "2026-01-13", order_id="O-SHIPPED", status="shipped",
               amount="lots")  # type: ignore[arg-type]
    # after the as-of date but before the day of the run: ignored by the status, kept
    land.order(account, "I-RECENT", "2026-08-01", order_id="O-AFTER-AS-OF")
    land.add("invoices", invoice_id="F-OF-ORPHAN", account_id=account, order_id="O-ORPHAN",
             issued_at="2026-01-12T10:00:00", amount="10", status="paid")
    land.add("individuals", individual_id="I-RECENT", first_name="Copy", last_name="Later",
             country_code="FR", created_at="2021-01-01T00:00:00")
    land.event("email_events", event_id="E-UNKNOWN", individual_id="I-RECENT",
               event_type="forwarded", occurred_at="2026-05-01T10:00:00")
    land.event("email_events", event_id="E-GHOST", individual_id="I-GHOST",
               event_type="click", occurred_at="2026-05-01T10:00:00")
    land.event("web_sessions", session_id="S-FUTURE", individual_id="I-RECENT",
               started_at="2031-05-01T10:00:00", channel="web", page_views="3")
    land.event("web_sessions", session_id="", individual_id="I-RECENT",
               started_at="2026-05-01T10:00:00", channel="web", page_views="3")
    land.add("account_contacts", account_id=account, individual_id="I-RECENT", role="owner",
             valid_from="2020-01-01")
    folder = tmp_path_factory.mktemp("quarantine")
    land.write(folder / "landing")
    warehouse = folder / "warehouse.duckdb"
    result = run_main_job(folder / "landing", warehouse, AS_OF)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return warehouse, result.stdout


def test_every_bad_row_is_quarantined_with_its_checks(quarantine_run: tuple[Path, str]) -> None:
    warehouse, _ = quarantine_run
    rows = query(warehouse, "select source_table, record_key, failed_checks "
                            "from quality.landing_quarantine")
    found = {(table, key.replace("∅", "")): set(checks) for table, key, checks in rows}
    found[("web_sessions", "S-NOKEY")] = found.pop(("web_sessions", ""), set())
    assert found == EXPECTED_QUARANTINE


def test_quarantine_rows_say_why_and_keep_the_values_as_landed(
    quarantine_run: tuple[Path, str],
) -> None:
    warehouse, _ = quarantine_run
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
    quarantine_run: tuple[Path, str],
) -> None:
    warehouse, _ = quarantine_run
    assert query(warehouse, "select amount from staging.stg_landing__orders "
                            "where order_id = 'O-DUP'") == [(100,)]
    assert query(warehouse, "select first_name from staging.stg_landing__individuals "
                            "where individual_id = 'I-RECENT'") == [("Jean",)]
    # an event after the as-of date is not an error: it is kept, and the status ignores it
    assert query(warehouse, "select count(*) from staging.stg_landing__orders "
                            "where order_id = 'O-AFTER-AS-OF'") == [(1,)]


def test_the_marts_still_build_with_the_planted_answers(quarantine_run: tuple[Path, str]) -> None:
    warehouse, _ = quarantine_run
    stages = rows_by_key(warehouse, "select individual_id, lifecycle_stage, status_rule "
                                    "from marts.individual_activity")
    assert {k: v for k, v in stages.items() if k in EXPECTED_INDIVIDUALS} == {
        key: (stage, rule) for key, (stage, rule, _) in EXPECTED_INDIVIDUALS.items()
    }


def test_the_run_summary_prints_the_quarantined_counts(quarantine_run: tuple[Path, str]) -> None:
    warehouse, stdout = quarantine_run
    total = query(warehouse, "select count(*) from quality.landing_quarantine")[0][0]
    assert total == len(EXPECTED_QUARANTINE)
    assert f"quarantined landing rows: {total}" in stdout
    assert "orders orphan_reference(account_id)" in stdout


def test_the_load_log_counts_landed_quarantined_and_staged(
    quarantine_run: tuple[Path, str],
) -> None:
    warehouse, _ = quarantine_run
    landed, quarantined, staged = query(warehouse, """
        select rows_landed, rows_quarantined, rows_staged from quality.landing_load_log
        where source_table = 'orders'""")[0]
    assert quarantined == 5 and landed == quarantined + staged
