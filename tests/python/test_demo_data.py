"""Tests of the demo landing-data generator (orchestration/demo_data/).

The generator runs on a few hundred individuals; the tests read back the Parquet files with
DuckDB and check the contract, determinism, integrity and that every planted population of
DOMAIN.md is really there. The reactivation cases are checked on the 3,000-person set
`make run` uses, with an approximation of DOMAIN.md's rules in SQL.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import duckdb
import pytest
from planted_landing import CONTRACT_COLUMNS

from orchestration import demo_data
from orchestration.demo_data import cli, generate
from orchestration.settings import RunSettings

AS_OF = datetime.date(2026, 11, 23)
INDIVIDUALS = 500

# The contract's tables and columns, written out once for all tests from CONTRACT.md,
# independently of the module's own list.
CONTRACT = CONTRACT_COLUMNS

KEYS = {
    "individuals": "individual_id",
    "accounts": "account_id",
    "account_contacts": "account_id, individual_id, role",
    "orders": "order_id",
    "quotes": "quote_id",
    "invoices": "invoice_id",
    "payments": "payment_id",
    "subscriptions": "subscription_id",
    "tickets": "ticket_id",
    "disputes": "dispute_id",
    "campaigns": "campaign_id",
    "email_events": "event_id",
    "web_sessions": "session_id",
    "loyalty_transactions": "transaction_id",
    "usage_events": "usage_id",
    "address_changes": "individual_id, moved_at",
    "deceased_notices": "individual_id",
    "erasure_requests": "request_id",
}

# (child table, column, parent table, parent key)
FOREIGN_KEYS = [
    ("account_contacts", "account_id", "accounts", "account_id"),
    ("account_contacts", "individual_id", "individuals", "individual_id"),
    ("orders", "account_id", "accounts", "account_id"),
    ("orders", "individual_id", "individuals", "individual_id"),
    ("quotes", "account_id", "accounts", "account_id"),
    ("quotes", "individual_id", "individuals", "individual_id"),
    ("invoices", "account_id", "accounts", "account_id"),
    ("invoices", "order_id", "orders", "order_id"),
    ("payments", "account_id", "accounts", "account_id"),
    ("payments", "invoice_id", "invoices", "invoice_id"),
    ("subscriptions", "account_id", "accounts", "account_id"),
    ("tickets", "account_id", "accounts", "account_id"),
    ("tickets", "individual_id", "individuals", "individual_id"),
    ("disputes", "account_id", "accounts", "account_id"),
    ("disputes", "individual_id", "individuals", "individual_id"),
    ("email_events", "individual_id", "individuals", "individual_id"),
    ("email_events", "campaign_id", "campaigns", "campaign_id"),
    ("web_sessions", "individual_id", "individuals", "individual_id"),
    ("loyalty_transactions", "individual_id", "individuals", "individual_id"),
    ("usage_events", "account_id", "accounts", "account_id"),
    ("usage_events", "individual_id", "individuals", "individual_id"),
    ("address_changes", "individual_id", "individuals", "individual_id"),
    ("deceased_notices", "individual_id", "individuals", "individual_id"),
    ("erasure_requests", "individual_id", "individuals", "individual_id"),
]

CATEGORIES = {
    ("accounts", "account_type"): {"b2c", "b2b"},
    ("accounts", "business_line"): {"retail", "subscription", "b2b_services", "marketplace"},
    ("account_contacts", "role"): {
        "prescriber", "requester", "decision_maker", "buyer", "payer", "user",
    },
    ("orders", "status"): {"placed", "delivered", "cancelled"},
    ("quotes", "status"): {"open", "accepted", "declined", "expired"},
    ("invoices", "status"): {"open", "paid", "written_off"},
    ("campaigns", "campaign_type"): {"reactivation", "retention", "newsletter", "promotion"},
    ("campaigns", "channel"): {"email", "sms", "postal"},
    ("email_events", "event_type"): {
        "sent", "delivered", "open", "click", "bounce_hard", "bounce_soft", "unsubscribe",
        "complaint",
    },
    ("web_sessions", "channel"): {"web", "app"},
}

ID_PATTERNS = {
    ("individuals", "individual_id"): "^I[0-9]{7}$",
    ("individuals", "household_id"): "^H[0-9]{7}$",
    ("accounts", "account_id"): "^A[0-9]{7}$",
    ("orders", "order_id"): "^O[0-9]{9}$",
    ("quotes", "quote_id"): "^Q[0-9]+$",
    ("invoices", "invoice_id"): "^INV[0-9]+$",
    ("payments", "payment_id"): "^P[0-9]+$",
    ("subscriptions", "subscription_id"): "^S[0-9]+$",
    ("tickets", "ticket_id"): "^T[0-9]+$",
    ("disputes", "dispute_id"): "^D[0-9]+$",
    ("campaigns", "campaign_id"): "^C[0-9]+$",
    ("email_events", "event_id"): "^E[0-9]+$",
    ("web_sessions", "session_id"): "^W[0-9]+$",
    ("loyalty_transactions", "transaction_id"): "^L[0-9]+$",
    ("usage_events", "usage_id"): "^U[0-9]+$",
    ("erasure_requests", "request_id"): "^R[0-9]+$",
}


def _generate(path: Path, seed: int) -> tuple[Path, dict[str, int]]:
    counts = demo_data.generate_landing_data(path, INDIVIDUALS, seed=seed, as_of=AS_OF)
    return path, counts


@pytest.fixture(scope="module")
def run_a(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    return _generate(tmp_path_factory.mktemp("seed42_a"), 42)


@pytest.fixture(scope="module")
def landing(run_a: tuple[Path, dict[str, int]]) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one view per landing table of the seed-42 run."""
    con = duckdb.connect()
    for table in CONTRACT:
        con.execute(
            f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{run_a[0] / table}.parquet')"
        )
    yield con
    con.close()


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    return con.execute(sql).fetchone()[0]


def _fingerprints(path: Path) -> dict[str, str]:
    """md5 of every table's rows, in file order (same rows in the same order => same md5)."""
    con = duckdb.connect()
    try:
        return {
            table: _scalar(
                con,
                f"SELECT md5(string_agg(CAST(t AS VARCHAR), '\n' ORDER BY file_row_number)) "
                f"FROM read_parquet('{path / table}.parquet', file_row_number = true) t",
            )
            for table in CONTRACT
        }
    finally:
        con.close()


