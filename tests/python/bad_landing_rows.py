"""One bad landing row per check, and the checks each must fail.

test_end_to_end.py adds them to the planted landing set (whose answers are known): every bad
row must be in quality.landing_quarantine with the expected checks, and the planted answers
must not move. One run serves both.
"""

from __future__ import annotations

from planted_landing import Landing

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


def add_bad_rows(land: Landing) -> None:
    """One bad row per landing check (EXPECTED_QUARANTINE), plus rows that must be kept."""
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
