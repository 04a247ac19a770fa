"""GDPR erasure end to end, and erasure that cannot hit the wrong person.

One landing set (erasable, held and requesting people whose personal values are unique, 120
people forgotten since 2019, ids with spaces, bad values), five main-job runs into one
warehouse:

1. a replay (AS_OF_DATE 2025-10-01, run date 2026-06-30): erases nobody, not even the
   customer who was silent for 36 months then but bought again since;
2. the live run (AS_OF_DATE = RUN_DATE = 2026-06-30) without approval: the circuit breaker
   stops it (more than 5 % of the base and 100 subjects), nothing is published, the
   candidates are in the build it sets aside, and the message says how to approve;
3. the live run approved: erases the silent and requesting subjects, but holds the ones
   with a legal hold or records under quarantine (their account is missing from the
   accounts file); ids are trimmed; bad optional values are set to null;
4. the same run again, the landing files sending the erased subjects again: nobody new;
5. a run with another GDPR_HASH_SALT: stops before building anything, the published file
   unchanged.

Every base table of the warehouse is then scanned for the erased subjects' personal values.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from main_job import REPO, TEST_SALT, query, rows_by_key, run_main_job
from planted_landing import AS_OF, Landing

from orchestration.settings import RunSettings

pytestmark = pytest.mark.slow  # runs the main job (`make test-fast` leaves it out)

REPLAY_AS_OF = "2025-10-01"
SALT = TEST_SALT  # run_main_job's default
ERASED_EMAIL = "gaspard.silencieux@oubli.example"
REQUEST_EMAIL = "trim.me@oubli.example"
FORGOTTEN = 120


def personal(n: int) -> dict[str, str]:
    """Personal values unique to subject n: none may survive their erasure anywhere."""
    return {
        "first_name": f"Gaspardine{n}", "last_name": f"Oubliette{n}",
        "email": f"erase.me.{n}@oubli.example", "phone": f"06987654{n:02d}",
        "address_line_1": f"{n} rue Quasimodo{n}", "address_line_2": f"Escalier Zephyrin{n}",
        "birth_date": f"1961-02-{n:02d}", "postal_code": "44000", "city": "Nantes",
    }


def with_subject(land: Landing, individual_id: str, n: int, created_at: str) -> str:
    account = land.person(individual_id)
    land.rows["individuals"][-1].update(personal(n), created_at=created_at)
    return account


def _old_customer(land: Landing, individual_id: str, **values: str) -> str:
    account = land.person(individual_id)
    land.rows["individuals"][-1].update(created_at="2019-01-01T00:00:00", **values)
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
    # no contact from the person for more than 36 months (cutoff 2023-06-30)
    old = with_subject(land, "I-G-OLD", 1, "2019-01-01T00:00:00")
    land.order(old, "I-G-OLD", "2022-01-10")
    # only email opens since: an open is not a contact from the person
    opener = with_subject(land, "I-G-OPENS", 2, "2019-01-01T00:00:00")
    land.order(opener, "I-G-OPENS", "2021-05-01")
    land.add("campaigns", campaign_id="C-G", name="news", campaign_type="newsletter",
             channel="email", launched_at="2026-01-01T00:00:00")
    land.event("email_events", individual_id="I-G-OPENS", campaign_id="C-G",
               event_type="open", occurred_at="2026-01-02T10:00:00")
    # an explicit request is honoured without waiting
    requester = with_subject(land, "I-G-REQUEST", 3, "2024-01-01T00:00:00")
    land.order(requester, "I-G-REQUEST", "2026-05-01")
    land.add("erasure_requests", request_id="R-1", individual_id="I-G-REQUEST",
             requested_at="2026-06-01T10:00:00")
    # held: an old, still open dispute
    held = with_subject(land, "I-G-HELD", 4, "2019-01-01T00:00:00")
    land.add("disputes", dispute_id="D-G", account_id=held, individual_id="I-G-HELD",
             opened_at="2022-02-01T10:00:00", reason="damaged", amount="50")
    # a recent click: a contact, not a candidate
    clicker = with_subject(land, "I-G-CLICK", 5, "2019-01-01T00:00:00")
    land.order(clicker, "I-G-CLICK", "2021-05-01")
    land.event("email_events", individual_id="I-G-CLICK", campaign_id="C-G",
               event_type="click", occurred_at="2026-01-02T10:00:00")
    land.add("address_changes", individual_id="I-G-OLD", address_line_1="7 impasse Xylophonique",
             postal_code="44000", city="Nantes", country_code="FR", moved_at="2021-01-01T00:00:00")
    # never heard of since 2019: enough to trip the circuit breaker
    for n in range(FORGOTTEN):
        land.person(f"I-FORGOTTEN-{n:03d}")
        land.rows["individuals"][-1]["created_at"] = "2019-01-01T00:00:00"
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
    out["breaker"] = run_main_job(folder / "landing", warehouse, AS_OF, RUN_DATE=AS_OF)
    rejected = folder / "warehouse.rejected.duckdb"
    out["breaker_unchanged"] = warehouse.read_bytes() == out["after_replay"]["bytes"]
    out["breaker_candidates"] = query(
        rejected, "select count(*) from marts.gdpr_erasure_candidates "
                  "where erasure_status = 'to_erase'")[0][0] if rejected.exists() else 0
    if rejected.exists():  # the next publish removes it
        shutil.copyfile(rejected, folder / "breaker_build.duckdb")
    live = run_main_job(folder / "landing", warehouse, AS_OF, RUN_DATE=AS_OF,
                        GDPR_APPROVE_ERASURE="true")
    assert live.returncode == 0, live.stdout[-3000:] + live.stderr[-3000:]
    out["live"] = live
    out["erased_by_the_live_run"] = query(warehouse, "select count(*) from gdpr.erasure_audit_log")[0][0]
    again = run_main_job(folder / "landing", warehouse, AS_OF, RUN_DATE=AS_OF,
                         GDPR_APPROVE_ERASURE="true")
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
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


# --- the circuit breaker ------------------------------------------------------------------


def test_the_breaker_stops_the_erasure_and_says_how_to_approve(runs: dict) -> None:
    result = runs["breaker"]
    assert result.returncode == 1
    assert "GDPR circuit breaker" in result.stderr
    assert "GDPR_APPROVE_ERASURE=true" in result.stderr
    # nothing is published; the candidates are in the run's build, set aside for review
    assert str(runs["folder"] / "warehouse.rejected.duckdb") in result.stderr
    assert runs["breaker_unchanged"]
    assert runs["breaker_candidates"] >= FORGOTTEN
    # the breaker's row is kept in the build the run set aside; dbt skipped the manifest
    stopped = runs["folder"] / "breaker_build.duckdb"
    assert query(stopped, "select subjects_to_erase from gdpr.gdpr_circuit_breaker") == [
        (runs["breaker_candidates"],)]
    assert query(stopped, "select count(*) from marts.gdpr_erasure_manifest") == [(0,)]


def _dbt_build_on_the_stopped_build(runs: dict, select: list[str],
                                    tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`dbt build --select <select>` on a copy of the build the breaker stopped, with that
    run's settings (live, not approved)."""
    tmp_path.mkdir()
    build = tmp_path / "build.duckdb"
    shutil.copyfile(runs["folder"] / "breaker_build.duckdb", build)
    settings = RunSettings.from_env({"AS_OF_DATE": AS_OF, "RUN_DATE": AS_OF, "GDPR_HASH_SALT": SALT,
                                     "RAW_DATA_DIR": str(runs["folder"] / "landing")})
    return subprocess.run(
        # as a run's dbt steps: tests run once all their parents are built
        [str(REPO / ".venv" / "bin" / "dbt"), "build", "--select", *select, "--indirect-selection",
         "buildable", "--exclude-resource-type", "unit_test", "--vars", json.dumps(settings.dbt_vars(warehouse_path=build))],
        cwd=REPO, capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "GDPR_HASH_SALT": SALT, "DBT_TARGET_PATH": str(tmp_path / "target"),
             "DBT_LOG_PATH": str(tmp_path / "target")},
    )