# ---------------------------------------------------------------------------- the contract


def test_every_table_is_written_with_exactly_the_contract_columns(run_a) -> None:
    path, counts = run_a
    con = duckdb.connect()
    for table, columns in CONTRACT.items():
        file = path / f"{table}.parquet"
        assert file.exists(), table
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{file}')").fetchall()
        assert [row[0] for row in described] == columns, table
        assert _scalar(con, f"SELECT count(*) FROM read_parquet('{file}')") == counts[table]
    assert sorted(path.iterdir()) == sorted(path / f"{t}.parquet" for t in CONTRACT)


def test_column_types(landing) -> None:
    def types(table: str) -> dict[str, str]:
        return {r[0]: r[1] for r in landing.execute(f"DESCRIBE {table}").fetchall()}

    for table in CONTRACT:
        for column, column_type in types(table).items():
            if column.endswith("_id"):
                assert column_type == "VARCHAR", (table, column)
            if column.endswith("_at") or column in ("valid_from", "valid_to"):
                assert column_type == "TIMESTAMP", (table, column)
    assert types("individuals")["birth_date"] == "DATE"
    assert types("usage_events")["used_on"] == "DATE"
    assert types("deceased_notices")["deceased_on"] == "DATE"
    assert types("orders")["amount"].startswith("DECIMAL")
    assert types("payments")["is_automatic"] == "BOOLEAN"
    assert types("subscriptions")["auto_renew"] == "BOOLEAN"
    assert types("individuals")["email_opt_in"] == "BOOLEAN"
    assert types("campaigns")["wave"] == "INTEGER"
    assert types("campaigns")["cost_per_contact"] == "DOUBLE"
    assert types("loyalty_transactions")["points"] == "INTEGER"
    assert types("usage_events")["units"] == "INTEGER"
    assert types("web_sessions")["page_views"] == "INTEGER"


@pytest.mark.parametrize(("table", "column"), sorted(CATEGORIES))
def test_categorical_values_come_from_the_contract(landing, table, column) -> None:
    values = {r[0] for r in landing.execute(f"SELECT DISTINCT {column} FROM {table}").fetchall()}
    assert values == CATEGORIES[(table, column)]


def test_identifier_formats(landing) -> None:
    for (table, column), pattern in ID_PATTERNS.items():
        bad = _scalar(
            landing,
            f"SELECT count(*) FROM {table} "
            f"WHERE {column} IS NOT NULL AND NOT regexp_full_match({column}, '{pattern}')",
        )
        assert bad == 0, (table, column)


# ------------------------------------------------------------------------- determinism


def test_same_seed_gives_identical_files(run_a, tmp_path) -> None:
    path_b, counts_b = _generate(tmp_path / "seed42_b", 42)
    assert counts_b == run_a[1]
    assert _fingerprints(path_b) == _fingerprints(run_a[0])


def test_different_seed_gives_different_data(run_a, tmp_path) -> None:
    path_c, _ = _generate(tmp_path / "seed7", 7)
    a, c = _fingerprints(run_a[0]), _fingerprints(path_c)
    for table in ("individuals", "accounts", "orders", "email_events", "web_sessions"):
        assert a[table] != c[table], table


def _key_problems(path: Path) -> dict[str, tuple[int, int]]:
    """Per table: (rows not strictly after the previous row's key, duplicate keys)."""
    con = duckdb.connect()
    problems = {}
    for table, key in KEYS.items():
        source = f"read_parquet('{path / table}.parquet', file_row_number = true)"
        unordered = _scalar(
            con,
            f"SELECT count(*) FROM (SELECT ({key}) AS k, "
            f"lag(({key})) OVER (ORDER BY file_row_number) AS prev FROM {source}) "
            f"WHERE prev IS NOT NULL AND k <= prev",
        )
        duplicates = _scalar(con, f"SELECT count(*) - count(DISTINCT ({key})) FROM {source}")
        if unordered or duplicates:
            problems[table] = (unordered, duplicates)
    con.close()
    return problems


def test_files_are_written_in_key_order(run_a) -> None:
    assert _key_problems(run_a[0]) == {}


@pytest.mark.slow  # generates a large set twice (18 s)
def test_order_keys_and_content_hold_when_duckdb_runs_in_parallel(tmp_path) -> None:
    """At a few hundred people DuckDB hardly parallelises; 20,000 exercises the threads."""
    first = demo_data.generate_landing_data(tmp_path / "a", 20_000, seed=5, as_of=AS_OF)
    second = demo_data.generate_landing_data(tmp_path / "b", 20_000, seed=5, as_of=AS_OF)
    assert first == second
    assert _key_problems(tmp_path / "a") == {}
    assert _fingerprints(tmp_path / "a") == _fingerprints(tmp_path / "b")


# ---------------------------------------------------------------------------- integrity


def test_no_date_after_the_as_of_date(landing) -> None:
    horizon = AS_OF - datetime.timedelta(days=7 * 366)
    for table in CONTRACT:
        for column, column_type, *_ in landing.execute(f"DESCRIBE {table}").fetchall():
            if column_type not in ("DATE", "TIMESTAMP"):
                continue
            latest, earliest = landing.execute(
                f"SELECT max({column}), min({column}) FROM {table}"
            ).fetchone()
            if latest is None:
                continue
            latest_day = latest if column_type == "DATE" else latest.date()
            assert latest_day <= AS_OF, (table, column, latest)
            if column != "birth_date":
                earliest_day = earliest if column_type == "DATE" else earliest.date()
                assert earliest_day >= horizon, (table, column, earliest)


@pytest.mark.parametrize("table", sorted(KEYS))
def test_keys_are_unique_and_present(landing, table) -> None:
    key = KEYS[table]
    total, distinct, nulls = landing.execute(
        f"SELECT count(*), count(DISTINCT ({key})), "
        f"count(*) FILTER (WHERE {' OR '.join(f'{k} IS NULL' for k in key.split(', '))}) "
        f"FROM {table}"
    ).fetchone()
    assert nulls == 0
    assert distinct == total


@pytest.mark.parametrize(("child", "column", "parent", "key"), FOREIGN_KEYS)
def test_foreign_keys_resolve(landing, child, column, parent, key) -> None:
    broken = _scalar(
        landing,
        f"SELECT count(*) FROM {child} c WHERE c.{column} IS NOT NULL "
        f"AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{key} = c.{column})",
    )
    assert broken == 0


