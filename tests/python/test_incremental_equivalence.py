"""The models kept from run to run give what a full rebuild of the same data gives.

int_contacts_rnvp_normalised (the RNVP functions' results) and int_score_features (the
score's criteria per month-end) reuse their stored rows for contacts and customers whose
inputs did not change. One warehouse goes through a sequence of dbt builds: a first day, the
next day with new and late-arriving rows and a moved contact, a replay of an earlier date,
then the live date again after an erasure. After each, both tables equal those of a full
refresh of a copy of the warehouse, and the run took the incremental path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from main_job import require_slow_marker
from planted_landing import Landing, build_planted_landing

pytestmark = pytest.mark.slow  # runs dbt (`make test-fast` leaves it out)

REPO = Path(__file__).resolve().parents[2]
DBT = REPO / ".venv" / "bin" / "dbt"
INCREMENTAL = ["int_contacts_rnvp_normalised", "int_score_features"]
DAY_1, DAY_2, REPLAY = "2026-06-30", "2026-07-01", "2026-05-31"


class Warehouse:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.landing = root / "landing"
        self.path = root / "w.duckdb"

    def dbt(self, *args: str, as_of: str, run_date: str) -> str:
        # the same vars and target for a build and its full refresh: dbt's partial parse holds
        dbt_vars = (f"{{raw_data_dir: '{self.landing}', warehouse_path: '{self.path}', "
                    f"as_of_date: '{as_of}', run_date: '{run_date}', gdpr_erasure_approved: 'true'}}")
        require_slow_marker("runs dbt")
        result = subprocess.run(
            [str(DBT), *args, "--vars", dbt_vars, "--target-path", str(self.root / "target"),
             "--log-path", str(self.root / "logs")],
            cwd=REPO, env={**{k: v for k, v in os.environ.items() if k != "GDPR_HASH_SALT"},
                           "DBT_PROFILES_DIR": str(REPO)},
            capture_output=True, text=True, timeout=600, check=False,
        )
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
        return result.stdout

    def build(self, land: Landing, as_of: str, run_date: str) -> None:
        shutil.rmtree(self.landing, ignore_errors=True)
        land.write(self.landing)
        # the two models and what they are built from, and the erasure (tombstones)
        self.dbt("build", "--resource-type", "seed", "model", "--select",
                 *(f"+{model}" for model in INCREMENTAL), "+erasure_tombstones",
                 "--exclude", "tag:reactivation", as_of=as_of, run_date=run_date)

    def compiled(self, model: str) -> str:
        """The model's compiled SQL, its whitespace collapsed (layout is sqlfluff's concern)."""
        sql = next((self.root / "target" / "compiled").rglob(f"{model}.sql")).read_text()
        return " ".join(sql.split())

    def assert_equals_full_refresh(self, as_of: str, run_date: str) -> None:
        """The incremental models rebuilt from scratch (the incremental build set aside in a
        copy first): every row the same."""
        incremental = self.root / "incremental.duckdb"
        shutil.copyfile(self.path, incremental)
        self.dbt("run", "--full-refresh", "--select", *INCREMENTAL, as_of=as_of,
                 run_date=run_date)
        assert "reused as (" not in self.compiled("int_score_features")
        with duckdb.connect() as con:
            con.execute(f"attach '{incremental}' as incremental (read_only)")
            con.execute(f"attach '{self.path}' as rebuilt (read_only)")
            for model in INCREMENTAL:
                counts = con.execute(f"""
                    select
                        (select count(*) from incremental.intermediate.{model}),
                        (select count(*) from (select * from incremental.intermediate.{model}
                                               except all
                                               select * from rebuilt.intermediate.{model})),
                        (select count(*) from (select * from rebuilt.intermediate.{model}
                                               except all
                                               select * from incremental.intermediate.{model}))
                """).fetchall()[0]
                assert counts[0] > 0 and counts[1:] == (0, 0), (model, as_of, counts)

    def personal_values_of_the_erased(self) -> list[tuple]:
        """I-ERASE-ME's stored RNVP results if they still hold their name, street or email."""
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute("""
                select address, email from intermediate.int_contacts_rnvp_normalised
                where individual_id = 'I-ERASE-ME'
                    and (cast(address as varchar) ilike '%oubli%'
                         or cast(address as varchar) ilike '%rue%'
                         or cast(email as varchar) ilike '%i-erase-me%')""").fetchall()

    def ids(self, model: str) -> set[str]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            return {row[0] for row in con.execute(
                f"select distinct individual_id from intermediate.{model}").fetchall()}


def landing_of_day_1() -> Landing:
    land = build_planted_landing()
    # customers with two years of purchases: rows at every month-end
    for number in range(6):
        person = f"I-HIST-{number}"
        account = land.person(person, last_name=f"Durand{number}")
        for month in range(1, 25, 1 + number):
            land.order(account, person, f"{2024 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}-15",
                       amount=50 + 10 * number)
    # asks to be erased: tombstoned by the first live run, gone from every later one
    account = land.person("I-ERASE-ME", last_name="Oubli")
    land.order(account, "I-ERASE-ME", "2025-03-10")
    land.event("erasure_requests", individual_id="I-ERASE-ME", requested_at="2026-06-01T10:00:00")
    return land


def landing_of_day_2() -> Landing:
    land = landing_of_day_1()
    land.order("A-I-HIST-0", "I-HIST-0", DAY_2)  # the new day
    land.event("web_sessions", individual_id="I-HIST-1", started_at=f"{DAY_2}T08:00:00",
               channel="app", page_views=2)
    land.order("A-I-HIST-2", "I-HIST-2", "2026-05-20", amount=999)  # arrived late
    moved = next(row for row in land.rows["individuals"] if row["individual_id"] == "I-HIST-3")
    moved["address_line_1"] = "12 avenue des Champs-Elysees"
    return land


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    return Warehouse(tmp_path_factory.mktemp("incremental"))


def test_incremental_runs_equal_full_rebuilds(warehouse: Warehouse) -> None:
    warehouse.build(landing_of_day_1(), DAY_1, DAY_1)
    assert "I-ERASE-ME" in warehouse.ids("int_contacts_rnvp_normalised")

    # the next day: new rows, a late one, a move; the requester erased by day 1's run
    warehouse.build(landing_of_day_2(), DAY_2, DAY_2)
    assert "reused as (" in warehouse.compiled("int_score_features")
    assert "where not exists" in warehouse.compiled("int_contacts_rnvp_normalised")
    warehouse.assert_equals_full_refresh(DAY_2, DAY_2)
    # the erased person's stored results were replaced: nothing of their name or address
    assert warehouse.personal_values_of_the_erased() == []

    # a replay of an earlier date: other month-ends, events after it unknown
    warehouse.build(landing_of_day_2(), REPLAY, DAY_2)
    warehouse.assert_equals_full_refresh(REPLAY, DAY_2)

    # live again, nothing new: everything reused, still equal
    warehouse.build(landing_of_day_2(), DAY_2, DAY_2)
    warehouse.assert_equals_full_refresh(DAY_2, DAY_2)
    assert "I-HIST-0" in warehouse.ids("int_score_features")