def test_the_breaker_stops_only_a_run_that_erases(runs: dict, tmp_path: Path) -> None:
    """The reactivation job rebuilds the candidates, not the manifest: the breaker lets it go
    on. The same build with the manifest selected is stopped, and dbt skips the manifest."""
    reactivation_like = _dbt_build_on_the_stopped_build(runs, ["gdpr_erasure_candidates"],
                                                        tmp_path / "a")
    assert reactivation_like.returncode == 0, reactivation_like.stdout[-3000:]
    assert "gdpr_circuit_breaker" in reactivation_like.stdout  # it ran, and passed
    erasing = _dbt_build_on_the_stopped_build(
        runs, ["gdpr_erasure_candidates", "gdpr_erasure_manifest"], tmp_path / "b")
    assert erasing.returncode == 1
    assert "Failure in test gdpr_circuit_breaker" in erasing.stdout
    assert "SKIP relation marts.gdpr_erasure_manifest" in erasing.stdout


def test_an_approved_run_erases(runs: dict) -> None:
    warehouse = runs["warehouse"]
    erased = runs["erased_by_the_live_run"]
    assert erased >= FORGOTTEN
    assert query(warehouse, "select count(*) from marts.individual_activity "
                            "where lifecycle_stage = 'erased'") == [(erased,)]


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
        # os.walk, not rglob: another worker's run removes its dbt step folders meanwhile,
        # and rglob raised FileNotFoundError on a folder gone between listing and entering
        for folder, _, names in os.walk(place):
            for name in names:
                path = Path(folder, name)
                try:
                    if needle in path.read_bytes():
                        hits.append(path)
                except OSError:  # removed meanwhile
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