def test_dates_are_consistent(landing) -> None:
    checks = {
        "invoice issued before its order": """
            SELECT count(*) FROM invoices i JOIN orders o USING (order_id)
            WHERE i.issued_at < o.ordered_at""",
        "cancelled order invoiced": """
            SELECT count(*) FROM invoices i JOIN orders o USING (order_id)
            WHERE o.status = 'cancelled'""",
        "paid before issued": "SELECT count(*) FROM invoices WHERE paid_at < issued_at",
        "paid invoice without payment date": """
            SELECT count(*) FROM invoices WHERE (status = 'paid') <> (paid_at IS NOT NULL)""",
        "payment differs from its invoice": """
            SELECT count(*) FROM payments p JOIN invoices i USING (invoice_id)
            WHERE p.amount <> i.amount OR p.paid_at <> i.paid_at
               OR p.account_id <> i.account_id""",
        "role ends before it starts": """
            SELECT count(*) FROM account_contacts WHERE valid_to < valid_from""",
        "account closed before opened": "SELECT count(*) FROM accounts WHERE closed_at < opened_at",
        "ticket closed before opened": "SELECT count(*) FROM tickets WHERE closed_at < opened_at",
        "dispute resolved before opened": """
            SELECT count(*) FROM disputes WHERE resolved_at < opened_at""",
        "quote closed before requested": """
            SELECT count(*) FROM quotes WHERE closed_at < requested_at""",
        "open quote with a closing date": """
            SELECT count(*) FROM quotes WHERE (status = 'open') <> (closed_at IS NULL)""",
        "subscription ended before started": """
            SELECT count(*) FROM subscriptions WHERE ended_at < started_at""",
    }
    for name, sql in checks.items():
        assert _scalar(landing, sql) == 0, name


PERSONAL_ACTIVITY = {
    "orders": "ordered_at",
    "quotes": "requested_at",
    "tickets": "opened_at",
    "disputes": "opened_at",
    "account_contacts": "valid_from",
    "email_events": "occurred_at",
    "web_sessions": "started_at",
    "loyalty_transactions": "occurred_at",
    "usage_events": "used_on",
}


@pytest.mark.parametrize("table", sorted(PERSONAL_ACTIVITY))
def test_nobody_acts_before_being_created(landing, table) -> None:
    column = PERSONAL_ACTIVITY[table]
    early = _scalar(
        landing,
        f"SELECT count(*) FROM {table} x JOIN individuals i USING (individual_id) "
        f"WHERE CAST(x.{column} AS DATE) < CAST(i.created_at AS DATE)",
    )
    assert early == 0


@pytest.mark.parametrize(
    "table", ["orders", "quotes", "tickets", "disputes", "web_sessions", "loyalty_transactions"]
)
def test_the_dead_do_nothing_after_their_death(landing, table) -> None:
    column = PERSONAL_ACTIVITY[table]
    late = _scalar(
        landing,
        f"SELECT count(*) FROM {table} x JOIN deceased_notices d USING (individual_id) "
        f"WHERE CAST(x.{column} AS DATE) > d.deceased_on",
    )
    assert late == 0
    clicks = _scalar(
        landing,
        "SELECT count(*) FROM email_events e JOIN deceased_notices d USING (individual_id) "
        "WHERE e.event_type IN ('open', 'click') AND CAST(e.occurred_at AS DATE) > d.deceased_on",
    )
    assert clicks == 0


# ----------------------------------------------------------------------- planted mixes


