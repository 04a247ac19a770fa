"""Tests of the demo landing-data generator (orchestration/demo_data.py).

The generator runs on a few hundred individuals; the tests read back the Parquet files with
DuckDB and check the contract, determinism, integrity and that every planted population of
DOMAIN.md is really there.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import duckdb
import pytest
from planted_landing import CONTRACT_COLUMNS

from orchestration import demo_data

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
    ("campaigns", "campaign_type"): {"reactivation", "newsletter", "promotion"},
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


def test_tables_constant_lists_the_contract_tables_in_order() -> None:
    assert demo_data.TABLES == tuple(CONTRACT)


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
    "reactivation waves 1 to 4 with null wave elsewhere": """
        SELECT list_sort(list(DISTINCT wave) FILTER (WHERE campaign_type = 'reactivation'))
               = [1, 2, 3, 4]
           AND count(wave) FILTER (WHERE campaign_type <> 'reactivation') = 0
        FROM campaigns""",
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


def test_as_of_defaults_to_today(tmp_path) -> None:
    demo_data.generate_landing_data(tmp_path, 40, seed=1)
    con = duckdb.connect()
    latest = _scalar(
        con, f"SELECT max(started_at) FROM read_parquet('{tmp_path}/web_sessions.parquet')"
    )
    assert latest.date() <= datetime.date.today()