# --- erasure inside the warehouse ---------------------------------------------------------


ERASED = {"I-G-OLD": "retention_expired", "I-G-OPENS": "retention_expired",
          "I-G-REQUEST": "erasure_request"}


def test_candidates_rules_and_holds(runs: dict) -> None:
    warehouse = runs["warehouse"]
    candidates = rows_by_key(warehouse, """
        select individual_id, rule, erasure_status, legal_hold, legal_hold_reason
        from marts.gdpr_erasure_candidates where individual_id like 'I-G-%'""")
    assert {key: row[0] for key, row in candidates.items() if row[1] == "erased"} == ERASED
    assert candidates["I-G-HELD"][:3] == ("retention_expired", "held", True)
    assert "open dispute D-G since 2022-02-01" in candidates["I-G-HELD"][3]
    assert "I-G-CLICK" not in candidates


def test_no_base_table_keeps_personal_values_of_erased_subjects(
    runs: dict,
) -> None:
    warehouse = runs["warehouse"]
    numbers = {"I-G-OLD": 1, "I-G-OPENS": 2, "I-G-REQUEST": 3}
    needles = []
    for n in numbers.values():
        values = personal(n)
        needles += [values["first_name"].upper(), values["last_name"].upper(),
                    values["email"].upper(), values["phone"][1:], f"ZEPHYRIN{n}",
                    f"QUASIMODO{n}", values["birth_date"]]
    needles.append("XYLOPHONIQUE")
    tables = query(warehouse, "select table_schema, table_name from information_schema.tables "
                              "where table_type = 'BASE TABLE'")
    assert len(tables) > 30
    hits = []
    for schema, table in tables:
        columns = [c for (c,) in query(warehouse, f"""select column_name from information_schema.columns
                   where table_schema = '{schema}' and table_name = '{table}'""")]
        text = " || '|' || ".join(f"coalesce(upper(cast(\"{c}\" as varchar)), '')" for c in columns)
        # one scan per table, every needle counted in it
        counts = query(warehouse, "select " + ", ".join(
            f"count(*) filter (where strpos(row_text, '{needle}') > 0)" for needle in needles)
            + f" from (select {text} as row_text from \"{schema}\".\"{table}\")")[0]
        hits += [(schema, table, needle, found) for needle, found in zip(needles, counts, strict=True)
                 if found]
    assert hits == []
    # the held subject is not erased: their data is still there
    assert query(warehouse, "select last_name from staging.base_landing__individuals "
                            "where individual_id = 'I-G-HELD'") == [("Oubliette4",)]


def test_erased_subjects_keep_their_id_and_stage_erased(
    runs: dict,
) -> None:
    warehouse = runs["warehouse"]
    stages = rows_by_key(warehouse, "select individual_id, lifecycle_stage "
                                    "from marts.individual_activity where individual_id like 'I-G-%'")
    assert {k: v[0] for k, v in stages.items() if k in ERASED} == dict.fromkeys(ERASED, "erased")
    assert stages["I-G-HELD"][0] != "erased"
    # non-personal facts stay: the orders are still counted
    assert query(warehouse, "select count(*) from staging.stg_landing__orders "
                            "where individual_id = 'I-G-OLD'") == [(1,)]


def test_the_audit_log_has_one_row_per_subject_after_two_runs(
    runs: dict,
) -> None:
    warehouse = runs["warehouse"]
    rows = query(warehouse, "select rule, subject_hash, actions_taken from gdpr.erasure_audit_log")
    erased = dict(query(warehouse, "select individual_id, rule from marts.gdpr_erasure_candidates "
                                   "where erasure_status = 'erased'"))
    assert ERASED.items() <= erased.items()  # (and planted people silent for 36 months)
    assert sorted(rule for rule, _, _ in rows) == sorted(erased.values())
    assert len({subject for _, subject, _ in rows}) == len(erased)
    assert all(not any(key in str(row) for key in erased) for row in rows)  # hashes, not ids
    assert query(warehouse, "select count(*) from gdpr.erasure_tombstones") == [(len(erased),)]


def test_the_manifest_says_what_each_source_does(runs: dict) -> None:
    warehouse = runs["warehouse"]
    actions = {(table, record, action, str(until)) for table, record, action, until in query(
        warehouse, "select source_table, record_id, action, retain_until "
                   "from marts.gdpr_erasure_manifest where individual_id = 'I-G-REQUEST'")}
    assert ("individuals", "I-G-REQUEST", "delete", "None") in actions
    assert ("erasure_requests", "R-1", "retain", "2031-06-01") in actions
    assert any(table == "orders" and action == "anonymise" and until == "2036-05-01"
               for table, _, action, until in actions)
    held = query(warehouse, "select count(*) from marts.gdpr_erasure_manifest "
                            "where individual_id = 'I-G-HELD'")
    assert held == [(0,)]