PLANTED = {
    "four business lines": """
        SELECT count(DISTINCT business_line) = 4 FROM accounts""",
    "b2b account with >= 2 contacts in different roles, company name and 14-digit siret": """
        SELECT count(*) > 0 FROM (
            SELECT account_id FROM account_contacts JOIN accounts a USING (account_id)
            WHERE a.account_type = 'b2b' AND a.company_name IS NOT NULL
              AND regexp_full_match(a.siret, '[0-9]{14}')
            GROUP BY account_id
            HAVING count(DISTINCT individual_id) >= 2 AND count(DISTINCT role) >= 2)""",
    "b2c account where one person is buyer, payer and user": """
        SELECT count(*) > 0 FROM (
            SELECT account_id, individual_id FROM account_contacts JOIN accounts USING (account_id)
            WHERE account_type = 'b2c' GROUP BY ALL HAVING count(DISTINCT role) = 3)""",
    "ended roles": "SELECT count(*) > 0 FROM account_contacts WHERE valid_to IS NOT NULL",
    "people with roles on two accounts": """
        SELECT count(*) > 0 FROM (
            SELECT individual_id FROM account_contacts GROUP BY 1
            HAVING count(DISTINCT account_id) >= 2)""",
    "households of 2+ sharing last name and address": """
        SELECT count(*) > 0 FROM (
            SELECT household_id FROM individuals WHERE household_id IS NOT NULL GROUP BY 1
            HAVING count(*) >= 2 AND count(DISTINCT lower(last_name)) = 1
               AND count(DISTINCT postal_code) = 1)""",
    "about a quarter without household id": """
        SELECT avg(CAST(household_id IS NULL AS INT)) BETWEEN 0.15 AND 0.40 FROM individuals""",
    "prospects who never ordered": """
        SELECT count(*) > 0 FROM individuals i
        WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.individual_id = i.individual_id)
          AND EXISTS (SELECT 1 FROM web_sessions w WHERE w.individual_id = i.individual_id)""",
    "dormant customers: last order 8 to 24 months ago": """
        SELECT count(*) > 0 FROM (
            SELECT individual_id, max(ordered_at) AS last_order FROM orders GROUP BY 1)
        WHERE last_order BETWEEN DATE '2024-11-23' AND DATE '2026-03-23'""",
    "long-lost customers: last order 3 to 6 years ago": """
        SELECT count(*) > 0 FROM (
            SELECT individual_id, max(ordered_at) AS last_order FROM orders GROUP BY 1)
        WHERE last_order < DATE '2023-11-23'""",
    "decaying basket: last 3 orders 40 % below the earlier ones": """
        SELECT count(*) > 0 FROM (
            SELECT individual_id,
                avg(amount) FILTER (WHERE recent <= 3) AS recent_basket,
                avg(amount) FILTER (WHERE recent > 3) AS earlier_basket
            FROM (SELECT *, row_number() OVER (PARTITION BY individual_id
                                               ORDER BY ordered_at DESC) AS recent
                  FROM orders WHERE individual_id IS NOT NULL)
            GROUP BY 1 HAVING count(*) >= 6)
        WHERE recent_basket <= 0.6 * earlier_basket""",
    "orders still placed and not invoiced": """
        SELECT count(*) > 0 FROM orders o WHERE status = 'placed'
          AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.order_id = o.order_id)""",
    "b2b orders without an individual": """
        SELECT count(*) > 0 FROM orders JOIN accounts USING (account_id)
        WHERE account_type = 'b2b' AND individual_id IS NULL""",
    "invoices issued weeks after the order": """
        SELECT count(*) > 0 FROM invoices i JOIN orders o USING (order_id)
        WHERE i.issued_at > o.ordered_at + INTERVAL 20 DAY""",
    "open, overdue and written-off invoices": """
        SELECT count(*) FILTER (WHERE status = 'open' AND due_at < DATE '2026-11-01') > 0
           AND count(*) FILTER (WHERE status = 'written_off') > 0 FROM invoices""",
    "automatic and manual payments": """
        SELECT count(DISTINCT is_automatic) = 2 FROM payments""",
    "auto-renewing subscribers whose usage stopped 6+ months ago but who still pay": """
        SELECT count(*) > 0 FROM subscriptions s
        WHERE s.auto_renew AND s.ended_at IS NULL
          AND (SELECT max(used_on) FROM usage_events u WHERE u.account_id = s.account_id)
              < DATE '2026-05-23'
          AND EXISTS (SELECT 1 FROM payments p WHERE p.account_id = s.account_id
                      AND p.is_automatic AND p.paid_at > DATE '2026-09-23')""",
    "ended subscriptions": "SELECT count(*) > 0 FROM subscriptions WHERE ended_at IS NOT NULL",
    "open and closed tickets": """
        SELECT count(*) FILTER (WHERE closed_at IS NULL) > 0
           AND count(*) FILTER (WHERE closed_at IS NOT NULL) > 0 FROM tickets""",
    "open and resolved disputes": """
        SELECT count(*) FILTER (WHERE resolved_at IS NULL) > 0
           AND count(*) FILTER (WHERE resolved_at IS NOT NULL) > 0 FROM disputes""",
    "open dispute and no purchase for 8 months": """
        SELECT count(*) > 0 FROM disputes d WHERE resolved_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.individual_id = d.individual_id
                          AND o.ordered_at > DATE '2026-03-23')""",
    "every quote status": "SELECT count(DISTINCT status) >= 3 FROM quotes",
    "weekly newsletters, promotions on three channels": """
        SELECT count(*) FILTER (WHERE campaign_type = 'newsletter') > 250
           AND count(DISTINCT channel) = 3 FROM campaigns""",
    "reactivation waves 1 to 4, retention steps 1 and 2, null wave elsewhere": """
        SELECT list_sort(list(DISTINCT wave) FILTER (WHERE campaign_type = 'reactivation'))
               = [1, 2, 3, 4]
           AND list_sort(list(DISTINCT wave) FILTER (WHERE campaign_type = 'retention'))
               = [1, 2]
           AND count(wave) FILTER (WHERE campaign_type NOT IN ('reactivation', 'retention')) = 0
        FROM campaigns""",
    "weekly retention batches, step 2 five days after step 1": """
        SELECT count(*) = 7 FROM campaigns s1 JOIN campaigns s2
          ON s1.campaign_type = 'retention' AND s2.campaign_type = 'retention'
         AND s1.wave = 1 AND s2.wave = 2 AND s2.launched_at = s1.launched_at + INTERVAL 5 DAY""",
    "retention steps sent, opened, clicked": """
        SELECT count(DISTINCT c.wave) FILTER (WHERE e.event_type = 'sent') = 2
           AND count(*) FILTER (WHERE e.event_type = 'open') > 0
           AND count(*) FILTER (WHERE e.event_type = 'click') > 0
        FROM email_events e JOIN campaigns c USING (campaign_id)
        WHERE c.campaign_type = 'retention'""",
    "reactivation waves with hard bounces or complaints": """
        SELECT count(*) > 0 FROM email_events e JOIN campaigns c USING (campaign_id)
        WHERE c.campaign_type = 'reactivation' AND e.event_type IN ('bounce_hard', 'complaint')""",
    "nobody is mailed after a hard bounce, unsubscribe or complaint": """
        SELECT count(*) = 0 FROM email_events e
        JOIN (SELECT individual_id, min(occurred_at) AS ended_at FROM email_events
              WHERE event_type IN ('bounce_hard', 'unsubscribe', 'complaint') GROUP BY 1) x
          USING (individual_id)
        WHERE e.event_type = 'sent' AND e.occurred_at > x.ended_at + INTERVAL 1 DAY""",
    "people who left the emails are not opted in": """
        SELECT count(*) = 0 FROM individuals WHERE email_opt_in AND individual_id IN (
            SELECT individual_id FROM email_events
            WHERE event_type IN ('bounce_hard', 'unsubscribe', 'complaint'))""",
    "email refused but SMS consented on a mobile, and no consent at all": """
        SELECT count(*) FILTER (WHERE NOT email_opt_in AND sms_opt_in
                                  AND regexp_matches(phone, '^(0|[+]33 ?|0033 ?)[67]')) > 0
           AND count(*) FILTER (WHERE NOT email_opt_in AND NOT sms_opt_in
                                  AND NOT postal_opt_in) > 0
        FROM individuals""",
    "SMS consent on a landline": """
        SELECT count(*) > 0 FROM individuals
        WHERE sms_opt_in AND regexp_matches(phone, '^(0|[+]33 ?|0033 ?)[1-59]')""",
    "waves 30 days apart": """
        SELECT count(*) > 0 FROM campaigns w1 JOIN campaigns w4
          ON w1.campaign_type = 'reactivation' AND w4.campaign_type = 'reactivation'
         AND w1.wave = 1 AND w4.wave = 4 AND w4.launched_at = w1.launched_at + INTERVAL 90 DAY""",
    "dormant people who received all four waves without clicking": """
        SELECT count(*) > 0 FROM (
            SELECT e.individual_id FROM email_events e JOIN campaigns c USING (campaign_id)
            WHERE c.campaign_type = 'reactivation' GROUP BY 1
            HAVING count(DISTINCT c.wave) FILTER (WHERE e.event_type = 'sent') = 4
               AND count(*) FILTER (WHERE e.event_type = 'click') = 0)""",
    "reactivation answered by a click": """
        SELECT count(*) > 0 FROM email_events e JOIN campaigns c USING (campaign_id)
        WHERE c.campaign_type = 'reactivation' AND e.event_type = 'click'""",
    "every email event type": "SELECT count(DISTINCT event_type) = 8 FROM email_events",
    "opens far more frequent than clicks": """
        SELECT count(*) FILTER (WHERE event_type = 'open')
               > 5 * count(*) FILTER (WHERE event_type = 'click') FROM email_events""",
    "web and app sessions": "SELECT count(DISTINCT channel) = 2 FROM web_sessions",
    "loyalty points earned and redeemed": """
        SELECT count(*) FILTER (WHERE points > 0) > 0 AND count(*) FILTER (WHERE points < 0) > 0
        FROM loyalty_transactions""",
    "usage with and without an individual": """
        SELECT count(individual_id) > 0 AND count(*) > count(individual_id) FROM usage_events""",
    "address changes, deceased notices, erasure requests": """
        SELECT (SELECT count(*) FROM address_changes) > 0
           AND (SELECT count(*) FROM deceased_notices) > 0
           AND (SELECT count(*) FROM erasure_requests) > 0""",
}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_planted_population_is_present(landing, name) -> None:
    assert _scalar(landing, PLANTED[name]) is True, name


