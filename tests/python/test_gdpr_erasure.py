"""GDPR erasure end to end: the main job (twice) on a landing set with erasable, held and
requesting people whose personal values are unique, then every base table of the warehouse
is scanned for those values."""

from __future__ import annotations

from pathlib import Path

import pytest
from main_job import query, rows_by_key, run_main_job
from planted_landing import AS_OF, Landing, build_planted_landing


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


@pytest.fixture(scope="module")
def erasure_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    land = build_planted_landing()
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
    folder = tmp_path_factory.mktemp("gdpr")
    land.write(folder / "landing")
    warehouse = folder / "warehouse.duckdb"
    outputs = []
    for _ in range(2):  # the landing files send the erased subjects again
        # a live run: erasure happens only when the as-of date is the day of the run
        result = run_main_job(folder / "landing", warehouse, AS_OF, RUN_DATE=AS_OF)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        outputs.append(result.stdout)
    return warehouse, outputs


ERASED = {"I-G-OLD": "retention_expired", "I-G-OPENS": "retention_expired",
          "I-G-REQUEST": "erasure_request"}


def test_candidates_rules_and_holds(erasure_runs: tuple[Path, list[str]]) -> None:
    warehouse, _ = erasure_runs
    candidates = rows_by_key(warehouse, """
        select individual_id, rule, erasure_status, legal_hold, legal_hold_reason
        from marts.gdpr_erasure_candidates where individual_id like 'I-G-%'""")
    assert {key: row[0] for key, row in candidates.items() if row[1] == "erased"} == ERASED
    assert candidates["I-G-HELD"][:3] == ("retention_expired", "held", True)
    assert "open dispute D-G since 2022-02-01" in candidates["I-G-HELD"][3]
    assert "I-G-CLICK" not in candidates


def test_no_base_table_keeps_personal_values_of_erased_subjects(
    erasure_runs: tuple[Path, list[str]],
) -> None:
    warehouse, _ = erasure_runs
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
    erasure_runs: tuple[Path, list[str]],
) -> None:
    warehouse, _ = erasure_runs
    stages = rows_by_key(warehouse, "select individual_id, lifecycle_stage "
                                    "from marts.individual_activity where individual_id like 'I-G-%'")
    assert {k: v[0] for k, v in stages.items() if k in ERASED} == dict.fromkeys(ERASED, "erased")
    assert stages["I-G-HELD"][0] != "erased"
    # non-personal facts stay: the orders are still counted
    assert query(warehouse, "select count(*) from staging.stg_landing__orders "
                            "where individual_id = 'I-G-OLD'") == [(1,)]


def test_the_audit_log_has_one_row_per_subject_after_two_runs(
    erasure_runs: tuple[Path, list[str]],
) -> None:
    warehouse, _ = erasure_runs
    rows = query(warehouse, "select rule, subject_hash, actions_taken from gdpr.erasure_audit_log")
    erased = dict(query(warehouse, "select individual_id, rule from marts.gdpr_erasure_candidates "
                                   "where erasure_status = 'erased'"))
    assert ERASED.items() <= erased.items()  # (and planted people silent for 36 months)
    assert sorted(rule for rule, _, _ in rows) == sorted(erased.values())
    assert len({subject for _, subject, _ in rows}) == len(erased)
    assert all(not any(key in str(row) for key in erased) for row in rows)  # hashes, not ids
    assert query(warehouse, "select count(*) from gdpr.erasure_tombstones") == [(len(erased),)]


def test_the_manifest_says_what_each_source_does(erasure_runs: tuple[Path, list[str]]) -> None:
    warehouse, _ = erasure_runs
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
