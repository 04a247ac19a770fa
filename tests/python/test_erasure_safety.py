"""Erasure that cannot hit the wrong person, and bad values that cannot take a customer down.

One landing set, three main-job runs into one warehouse:

1. a replay (AS_OF_DATE 2025-10-01, run date 2026-06-30): erases nobody, not even the
   customer who was silent for 36 months then but bought again since;
2. the live run (AS_OF_DATE = RUN_DATE = 2026-06-30): erases the silent and requesting
   subjects, but holds the ones whose records are under quarantine (their account is
   missing from the accounts file); ids are trimmed; bad optional values are set to null;
3. a run with another GDPR_HASH_SALT: stops before building anything, the published file
   unchanged.

Each test names the defect it reproduces (issue "Safe by construction").
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from main_job import REPO, TEST_SALT, query, rows_by_key, run_main_job
from planted_landing import AS_OF, Landing

REPLAY_AS_OF = "2025-10-01"
SALT = TEST_SALT  # run_main_job's default
ERASED_EMAIL = "gaspard.silencieux@oubli.example"
REQUEST_EMAIL = "trim.me@oubli.example"


def _old_customer(land: Landing, individual_id: str, **personal: str) -> str:
    account = land.person(individual_id)
    land.rows["individuals"][-1].update(created_at="2019-01-01T00:00:00", **personal)
    return account


def safety_landing() -> Landing:
    land = Landing()
    # a recent buyer, so the base is not only erasable people
    recent = land.person("I-S-RECENT")
    land.order(recent, "I-S-RECENT", "2026-06-01")
    # silent since 2021: erased by the live run, not by the replay... (a candidate in both)
    silent = _old_customer(land, "I-S-SILENT", email=ERASED_EMAIL, last_name="Silencieux")
    land.order(silent, "I-S-SILENT", "2021-03-01")
    # silent for 36 months on 2025-10-01, bought again in 2026: a replay must not erase them
    back = _old_customer(land, "I-S-BACK", last_name="Revenant")
    land.order(back, "I-S-BACK", "2022-01-10")
    land.order(back, "I-S-BACK", "2026-03-01")
    # silent, but an open dispute on an account missing from the accounts file: the dispute
    # and the orders go to quarantine as orphans; the hold they carried must still hold
    hidden = _old_customer(land, "I-S-HIDDEN-HOLD", last_name="Cache")
    land.order(hidden, "I-S-HIDDEN-HOLD", "2021-02-01")
    land.event("disputes", dispute_id="D-S-1", account_id=hidden, individual_id="I-S-HIDDEN-HOLD",
               opened_at="2022-01-01T00:00:00", reason="damaged", amount="10")
    land.rows["accounts"] = [row for row in land.rows["accounts"] if row["account_id"] != hidden]
    # ids with spaces: the request names "I-S-TRIM", the individuals file " I-S-TRIM "
    trim = _old_customer(land, "I-S-TRIM", email=REQUEST_EMAIL)
    land.rows["individuals"][-1]["individual_id"] = " I-S-TRIM "
    land.order(trim, "I-S-TRIM", "2026-05-01")
    land.add("erasure_requests", request_id="R-S-1", individual_id="I-S-TRIM ",
             requested_at="2026-06-01T00:00:00")
    # " O-S-1" is O-S-1 sent twice (its buyer is then held: a record under quarantine)
    twice = land.person("I-S-TWICE")
    land.order(twice, "I-S-TWICE", "2026-05-01", order_id="O-S-1")
    land.order(twice, " I-S-TWICE", "2026-05-02", order_id=" O-S-1")
    # one bad optional value must not remove an active customer and their orders
    bad = land.person("I-S-BAD-VALUES")
    land.rows["individuals"][-1].update(birth_date="9999-12-31", email_opt_in="maybe",
                                        first_name="Ja\x00n")
    land.order(bad, "I-S-BAD-VALUES", "2026-06-02", order_id="O-S-BIG",
               amount="9999999999999999.99")
    land.order(bad, "I-S-BAD-VALUES", "0001-01-01", order_id="O-S-ANCIENT")
    return land


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("safety")
    safety_landing().write(folder / "landing")
    warehouse = folder / "warehouse.duckdb"
    out: dict[str, object] = {"warehouse": warehouse}
    replay = run_main_job(folder / "landing", warehouse, REPLAY_AS_OF, RUN_DATE=AS_OF,
                          GDPR_APPROVE_ERASURE="true")
    assert replay.returncode == 0, replay.stdout[-3000:] + replay.stderr[-3000:]
    out["replay"] = replay
    out["after_replay"] = {
        "tombstones": query(warehouse, "select count(*) from gdpr.erasure_tombstones")[0][0],
        "manifest": query(warehouse, "select count(*) from marts.gdpr_erasure_manifest")[0][0],
        "candidates": rows_by_key(warehouse, "select individual_id, erasure_status "
                                             "from marts.gdpr_erasure_candidates"),
        "bytes": warehouse.read_bytes(),
    }
    live = run_main_job(folder / "landing", warehouse, AS_OF, RUN_DATE=AS_OF,
                        GDPR_APPROVE_ERASURE="true")
    assert live.returncode == 0, live.stdout[-3000:] + live.stderr[-3000:]
    out["live"] = live
    out["published_after_live"] = _sha256(warehouse)
    out["other_salt"] = run_main_job(folder / "landing", warehouse, AS_OF, RUN_DATE=AS_OF,
                                     GDPR_HASH_SALT="another-salt")
    out["folder"] = folder
    return out


# --- 1. a replay erases nobody -----------------------------------------------------------


def test_a_replay_lists_candidates_and_erases_nobody(runs: dict) -> None:
    after = runs["after_replay"]
    assert after["tombstones"] == 0 and after["manifest"] == 0
    # the customer silent on 2025-10-01 is listed for audit, not erased
    assert after["candidates"]["I-S-BACK"] == ("to_erase",)
    assert "replay of 2025-10-01 (run date 2026-06-30)" in runs["replay"].stdout
    assert "nobody was erased" in runs["replay"].stdout


def test_the_customer_who_bought_again_keeps_their_data(runs: dict) -> None:
    warehouse = runs["warehouse"]
    assert query(warehouse, "select last_name, lifecycle_stage from staging.stg_landing__individuals "
                            "join marts.individual_activity using (individual_id) "
                            "where individual_id = 'I-S-BACK'") == [("Revenant", "active")]
    assert "I-S-BACK" not in rows_by_key(warehouse, "select individual_id, erasure_status "
                                                    "from marts.gdpr_erasure_candidates")


def test_the_live_run_erases(runs: dict) -> None:
    statuses = rows_by_key(runs["warehouse"], "select individual_id, erasure_status, rule "
                                              "from marts.gdpr_erasure_candidates")
    assert statuses["I-S-SILENT"] == ("erased", "retention_expired")
    assert statuses["I-S-TRIM"] == ("erased", "erasure_request")


# --- 2. incomplete inputs erase nobody held ------------------------------------------------


def test_records_under_quarantine_hold_the_subject(runs: dict) -> None:
    warehouse = runs["warehouse"]
    held = rows_by_key(warehouse, "select individual_id, erasure_status, legal_hold_reason "
                                  "from marts.gdpr_erasure_candidates")["I-S-HIDDEN-HOLD"]
    assert held[0] == "held"
    assert held[1].startswith("records under quarantine: ")
    assert "disputes row 1 (orphan_reference(account_id))" in held[1]
    assert query(warehouse, "select count(*) from marts.gdpr_erasure_manifest "
                            "where individual_id = 'I-S-HIDDEN-HOLD'") == [(0,)]
    assert query(warehouse, "select last_name from staging.stg_landing__individuals "
                            "where individual_id = 'I-S-HIDDEN-HOLD'") == [("Cache",)]


# --- 3. another salt stops the run ---------------------------------------------------------


def test_another_salt_stops_before_building_anything(runs: dict) -> None:
    result = runs["other_salt"]
    assert result.returncode == 1
    assert "GDPR_HASH_SALT is not the salt" in result.stderr
    assert "Traceback" not in result.stderr
    assert _sha256(runs["warehouse"]) == runs["published_after_live"]
    assert not Path(str(runs["warehouse"]).replace(".duckdb", ".rejected.duckdb")).exists()


def test_real_data_without_a_salt_is_refused(tmp_path: Path) -> None:
    result = run_main_job(tmp_path, tmp_path / "w.duckdb", AS_OF, GDPR_HASH_SALT="")
    assert result.returncode == 2
    assert "GDPR_HASH_SALT is not set" in result.stderr
    assert not (tmp_path / "w.duckdb").exists()


# --- 4. the salt never reaches a file ------------------------------------------------------


def test_the_salt_is_in_no_file_the_project_wrote(runs: dict) -> None:
    needle = SALT.encode()
    places = [runs["folder"], REPO / "target", REPO / "logs"]
    hits = []
    for place in places:
        for path in place.rglob("*") if place.exists() else []:
            try:
                if path.is_file() and needle in path.read_bytes():
                    hits.append(path)
            except OSError:  # another test's run removed it meanwhile
                continue
    assert hits == []


# --- 5. no byte of an erased person's data stays in the published file -------------------


def test_erased_personal_data_is_not_in_the_file(runs: dict) -> None:
    # the grep can see the value while the person is not erased (after the replay) ...
    assert ERASED_EMAIL.encode() in runs["after_replay"]["bytes"]
    # ... and finds nothing once they are
    data = runs["warehouse"].read_bytes()
    assert ERASED_EMAIL.encode() not in data
    assert REQUEST_EMAIL.encode() not in data


# --- 6. ids are trimmed --------------------------------------------------------------------


def test_ids_are_trimmed_and_the_manifest_names_the_record_as_sent(runs: dict) -> None:
    warehouse = runs["warehouse"]
    assert query(warehouse, "select count(*) from marts.individual_activity "
                            "where trim(individual_id) = 'I-S-TRIM'") == [(1,)]
    manifest = query(warehouse, "select record_id, source_record_id from marts.gdpr_erasure_manifest "
                                "where source_table = 'individuals' and individual_id = 'I-S-TRIM'")
    assert manifest == [("I-S-TRIM", " I-S-TRIM ")]
    # " O-S-1" is O-S-1 again: counted once, the second quarantined as a duplicate
    assert query(warehouse, "select count(*) from staging.stg_landing__orders "
                            "where order_id = 'O-S-1'") == [(1,)]
    assert query(warehouse, "select failed_checks from quality.landing_quarantine "
                            "where record_key = 'O-S-1'") == [(["duplicate_key"],)]


# --- 7. and 8. bad values ------------------------------------------------------------------


def test_a_bad_optional_value_is_nulled_not_quarantined(runs: dict) -> None:
    warehouse = runs["warehouse"]
    assert query(warehouse, "select lifecycle_stage from marts.individual_activity "
                            "where individual_id = 'I-S-BAD-VALUES'") == [("active",)]
    assert query(warehouse, "select birth_date, email_opt_in, first_name "
                            "from staging.stg_landing__individuals "
                            "where individual_id = 'I-S-BAD-VALUES'") == [(None, None, None)]
    issues = {(table, check) for table, check in query(
        warehouse, "select source_table, failed_check from quality.landing_value_issues "
                   "where record_key in ('I-S-BAD-VALUES', 'O-S-BIG')")}
    assert issues == {
        ("individuals", "date_after_run_date(birth_date)"),
        ("individuals", "unparseable_value(email_opt_in)"),
        ("individuals", "control_characters(first_name)"),
        ("orders", "implausible_value(amount)"),
    }
    assert "landing values set to null (their rows kept): " in runs["live"].stdout


def test_implausible_required_values_quarantine_the_row(runs: dict) -> None:
    warehouse = runs["warehouse"]
    assert query(warehouse, "select failed_checks from quality.landing_quarantine "
                            "where record_key = 'O-S-ANCIENT'") == [(["implausible_value(ordered_at)"],)]
    # the huge amount is gone: no order total near 1e16
    assert query(warehouse, "select max(amount) < 1e7 from staging.stg_landing__orders") == [(True,)]