# ------------------------------------------------------------------------ contact mess


CONTACT_MESS = {
    "civility M, MME, MLLE and empty": """
        SELECT count(DISTINCT civility) FILTER (WHERE civility IN ('M', 'MME', 'MLLE')) = 3
           AND count(*) FILTER (WHERE civility IS NULL OR civility = '') > 0 FROM individuals""",
    "accents and hyphens in names": """
        SELECT count(*) FILTER (WHERE regexp_matches(first_name || last_name, '[éèçïëô]')) > 0
           AND count(*) FILTER (WHERE first_name LIKE '%-%' OR last_name LIKE '%-%') > 0
        FROM individuals""",
    "emails with capitals or surrounding spaces": """
        SELECT count(*) FILTER (WHERE email <> lower(trim(email))) > 0 FROM individuals""",
    "a few invalid emails": """
        SELECT count(*) FILTER (WHERE NOT regexp_full_match(trim(email),
                                '[^@ ]+@[^@ ]+\\.[a-zA-Z]+')) > 0 FROM individuals""",
    "phones in several French formats": """
        SELECT count(*) FILTER (WHERE phone LIKE '+33%') > 0
           AND count(*) FILTER (WHERE regexp_full_match(phone, '0[1-9]( [0-9]{2}){4}')) > 0
           AND count(*) FILTER (WHERE regexp_full_match(phone, '0[1-9](\\.[0-9]{2}){4}')) > 0
           AND count(*) FILTER (WHERE regexp_full_match(phone, '0[1-9][0-9]{8}')) > 0
        FROM individuals""",
    "mostly 5-digit postal codes, a few malformed": """
        SELECT avg(CAST(regexp_full_match(postal_code, '[0-9]{5}') AS INT)) > 0.9
           AND count(*) FILTER (WHERE country_code = 'FR'
                                  AND NOT regexp_full_match(postal_code, '[0-9]{5}')) > 0
        FROM individuals""",
    "mostly FR": """
        SELECT avg(CAST(country_code = 'FR' AS INT)) > 0.9 FROM individuals""",
    "address complements": """
        SELECT count(*) FILTER (WHERE address_line_2 IS NOT NULL) > 0
           AND count(*) FILTER (WHERE concat_ws(' ', address_line_1, address_line_2,
                                                address_line_3) ILIKE '%bis%'
                                   OR address_line_1 ILIKE '%lieu%dit%'
                                   OR address_line_1 ILIKE '%résidence%') > 0
        FROM individuals""",
    "cities in mixed case": """
        SELECT count(*) FILTER (WHERE city = upper(city)) > 0
           AND count(*) FILTER (WHERE city <> upper(city)) > 0 FROM individuals""",
    "all three opt-in flags vary": """
        SELECT count(DISTINCT email_opt_in) = 2 AND count(DISTINCT sms_opt_in) = 2
           AND count(DISTINCT postal_opt_in) = 2 FROM individuals""",
}


@pytest.mark.parametrize("name", sorted(CONTACT_MESS))
def test_contact_data_has_realistic_mess(landing, name) -> None:
    assert _scalar(landing, CONTACT_MESS[name]) is True, name


# -------------------------------------------------------------------------------- CLI


def test_cli_writes_every_table(tmp_path, capsys) -> None:
    out = tmp_path / "cli"
    code = demo_data.main(
        ["--individuals", "60", "--seed", "3", "--as-of", "2025-06-30", "--out", str(out)]
    )
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.parquet" for t in CONTRACT)
    assert "email_events" in capsys.readouterr().out
    con = duckdb.connect()
    latest = _scalar(con, f"SELECT max(ordered_at) FROM read_parquet('{out}/orders.parquet')")
    assert latest.date() < datetime.date(2025, 6, 30)


def test_as_of_defaults_to_today_in_utc(tmp_path, monkeypatch) -> None:
    """The UTC day, as make run's (it took the machine's local day)."""
    monkeypatch.setattr(generate, "today_utc", lambda: "2026-01-15")
    demo_data.generate_landing_data(tmp_path, 40, seed=1)
    con = duckdb.connect()
    latest = _scalar(
        con, f"SELECT max(started_at) FROM read_parquet('{tmp_path}/web_sessions.parquet')"
    )
    assert datetime.date(2025, 1, 15) <= latest.date() <= datetime.date(2026, 1, 15)


def test_the_command_has_make_runs_defaults(monkeypatch) -> None:
    """`python -m orchestration.demo_data` alone writes the set `make run` generates (it made
    5,000 people where make run makes 3,000)."""
    called = {}
    monkeypatch.setattr(cli, "generate_landing_data",
                        lambda out, individuals, seed, as_of: called.update(
                            out=out, individuals=individuals, seed=seed, as_of=as_of) or {})
    demo_data.main([])
    settings = RunSettings.from_env({})
    assert called == {"out": settings.demo_data_dir, "individuals": settings.demo_individuals,
                      "seed": settings.demo_seed, "as_of": None}


# ------------------------------------------------------------------ reactivation plantings

