"""A hand-written landing set (CSV, all 18 contract tables) with planted people whose
lifecycle stage at AS_OF is known from DOMAIN.md, one person per rule.

`write_planted_landing(folder)` writes it; EXPECTED_* hold the answers the end-to-end
test asserts. Everything is dated relative to AS_OF so the answers are stable.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from orchestration.landing_contract import contract_columns

AS_OF = "2026-06-30"

# the contract's tables and columns (the dbt sources' declaration)
CONTRACT_COLUMNS: dict[str, list[str]] = {
    table: list(columns) for table, columns in contract_columns().items()}


class Landing:
    """Collects rows per table; ids are generated where the test does not care."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self._counter = 0

    def _id(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}{self._counter:05d}"

    def add(self, table: str, **values: object) -> dict:
        self.rows[table].append(values)
        return values

    def person(self, individual_id: str, household_id: str = "", last_name: str = "Martin",
               business_line: str = "retail", account_type: str = "b2c") -> str:
        """An individual with their own B2C account (buyer, payer, user); returns the account."""
        self.add("individuals", individual_id=individual_id, household_id=household_id,
                 civility="M", first_name="Jean", last_name=last_name,
                 email=f"{individual_id.lower()}@example.fr", phone="0612345678",
                 address_line_1=f"{len(self.rows['individuals'])} rue de la Paix",
                 postal_code="75002", city="Paris", country_code="FR", email_opt_in="true",
                 sms_opt_in="false", postal_opt_in="true",
                 # signed up within 36 months of AS_OF: GDPR erasure leaves planted people
                 # alone (test_gdpr_*.py plant their own erasable ones)
                 created_at="2024-01-01T00:00:00")
        account_id = "A-" + individual_id
        self.add("accounts", account_id=account_id, account_type=account_type,
                 business_line=business_line, opened_at="2020-01-01T00:00:00")
        for role in ("buyer", "payer", "user"):
            self.add("account_contacts", account_id=account_id, individual_id=individual_id,
                     role=role, valid_from="2020-01-01")
        return account_id

    def order(self, account_id: str, individual_id: str | None, on: str,
              status: str = "delivered", amount: float = 100.0, order_id: str = "") -> str:
        order_id = order_id or self._id("O")
        self.add("orders", order_id=order_id, account_id=account_id,
                 individual_id=individual_id or "", ordered_at=f"{on}T10:00:00", status=status,
                 amount=amount, channel="web")
        return order_id

    def event(self, table: str, **values: object) -> None:
        key = CONTRACT_COLUMNS[table][0]
        values.setdefault(key, self._id(key[:2].upper()))
        self.add(table, **values)

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for table, columns in CONTRACT_COLUMNS.items():
            with open(folder / f"{table}.csv", "w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns)
                writer.writeheader()
                for row in self.rows.get(table, []):
                    writer.writerow({column: row.get(column, "") for column in columns})


def build_planted_landing() -> Landing:
    land = Landing()

    # prospect: browses, never bought
    land.person("I-PROSPECT")
    land.event("web_sessions", individual_id="I-PROSPECT", started_at="2026-06-01T09:00:00",
               channel="web", page_views=3)

    # recent purchase, retail window 8 months
    a = land.person("I-RECENT")
    land.order(a, "I-RECENT", "2026-05-01")

    # open dispute keeps active whatever sales thinks (last order 2.5 years ago)
    a = land.person("I-DISPUTE")
    land.order(a, "I-DISPUTE", "2024-01-01")
    land.event("disputes", dispute_id="D-1042", account_id=a, individual_id="I-DISPUTE",
               opened_at="2026-03-02T08:00:00", reason="damaged", amount=80)

    # a dispute resolved after the as-of date was still open at the as-of date
    a = land.person("I-DISPUTE-LATER")
    land.order(a, "I-DISPUTE-LATER", "2024-01-01")
    land.event("disputes", dispute_id="D-2000", account_id=a, individual_id="I-DISPUTE-LATER",
               opened_at="2026-06-01T08:00:00", resolved_at="2026-08-01T08:00:00", reason="late")

    # resolved at 01:00 in Paris on 1 July = 23:00 UTC on 30 June: closed at the as-of date
    a = land.person("I-DISPUTE-TZ")
    land.order(a, "I-DISPUTE-TZ", "2024-01-01")
    land.event("disputes", dispute_id="D-3000", account_id=a, individual_id="I-DISPUTE-TZ",
               opened_at="2026-06-01T08:00:00", resolved_at="2026-07-01T01:00:00+02:00",
               reason="late")

    # open ticket keeps active
    a = land.person("I-TICKET")
    land.order(a, "I-TICKET", "2024-01-01")
    land.event("tickets", ticket_id="T-77", account_id=a, individual_id="I-TICKET",
               opened_at="2025-01-01T08:00:00", category="delivery")

    # unpaid invoice of a B2C account (no person on the invoice) keeps its person active
    a = land.person("I-UNPAID")
    o = land.order(a, "I-UNPAID", "2024-02-01")
    land.event("invoices", invoice_id="INV-9", account_id=a, order_id=o,
               issued_at="2024-02-05T00:00:00", due_at="2024-03-05T00:00:00", amount=100,
               status="open")

    # ... and so does an unpaid invoice of the account itself (no order, no person named)
    a = land.person("I-UNPAID-ACCOUNT")
    land.order(a, "I-UNPAID-ACCOUNT", "2024-02-01")
    land.event("invoices", invoice_id="INV-ACC", account_id=a, issued_at="2025-12-01T00:00:00",
               due_at="2025-12-31T00:00:00", amount=30, status="open")

    # auto-renewing subscriber paying by direct debit: debits are not activity -> dormant
    a = land.person("I-AUTODEBIT", business_line="subscription")
    land.order(a, "I-AUTODEBIT", "2025-10-15")
    land.event("subscriptions", subscription_id="S-1", account_id=a, plan="monthly",
               started_at="2025-10-15T00:00:00", auto_renew="true")
    for month in range(11, 19):
        year, mon = (2025, month) if month <= 12 else (2026, month - 12)
        inv = f"INV-AD-{month}"
        land.event("invoices", invoice_id=inv, account_id=a, issued_at=f"{year}-{mon:02d}-01",
                   due_at=f"{year}-{mon:02d}-10", amount=20, status="paid",
                   paid_at=f"{year}-{mon:02d}-05")
        land.event("payments", invoice_id=inv, account_id=a, paid_at=f"{year}-{mon:02d}-05",
                   amount=20, method="direct_debit", is_automatic="true")

    # order date decides recency, not invoice date: ordered 9 months ago, invoiced last month
    a = land.person("I-ORDER-OLD-INVOICE-NEW")
    o = land.order(a, "I-ORDER-OLD-INVOICE-NEW", "2025-10-01")
    land.event("invoices", invoice_id="INV-LATE", account_id=a, order_id=o,
               issued_at="2026-06-01T00:00:00", due_at="2026-06-30T00:00:00", amount=100,
               status="paid", paid_at="2026-06-05T00:00:00")
    land.event("payments", invoice_id="INV-LATE", account_id=a, paid_at="2026-06-05T00:00:00",
               amount=100, method="direct_debit", is_automatic="true")

    # ... and a recent order not invoiced yet is a recent purchase
    a = land.person("I-ORDER-NEW-NOT-INVOICED")
    land.order(a, "I-ORDER-NEW-NOT-INVOICED", "2026-06-20")
    land.event("invoices", invoice_id="INV-FUTURE", account_id=a, order_id="",
               issued_at="2026-07-15T00:00:00", due_at="2026-08-15T00:00:00", amount=100,
               status="open")

    # cadence overdue: monthly buyer, 90 days since the last purchase (> 1.5 x 30)
    a = land.person("I-CADENCE")
    for day in ("2026-01-01", "2026-01-31", "2026-03-02", "2026-04-01"):
        land.order(a, "I-CADENCE", day)

    # falling basket: last 3 purchase days average 50, the 3 before 100 (-50 %)
    a = land.person("I-BASKET")
    for day, amount in (("2026-01-05", 100), ("2026-02-05", 100), ("2026-03-05", 100),
                        ("2026-04-05", 50), ("2026-05-05", 50), ("2026-06-05", 50)):
        land.order(a, "I-BASKET", day, amount=amount)

    # sessions spacing out: weekly sessions, then every two months
    a = land.person("I-SESSIONS")
    land.order(a, "I-SESSIONS", "2026-05-15")
    for day in ("2025-10-01", "2025-10-08", "2025-10-15", "2025-10-22", "2025-10-29",
                "2026-01-01", "2026-03-01", "2026-05-01"):
        land.event("web_sessions", individual_id="I-SESSIONS", started_at=f"{day}T20:00:00",
                   channel="app", page_views=5)

    # no purchase within the window but clicking: at risk
    a = land.person("I-CLICKER")
    land.order(a, "I-CLICKER", "2025-06-01")
    land.event("campaigns", campaign_id="C-NEWS", name="June newsletter",
               campaign_type="newsletter", channel="email", content_type="newsletter",
               cost_per_contact=0.01, launched_at="2026-06-01T06:00:00")
    land.event("email_events", individual_id="I-CLICKER", campaign_id="C-NEWS",
               event_type="click", occurred_at="2026-06-01T12:00:00")

    # opening emails is not activity: dormant
    a = land.person("I-OPENER")
    land.order(a, "I-OPENER", "2025-06-01")
    land.event("email_events", individual_id="I-OPENER", campaign_id="C-NEWS",
               event_type="open", occurred_at="2026-06-01T12:00:00")

    # four reactivation waves unanswered: lost
    a = land.person("I-WAVES")
    land.order(a, "I-WAVES", "2025-08-01")
    for wave, day in ((1, "2026-03-01"), (2, "2026-03-31"), (3, "2026-04-30"), (4, "2026-05-30")):
        land.event("campaigns", campaign_id=f"C-REACT-{wave}", name=f"Reactivation wave {wave}",
                   campaign_type="reactivation", channel="email", content_type="we_miss_you",
                   wave=wave, cost_per_contact=0.05, launched_at=f"{day}T06:00:00")
        land.event("email_events", individual_id="I-WAVES", campaign_id=f"C-REACT-{wave}",
                   event_type="sent", occurred_at=f"{day}T06:00:00")

    # three waves unanswered only: still dormant
    a = land.person("I-THREE-WAVES")
    land.order(a, "I-THREE-WAVES", "2025-08-01")
    for wave, day in ((1, "2026-03-01"), (2, "2026-03-31"), (3, "2026-04-30")):
        land.event("email_events", individual_id="I-THREE-WAVES", campaign_id=f"C-REACT-{wave}",
                   event_type="sent", occurred_at=f"{day}T06:00:00")

    # dormant for more than twice the window (16 months for retail): lost
    a = land.person("I-LONG-GONE")
    land.order(a, "I-LONG-GONE", "2024-01-01")

    # an order after the as-of date does not exist yet: prospect
    a = land.person("I-FUTURE")
    land.order(a, "I-FUTURE", "2026-07-15")

    # subscription usage is activity: at risk, not dormant (window 6 months)
    a = land.person("I-USAGE", business_line="subscription")
    land.order(a, "I-USAGE", "2025-01-01")
    land.event("usage_events", account_id=a, individual_id="I-USAGE", used_on="2026-05-20",
               units=3)

    # household: one dormant member, one active member -> household active
    a = land.person("I-HH1-DORMANT", household_id="H-1", last_name="Durand")
    land.order(a, "I-HH1-DORMANT", "2025-08-01")
    a = land.person("I-HH1-ACTIVE", household_id="H-1", last_name="Durand")
    land.order(a, "I-HH1-ACTIVE", "2026-06-01")
    # household: both dormant -> dormant
    a = land.person("I-HH2-A", household_id="H-2", last_name="Petit")
    land.order(a, "I-HH2-A", "2025-08-01")
    a = land.person("I-HH2-B", household_id="H-2", last_name="Petit")
    land.order(a, "I-HH2-B", "2025-09-01")

    # B2B account (12-month window): its own orders are old, but its buyer is active
    land.add("accounts", account_id="A-ACME", account_type="b2b", company_name="ACME SA",
             siret="12345678901234", business_line="b2b_services",
             opened_at="2019-01-01T00:00:00")
    land.person("I-ACME-BUYER")
    land.person("I-ACME-FORMER")
    land.add("account_contacts", account_id="A-ACME", individual_id="I-ACME-BUYER",
             role="buyer", valid_from="2019-01-01")
    land.add("account_contacts", account_id="A-ACME", individual_id="I-ACME-FORMER",
             role="decision_maker", valid_from="2019-01-01", valid_to="2025-01-01")
    land.order("A-ACME", None, "2024-12-01", amount=5000)
    land.order("A-I-ACME-BUYER", "I-ACME-BUYER", "2026-06-15")
    land.order("A-I-ACME-FORMER", "I-ACME-FORMER", "2026-06-16")
    # B2B account whose only contact is a former one: dormant on its own events
    land.add("accounts", account_id="A-DORMANTCO", account_type="b2b", company_name="Dormant SARL",
             business_line="b2b_services", opened_at="2019-01-01T00:00:00")
    land.add("account_contacts", account_id="A-DORMANTCO", individual_id="I-ACME-FORMER",
             role="payer", valid_from="2019-01-01", valid_to="2025-06-30")
    land.order("A-DORMANTCO", None, "2025-03-01", amount=900)
    return land


def write_planted_landing(folder: Path) -> Path:
    build_planted_landing().write(folder)
    return folder


# individual -> (lifecycle_stage, status_rule, a fragment of the status_reason)
EXPECTED_INDIVIDUALS: dict[str, tuple[str, str, str]] = {
    "I-PROSPECT": ("prospect", "never_purchased", "never purchased; last activity 2026-06-01 (digital)"),
    "I-RECENT": ("active", "recent_purchase", "purchased on 2026-05-01, within the 8-month window (retail)"),
    "I-DISPUTE": ("active", "open_item", "open dispute D-1042 since 2026-03-02 (after_sales)"),
    "I-DISPUTE-LATER": ("active", "open_item", "open dispute D-2000 since 2026-06-01"),
    "I-DISPUTE-TZ": ("at_risk", "no_recent_purchase", "dispute_opened on 2026-06-01 (after_sales)"),
    "I-TICKET": ("active", "open_item", "open ticket T-77 since 2025-01-01 (after_sales)"),
    "I-UNPAID": ("active", "open_item", "unpaid invoice INV-9 since 2024-02-05 (billing)"),
    "I-UNPAID-ACCOUNT": ("active", "open_item", "unpaid invoice INV-ACC since 2025-12-01 (billing)"),
    "I-AUTODEBIT": ("dormant", "no_recent_activity", "no activity since 2025-10-15 (sales)"),
    "I-ORDER-OLD-INVOICE-NEW": ("dormant", "no_recent_activity", "no activity since 2025-10-01"),
    "I-ORDER-NEW-NOT-INVOICED": ("active", "recent_purchase", "purchased on 2026-06-20"),
    "I-CADENCE": ("at_risk", "cadence_overdue", "overdue: 90 days since the last purchase on 2026-04-01"),
    "I-BASKET": ("at_risk", "falling_basket", "falling basket: last 3 purchase days average 50"),
    "I-SESSIONS": ("at_risk", "sessions_spacing_out", "sessions spacing out"),
    "I-CLICKER": ("at_risk", "no_recent_purchase", "email_click on 2026-06-01 (marketing)"),
    "I-OPENER": ("dormant", "no_recent_activity", "no activity since 2025-06-01"),
    "I-WAVES": ("lost", "unanswered_reactivation", "4 reactivation waves unanswered"),
    "I-THREE-WAVES": ("dormant", "no_recent_activity", "no activity since 2025-08-01"),
    "I-LONG-GONE": ("lost", "beyond_double_window", "more than twice the 8-month window"),
    "I-FUTURE": ("prospect", "never_purchased", "never purchased"),
    "I-USAGE": ("at_risk", "no_recent_purchase", "usage on 2026-05-20 (usage)"),
    "I-HH1-DORMANT": ("dormant", "no_recent_activity", "no activity since 2025-08-01"),
    "I-HH1-ACTIVE": ("active", "recent_purchase", "purchased on 2026-06-01"),
}

# household -> (lifecycle_stage, fragment of the status_reason)
EXPECTED_HOUSEHOLDS: dict[str, tuple[str, str]] = {
    "H-1": ("active", "through member I-HH1-ACTIVE: purchased on 2026-06-01"),
    "H-2": ("dormant", "through member I-HH2-B: no activity since 2025-09-01"),
}

# account -> (lifecycle_stage, own_lifecycle_stage, fragment of the status_reason)
EXPECTED_ACCOUNTS: dict[str, tuple[str, str, str]] = {
    "A-ACME": ("active", "dormant", "through buyer I-ACME-BUYER: purchased on 2026-06-15"),
    "A-DORMANTCO": ("dormant", "dormant", "no activity since 2025-03-01 (sales), window 12 months"),
    "A-I-AUTODEBIT": ("dormant", "dormant", "no activity since 2025-10-15"),
}