# DOMAIN.md's "Reactivation" rules, approximated on the landing files (stages from dates and
# open items only, no cadence or basket signal, no RNVP, no erasure run, individuals rather
# than households): enough to show that each case the reactivation outputs must handle is
# planted in the demo set. Reads the macro rx_as_of().
REACTIVATION_RULES_SQL = r"""
CREATE TEMP TABLE rx_lines AS SELECT * FROM (VALUES
    ('retail', 8, 'household'), ('subscription', 6, 'individual'),
    ('b2b_services', 12, 'account')) t(business_line, months, level);

CREATE TEMP TABLE rx_roles AS
SELECT DISTINCT c.account_id, c.individual_id, a.business_line
FROM account_contacts c JOIN accounts a USING (account_id)
WHERE c.valid_from <= rx_as_of() AND (c.valid_to IS NULL OR c.valid_to >= rx_as_of());

-- the longest window of the person's business lines (current roles, orders), else 6 months
CREATE TEMP TABLE rx_windows AS
SELECT i.individual_id,
    coalesce(max(l.months), 6) AS months,
    coalesce(arg_max(l.level, l.months), 'individual') AS level
FROM individuals i
LEFT JOIN (SELECT individual_id, account_id FROM rx_roles
           UNION SELECT individual_id, account_id FROM orders) ia USING (individual_id)
LEFT JOIN accounts a USING (account_id)
LEFT JOIN (SELECT business_line, months, level FROM rx_lines
           UNION ALL SELECT 'marketplace', 6, 'individual') l USING (business_line)
GROUP BY 1;

CREATE TEMP TABLE rx_acts AS
SELECT individual_id, account_id, ordered_at AS acted_at, status <> 'cancelled' AS purchase,
    status <> 'cancelled' AS visit FROM orders
UNION ALL SELECT individual_id, account_id, requested_at, false, false FROM quotes
UNION ALL SELECT o.individual_id, p.account_id, p.paid_at, false, false
    FROM payments p JOIN invoices v USING (invoice_id) LEFT JOIN orders o USING (order_id)
    WHERE NOT p.is_automatic
UNION ALL SELECT individual_id, account_id, opened_at, false, false FROM tickets
UNION ALL SELECT individual_id, account_id, opened_at, false, false FROM disputes
UNION ALL SELECT individual_id, NULL, occurred_at, false, false FROM email_events
    WHERE event_type = 'click'
UNION ALL SELECT individual_id, NULL, started_at, false, true FROM web_sessions
UNION ALL SELECT individual_id, NULL, occurred_at, false, false FROM loyalty_transactions
UNION ALL SELECT individual_id, account_id, CAST(used_on AS TIMESTAMP), false, false
    FROM usage_events;

CREATE TEMP TABLE rx_open AS
SELECT 'dispute' AS item, individual_id, account_id FROM disputes WHERE resolved_at IS NULL
UNION ALL SELECT 'ticket', individual_id, account_id FROM tickets WHERE closed_at IS NULL
UNION ALL SELECT 'order', individual_id, account_id FROM orders WHERE status = 'placed'
UNION ALL SELECT 'quote', individual_id, account_id FROM quotes WHERE status = 'open'
UNION ALL SELECT 'invoice', o.individual_id, v.account_id
    FROM invoices v LEFT JOIN orders o USING (order_id) WHERE v.status = 'open';
CREATE TEMP VIEW rx_open_people AS
SELECT individual_id FROM rx_open WHERE individual_id IS NOT NULL;

CREATE TEMP TABLE rx_sends AS
SELECT e.individual_id, c.campaign_id, c.campaign_type, c.wave, e.occurred_at AS sent_at
FROM email_events e JOIN campaigns c USING (campaign_id)
WHERE e.event_type = 'sent' AND c.campaign_type IN ('reactivation', 'retention');

CREATE TEMP TABLE rx_people AS
WITH acts AS (
    SELECT individual_id, max(acted_at) AS last_act,
        max(acted_at) FILTER (WHERE purchase) AS last_purchase,
        max(acted_at) FILTER (WHERE visit) AS last_visit
    FROM rx_acts WHERE individual_id IS NOT NULL GROUP BY 1
), unanswered AS (
    SELECT s.individual_id, count(DISTINCT s.campaign_id) AS waves
    FROM rx_sends s LEFT JOIN acts a USING (individual_id)
    WHERE s.campaign_type = 'reactivation' AND (a.last_act IS NULL OR s.sent_at > a.last_act)
    GROUP BY 1
)
SELECT i.*, w.months, w.level, a.last_act, a.last_purchase, a.last_visit,
    coalesce(u.waves, 0) AS unanswered_waves,
    CASE WHEN a.last_purchase IS NULL THEN 'prospect'
         WHEN i.individual_id IN (SELECT individual_id FROM rx_open_people) THEN 'active'
         WHEN a.last_purchase >= rx_as_of() - to_months(w.months) THEN 'active'
         WHEN a.last_act >= rx_as_of() - to_months(w.months) THEN 'at_risk'
         WHEN coalesce(u.waves, 0) >= 4 THEN 'lost'
         WHEN a.last_act < rx_as_of() - to_months(2 * w.months) THEN 'lost'
         ELSE 'dormant' END AS stage
FROM individuals i JOIN rx_windows w USING (individual_id)
LEFT JOIN acts a USING (individual_id) LEFT JOIN unanswered u USING (individual_id);

-- where each person stands in each scenario: the last step sent since their last activity
CREATE TEMP TABLE rx_steps AS
SELECT p.individual_id, s.campaign_type, max(s.wave) AS last_step, max(s.sent_at) AS last_sent
FROM rx_people p JOIN rx_sends s USING (individual_id)
WHERE p.last_act IS NULL OR s.sent_at > p.last_act
GROUP BY ALL;

CREATE TEMP TABLE rx_state AS
SELECT p.*, r.last_step AS reactivation_step, r.last_sent AS reactivation_sent,
    d.last_step AS declining_step, d.last_sent AS declining_sent,
    CASE WHEN p.stage = 'dormant' THEN
        CASE WHEN r.last_step IS NULL THEN 1
             WHEN r.last_step < 4 AND rx_as_of() - CAST(r.last_sent AS DATE) >= 30
                 THEN r.last_step + 1 END
    END AS reactivation_due,
    CASE WHEN p.stage = 'at_risk' THEN
        CASE WHEN d.last_step IS NULL AND rx_as_of() - CAST(p.last_visit AS DATE) >= 14 THEN 1
             WHEN d.last_step = 1 AND rx_as_of() - CAST(p.last_visit AS DATE) >= 21
                  AND rx_as_of() - CAST(d.last_sent AS DATE) >= 7 THEN 2 END
    END AS declining_due,
    -- exclusions
    p.individual_id IN (SELECT individual_id FROM deceased_notices) AS deceased,
    p.individual_id IN (SELECT individual_id FROM erasure_requests) AS erasure_requested,
    p.individual_id IN (SELECT individual_id FROM rx_open_people) AS own_open_item,
    p.individual_id IN (SELECT r.individual_id FROM rx_roles r JOIN rx_open o USING (account_id))
        AS account_open_item,
    p.individual_id IN (
        SELECT r.individual_id FROM rx_roles r JOIN subscriptions s USING (account_id)
        WHERE s.auto_renew AND s.started_at <= rx_as_of()
          AND (s.ended_at IS NULL OR s.ended_at > rx_as_of())) AS auto_renewing,
    coalesce(p.level = 'household' AND p.household_id IN (
        SELECT household_id FROM rx_people WHERE stage IN ('active', 'at_risk')
                                             AND household_id IS NOT NULL), false)
        AS household_not_inactive,
    -- channels
    coalesce(p.email_opt_in AND regexp_full_match(lower(trim(p.email)),
                                                  '[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}')
        AND p.individual_id NOT IN (
            SELECT individual_id FROM email_events
            WHERE event_type IN ('bounce_hard', 'unsubscribe', 'complaint')),
        false) AS email_ok,
    coalesce(p.sms_opt_in AND regexp_full_match(n.phone_national, '0[67][0-9]{8}'), false)
        AS sms_ok,
    coalesce(p.sms_opt_in AND regexp_full_match(n.phone_national, '0[1-59][0-9]{8}'), false)
        AS sms_landline,
    coalesce(p.postal_opt_in AND regexp_full_match(p.postal_code, '[0-9]{5}')
        AND p.country_code = 'FR' AND p.address_line_1 IS NOT NULL
        AND p.individual_id NOT IN (SELECT individual_id FROM deceased_notices), false)
        AS postal_ok,
    p.individual_id IN (SELECT individual_id FROM email_events
                        WHERE event_type IN ('unsubscribe', 'complaint')) AS unsubscribed,
    p.individual_id IN (SELECT individual_id FROM email_events
                        WHERE event_type IN ('open', 'click')
                          AND occurred_at >= rx_as_of() - INTERVAL 12 MONTH) AS email_active
FROM rx_people p
LEFT JOIN rx_steps r ON r.individual_id = p.individual_id AND r.campaign_type = 'reactivation'
LEFT JOIN rx_steps d ON d.individual_id = p.individual_id AND d.campaign_type = 'retention'
LEFT JOIN (
    SELECT individual_id, regexp_replace(regexp_replace(regexp_replace(
        regexp_replace(phone, '[^0-9+]', '', 'g'), '^(\+33|0033)', '0'), '^00', '0'),
        '^0+', '0') AS phone_national
    FROM individuals) n ON n.individual_id = p.individual_id;

-- accounts held by someone not inactive, with an open item or activity within their window
CREATE TEMP TABLE rx_live_accounts AS
SELECT DISTINCT account_id FROM rx_roles r JOIN rx_people p USING (individual_id)
WHERE p.stage IN ('active', 'at_risk')
UNION SELECT account_id FROM rx_open WHERE account_id IS NOT NULL
UNION SELECT x.account_id FROM rx_acts x JOIN accounts a USING (account_id)
    JOIN rx_lines l USING (business_line) WHERE x.acted_at >= rx_as_of() - to_months(l.months);

CREATE TEMP TABLE rx_targets AS
SELECT *,
    CASE WHEN email_ok THEN 'email' WHEN sms_ok THEN 'sms' WHEN postal_ok THEN 'postal' END
        AS channel,
    level = 'account' AND individual_id IN (
        SELECT individual_id FROM rx_roles r JOIN rx_live_accounts USING (account_id)
        WHERE r.business_line = 'b2b_services') AS account_not_inactive
FROM rx_state;
"""

# Each case the reactivation outputs must show on the demo set: a count that must be > 0.
_DUE = """NOT deceased AND NOT erasure_requested AND NOT account_open_item
    AND NOT auto_renewing AND NOT household_not_inactive AND NOT account_not_inactive"""
REACTIVATION_CASES = {
    "reactivation wave 1 due (dormant, never contacted)": f"""
        SELECT count(*) FROM rx_targets WHERE reactivation_due = 1 AND channel IS NOT NULL
          AND {_DUE}""",
    "reactivation wave 2 due": f"""
        SELECT count(*) FROM rx_targets WHERE reactivation_due = 2 AND channel IS NOT NULL
          AND {_DUE}""",
    "reactivation wave 3 due": f"""
        SELECT count(*) FROM rx_targets WHERE reactivation_due = 3 AND channel IS NOT NULL
          AND {_DUE}""",
    "reactivation wave 4 due": f"""
        SELECT count(*) FROM rx_targets WHERE reactivation_due = 4 AND channel IS NOT NULL
          AND {_DUE}""",
    "reactivation next wave not due yet": f"""
        SELECT count(*) FROM rx_targets WHERE stage = 'dormant' AND reactivation_step < 4
          AND reactivation_due IS NULL AND channel IS NOT NULL AND {_DUE}""",
    "lost after four waves unanswered": """
        SELECT count(*) FROM rx_targets WHERE stage = 'lost' AND unanswered_waves >= 4
          AND last_act >= rx_as_of() - to_months(2 * months)""",
    "declining step 1 due, 14-20 days since the last visit or purchase": """
        SELECT count(*) FROM rx_targets WHERE declining_due = 1 AND channel IS NOT NULL
          AND rx_as_of() - CAST(last_visit AS DATE) BETWEEN 14 AND 20
          AND NOT deceased AND NOT erasure_requested""",
    "declining step 2 due (step 1 sent 7+ days ago, 21+ days since the visit)": """
        SELECT count(*) FROM rx_targets WHERE declining_due = 2 AND channel IS NOT NULL
          AND NOT deceased AND NOT erasure_requested""",
    "declining step 2 not due yet (step 1 sent under 7 days ago)": """
        SELECT count(*) FROM rx_targets WHERE stage = 'at_risk' AND declining_step = 1
          AND declining_due IS NULL AND rx_as_of() - CAST(declining_sent AS DATE) < 7""",
    "dormant target by email": f"""
        SELECT count(*) FROM rx_targets WHERE reactivation_due IS NOT NULL AND {_DUE}
          AND channel = 'email'""",
    "dormant target by SMS only (no usable email, consented mobile)": f"""
        SELECT count(*) FROM rx_targets WHERE reactivation_due IS NOT NULL AND {_DUE}
          AND channel = 'sms'""",
    "dormant target by post only": f"""
        SELECT count(*) FROM rx_targets WHERE reactivation_due IS NOT NULL AND {_DUE}
          AND channel = 'postal' AND NOT sms_ok""",
    "dormant target with no channel, for the custom audience": f"""
        SELECT count(*) FROM rx_targets WHERE reactivation_due IS NOT NULL AND {_DUE}
          AND channel IS NULL AND NOT unsubscribed AND (email IS NOT NULL OR phone IS NOT NULL)""",
    "dormant target with no channel, kept out of the audience (unsubscribe/complaint)": f"""
        SELECT count(*) FROM rx_targets WHERE reactivation_due IS NOT NULL AND {_DUE}
          AND channel IS NULL AND unsubscribed""",
    "dormant target whose SMS consent is on a landline": f"""
        SELECT count(*) FROM rx_targets WHERE reactivation_due IS NOT NULL AND {_DUE}
          AND NOT email_ok AND sms_landline""",
    "deliverability cap: wave-1 email-inactive targets above floor(A / 9)": f"""
        SELECT CASE WHEN count(*) FILTER (WHERE email_active) >= 10
                    THEN count(*) FILTER (WHERE NOT email_active)
                         - floor(count(*) FILTER (WHERE email_active) / 9) ELSE 0 END
        FROM rx_targets WHERE reactivation_due = 1 AND channel = 'email' AND {_DUE}""",
    "excluded: deceased dormant": """
        SELECT count(*) FROM rx_targets WHERE deceased AND stage = 'dormant'""",
    "excluded: open item of their account on a dormant person": """
        SELECT count(*) FROM rx_targets WHERE account_open_item AND NOT own_open_item
          AND stage = 'dormant'""",
    "excluded: own open dispute or ticket (not inactive)": """
        SELECT count(*) FROM rx_targets WHERE own_open_item AND stage = 'active'
          AND individual_id IN (SELECT individual_id FROM rx_open
                                WHERE item IN ('dispute', 'ticket'))""",
    "excluded: auto-renewing dormant subscriber": """
        SELECT count(*) FROM rx_targets WHERE auto_renewing AND stage = 'dormant'""",
    "excluded: household not inactive": """
        SELECT count(*) FROM rx_targets WHERE household_not_inactive AND stage = 'dormant'""",
    "excluded: account not inactive": """
        SELECT count(*) FROM rx_targets WHERE account_not_inactive AND stage = 'dormant'""",
    "excluded: prospect": "SELECT count(*) FROM rx_targets WHERE stage = 'prospect'",
    "excluded: erasure requested by a dormant person": """
        SELECT count(*) FROM rx_targets WHERE erasure_requested AND stage = 'dormant'""",
}


DEMO_INDIVIDUALS = 3000  # what `make run` generates


@pytest.fixture(scope="module")
def demo_set(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    """The demo set `make run` uses, at AS_OF, with the approximate rules applied."""
    path = tmp_path_factory.mktemp("demo")
    demo_data.generate_landing_data(path, DEMO_INDIVIDUALS, seed=42, as_of=AS_OF)
    con = duckdb.connect()
    for table in CONTRACT:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path / table}.parquet')")
    con.execute(f"CREATE MACRO rx_as_of() AS DATE '{AS_OF.isoformat()}'")
    con.execute(REACTIVATION_RULES_SQL)
    yield con
    con.close()


@pytest.mark.parametrize("name", list(REACTIVATION_CASES))
def test_each_reactivation_case_is_planted(demo_set, name) -> None:
    assert _scalar(demo_set, REACTIVATION_CASES[name]) > 0, name


def test_reactivation_waves_bounce_under_2_percent_except_wave_3(demo_set) -> None:
    """Hard bounces + complaints over sends, per wave over the whole history and per
    campaign: the deliverability ramp widens after waves 1 and 2, not after wave 3."""
    per_campaign = demo_set.execute("""
        SELECT c.wave, c.campaign_id,
            count(*) FILTER (WHERE e.event_type IN ('bounce_hard', 'complaint')) AS stopped,
            count(*) FILTER (WHERE e.event_type = 'sent') AS sent
        FROM email_events e JOIN campaigns c USING (campaign_id)
        WHERE c.campaign_type = 'reactivation' GROUP BY ALL""").fetchall()
    for wave in (1, 2, 3, 4):
        rows = [(stopped, sent) for w, _, stopped, sent in per_campaign if w == wave]
        rate = sum(stopped for stopped, _ in rows) / sum(sent for _, sent in rows)
        if wave == 3:
            assert rate > 0.02 and all(stopped / sent > 0.02 for stopped, sent in rows)
        else:
            assert 0 < rate < 0.02 and all(stopped / sent < 0.02 for stopped, sent in rows), wave
    types = {r[0] for r in demo_set.execute("""
        SELECT DISTINCT e.event_type FROM email_events e JOIN campaigns c USING (campaign_id)
        WHERE c.campaign_type = 'reactivation'""").fetchall()}
    assert {"sent", "delivered", "open", "click", "bounce_hard", "complaint",
            "unsubscribe"} <= types


def test_both_campaign_types_have_responses_within_90_days(demo_set) -> None:
    """The KPIs' reactivated (a click) and converted (a purchase within 90 days of a send)."""
    found = dict(demo_set.execute("""
        SELECT c.campaign_type,
            count(DISTINCT e.individual_id) FILTER (WHERE e.event_type = 'click') > 0
            AND count(DISTINCT o.order_id) > 0
        FROM email_events e JOIN campaigns c USING (campaign_id)
        LEFT JOIN orders o ON e.event_type = 'sent' AND o.individual_id = e.individual_id
            AND o.ordered_at > e.occurred_at AND o.ordered_at <= e.occurred_at + INTERVAL 90 DAY
        WHERE c.campaign_type IN ('reactivation', 'retention') GROUP BY 1""").fetchall())
    assert found == {"reactivation": True, "retention": True}
