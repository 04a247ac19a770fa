"""Property-based tests (hypothesis) of the GDPR erasure rules (DOMAIN.md, "GDPR erasure"),
run through the real dbt models on generated customer histories.

Each hypothesis example is one landing folder holding several generated subjects (sign-up,
a mix of contacts and non-contacts dated around the retention cutoff and after the as-of
date, erasure requests, legal holds and look-alikes of holds), then one `dbt build` of the
GDPR models. An oracle written here from the contract, independent of the SQL, computes each
subject's last contact coming from the person and their legal holds; the warehouse must agree:

1. no candidate has a contact from the person within the retention period (36 months before
   the as-of date) unless they requested erasure (rule = 'erasure_request');
2. every subject without such contact and without a legal hold is a candidate, 'to_erase'
   (or 'erased' once a past run erased them), with a tombstone and manifest rows;
3. no held subject is erased: status 'held', no manifest row, no tombstone.

A contact coming from the person is a customer-initiated event (seed signal_classification,
is_activity) or the sign-up; email sends, deliveries, opens and bounces, automatic payments,
invoices and subscriptions are not. Events after the as-of date do not exist yet.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from main_job import require_slow_marker
from planted_landing import Landing

pytestmark = pytest.mark.slow  # runs dbt on every example (`make test-fast` leaves it out)

REPO = Path(__file__).resolve().parents[2]
DBT = REPO / ".venv" / "bin" / "dbt"

AS_OF = date(2026, 6, 30)
# A live run (the day of the run is the as-of date) erases; a replay (a later run date) lists
# the candidates of the as-of date and erases nobody (DOMAIN.md: erasure is an act in the
# present). Records dated after the day of the run are quarantined (or their value set
# aside), and hold their subject.
RUN_DATE = date(2026, 11, 23)  # of the replays
KNOWN_BEFORE = datetime(2026, 7, 1)  # UTC: events from here on do not exist at the as-of date
CUTOFF = datetime(2023, 6, 30)  # 36 months before the as-of date: contacts from here count
LAST_DAY = date(2026, 11, 20)  # latest generated date: after AS_OF, before the run date
SALT = "crm-inactivity-demo-salt"  # the demo salt of orchestration/gdpr_salt.py (no GDPR_HASH_SALT)

DBT_VARS = (
    "{{raw_data_dir: {landing}, warehouse_path: {warehouse}, as_of_date: " + AS_OF.isoformat()
    + ", gdpr_erasure_approved: 'true', run_date: '{run_date}'}}"
)


# --- the dbt run --------------------------------------------------------------------------


class GdprRun:
    """Builds the GDPR models on a landing set in a temporary warehouse. The paths stay the
    same from one example to the next, so dbt's partial parsing is reused (changing --vars
    would make every invocation parse the whole project again)."""

    def __init__(self, root: Path) -> None:
        self.landing = root / "landing"
        self.warehouse = root / "w.duckdb"
        self.target = root / "target"
        self.logs = root / "logs"

    def build(self, land: Landing, fresh: bool = True, live: bool = True) -> None:
        if fresh:
            shutil.rmtree(self.landing, ignore_errors=True)
            self.warehouse.unlink(missing_ok=True)
        land.write(self.landing)
        require_slow_marker("runs dbt")
        result = subprocess.run(
            [str(DBT), "build", "--resource-type", "seed", "model",
             "--select", "+gdpr_erasure_candidates", "+gdpr_erasure_manifest",
             "erasure_tombstones",
             "--vars", DBT_VARS.format(landing=self.landing, warehouse=self.warehouse,
                                       run_date=(AS_OF if live else RUN_DATE).isoformat()),
             "--target-path", str(self.target), "--log-path", str(self.logs)],
            cwd=REPO, env={**{k: v for k, v in os.environ.items() if k != "GDPR_HASH_SALT"},
                           "DBT_PROFILES_DIR": str(REPO)},
            capture_output=True, text=True, timeout=600, check=False,
        )
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as connection:
            return connection.execute(sql).fetchall()

    def outcome(self) -> Outcome:
        candidates = {
            row[0]: Candidate(*row[1:]) for row in self.query(
                "select individual_id, rule, last_contact_at, erasure_status, legal_hold, "
                "legal_hold_reason from marts.gdpr_erasure_candidates")
        }
        manifest: dict[str, set[str]] = {}
        for individual_id, source_table in self.query(
                "select individual_id, source_table from marts.gdpr_erasure_manifest"):
            manifest.setdefault(individual_id, set()).add(source_table)
        tombstones = [h for (h,) in self.query("select subject_hash from gdpr.erasure_tombstones")]
        return Outcome(candidates, manifest, tombstones)


@dataclass(frozen=True)
class Candidate:
    rule: str
    last_contact_at: datetime | None
    erasure_status: str
    legal_hold: bool
    legal_hold_reason: str | None


@dataclass(frozen=True)
class Outcome:
    candidates: dict[str, Candidate]
    manifest: dict[str, set[str]]  # individual_id -> source tables with a row
    tombstones: list[str]


def subject_hash(individual_id: str) -> str:
    return hashlib.sha256((SALT + individual_id).encode()).hexdigest()


@pytest.fixture(scope="module")
def gdpr_run(tmp_path_factory: pytest.TempPathFactory) -> GdprRun:
    return GdprRun(tmp_path_factory.mktemp("gdpr_properties"))


# --- generated histories ------------------------------------------------------------------


@dataclass(frozen=True)
class Stamp:
    """A landing timestamp: local wall-clock time and its UTC offset ('' = UTC)."""

    local: datetime
    offset: str = ""

    @property
    def utc(self) -> datetime:
        if not self.offset:
            return self.local
        hours = int(self.offset[1:3]) * (1 if self.offset[0] == "+" else -1)
        return self.local - timedelta(hours=hours)

    @property
    def known(self) -> bool:
        return self.utc < KNOWN_BEFORE

    def text(self) -> str:
        return self.local.strftime("%Y-%m-%dT%H:%M:%S") + self.offset

    def plus(self, delta: timedelta) -> Stamp:
        return Stamp(self.local + delta, self.offset)


@dataclass(frozen=True)
class Event:
    """One generated source record (and the records it needs) of a subject.

    kind / variant: order (placed, delivered, cancelled), quote (its status), invoice (open,
    paid, written_off), payment (manual, automatic), subscription (own: the subject's B2C
    account; b2b_current / b2b_former: a B2B account the subject holds a current / former
    role on), ticket, dispute, email (its event type), session (web, app), loyalty (earned,
    redeemed), usage. `end` is a dispute's resolved_at, a subscription's ended_at or a paid
    invoice's paid_at. `via` (invoices, payments): 'order' = for an order of the subject
    placed 3 days before (through an invoice for a payment), 'invoice' = a payment of an
    invoice of the account without an order, '' = an invoice without an order, a payment
    without an invoice.
    """

    kind: str
    variant: str
    at: Stamp
    end: Stamp | None = None
    via: str = ""

    def linked_order_at(self) -> Stamp:
        return self.at.plus(timedelta(days=-3))

    def contacts(self) -> list[tuple[datetime, str]]:
        """Contacts coming from the person this record makes, known or not (oracle)."""
        found = []
        if self.kind in ("order", "quote", "ticket", "dispute", "session", "loyalty"):
            found.append((self.at.utc, f"{self.kind} {self.variant}"))
        elif self.kind == "usage":
            found.append((datetime.combine(self.at.local.date(), datetime.min.time()), "usage"))
        elif self.kind == "email" and self.variant == "click":
            found.append((self.at.utc, "email click"))
        elif self.kind == "payment" and self.variant == "manual":
            found.append((self.at.utc, "manual payment"))
        if self.via == "order":
            found.append((self.linked_order_at().utc, "order (invoiced)"))
        return found

    def is_hold(self) -> bool:
        """A legal hold at the as-of date (oracle): open dispute, unpaid invoice, open order,
        active subscription on an account the subject holds a current role on."""
        if not self.at.known:
            return False
        still_open = self.end is None or not self.end.known
        if self.kind == "dispute":
            return still_open
        if self.kind == "order":
            return self.variant == "placed"
        if self.kind == "invoice":
            return self.variant == "open" or (self.variant == "paid" and self.end is not None
                                              and not self.end.known)
        if self.kind == "subscription":
            return still_open and self.variant in ("own", "b2b_current")
        return False

    def is_hold_live(self) -> bool:
        """In a live run a paid_at after the day of the run is set aside (null): the invoice
        then reads as paid, and its records under quarantine hold the subject instead."""
        late_payment = self.kind == "invoice" and self.end is not None and not self.end.known
        return self.is_hold() and not late_payment

    def after_as_of(self) -> bool:
        """Any of the records it lands is dated after the as-of date (oracle of a live run:
        quarantined, or its value set aside)."""
        if self.kind == "usage":
            return self.at.local.date() > AS_OF  # a date, as landed
        dates = [self.at]
        if self.via == "order":
            dates.append(self.linked_order_at())
        if self.kind == "payment" and self.via:
            dates.append(self.at.plus(timedelta(days=-2)))  # its invoice
        if self.end is not None and self.kind in ("dispute", "invoice"):
            dates.append(self.end)  # resolved_at, paid_at: not after the run (ended_at may be)
        return any(not stamp.known for stamp in dates)

    def describe(self) -> str:
        text = f"{self.kind}[{self.variant}] at {self.at.text()}"
        if self.end is not None:
            text += f" end {self.end.text()}"
        return text + (f" via {self.via}" if self.via else "")


@dataclass(frozen=True)
class Subject:
    individual_id: str
    created_at: Stamp | None
    events: tuple[Event, ...]
    requests: tuple[Stamp, ...]

    def item_id(self, k: int) -> str:
        return f"{self.individual_id}-{k}"

    # the oracle

    def last_contact(self) -> datetime | None:
        contacts = [when for when, _ in self.all_contacts() if when < KNOWN_BEFORE]
        return max(contacts, default=None)

    def all_contacts(self) -> Iterable[tuple[datetime, str]]:
        if self.created_at is not None:
            yield self.created_at.utc, "sign-up"
        for event in self.events:
            yield from event.contacts()

    def requested(self) -> bool:
        return any(request.known for request in self.requests)

    def holds(self, live: bool = True) -> list[str]:
        if not live:
            return [self.item_id(k) for k, event in enumerate(self.events) if event.is_hold()]
        found = [self.item_id(k) for k, event in enumerate(self.events) if event.is_hold_live()]
        late = (any(event.after_as_of() for event in self.events)
                or any(not request.known for request in self.requests)
                or (self.created_at is not None and not self.created_at.known))
        return found + (["records under quarantine"] if late else [])

    def contact_within_retention(self) -> bool:
        last = self.last_contact()
        return last is not None and last >= CUTOFF

    def describe(self) -> str:
        created = self.created_at.text() if self.created_at else None
        lines = [f"subject {self.individual_id}: created_at {created}"]
        lines += [f"  {self.item_id(k)}: {e.describe()}" for k, e in enumerate(self.events)]
        lines += [f"  erasure request at {request.text()}" for request in self.requests]
        lines.append(f"  oracle: last contact {self.last_contact()}, requested {self.requested()}, "
                     f"holds {self.holds()} (live), {self.holds(live=False)} (replay)")
        return "\n".join(lines)


def add_subject(land: Landing, subject: Subject) -> None:
    sid = subject.individual_id
    account = land.person(sid)
    land.rows["individuals"][-1]["created_at"] = (
        subject.created_at.text() if subject.created_at else "")
    for k, event in enumerate(subject.events):
        add_event(land, sid, account, subject.item_id(k), event)
    for k, request in enumerate(subject.requests):
        land.add("erasure_requests", request_id=f"{sid}-R{k}", individual_id=sid,
                 requested_at=request.text())


def add_event(land: Landing, sid: str, account: str, item: str, event: Event) -> None:
    at, end = event.at.text(), event.end.text() if event.end else ""
    kind, variant = event.kind, event.variant
    order_id = ""
    if event.via == "order":
        order_id = f"{item}-O"
        land.add("orders", order_id=order_id, account_id=account, individual_id=sid,
                 ordered_at=event.linked_order_at().text(), status="delivered", amount=50)
    if kind == "order":
        land.add("orders", order_id=item, account_id=account, individual_id=sid, ordered_at=at,
                 status=variant, amount=50, channel="web")
    elif kind == "quote":
        land.add("quotes", quote_id=item, account_id=account, individual_id=sid,
                 requested_at=at, status=variant, amount=80)
    elif kind == "invoice":
        land.add("invoices", invoice_id=item, account_id=account, order_id=order_id,
                 issued_at=at, amount=50, status=variant, paid_at=end)
    elif kind == "payment":
        invoice_id = ""
        if event.via:
            # an invoice paid (no paid_at: never open), for the order if via 'order'
            invoice_id = f"{item}-I"
            land.add("invoices", invoice_id=invoice_id, account_id=account, order_id=order_id,
                     issued_at=event.at.plus(timedelta(days=-2)).text(), amount=50,
                     status="paid")
        land.add("payments", payment_id=item, invoice_id=invoice_id, account_id=account,
                 paid_at=at, amount=50, method="card" if variant == "manual" else "direct_debit",
                 is_automatic=str(variant == "automatic").lower())
    elif kind == "subscription":
        sub_account = account
        if variant != "own":
            sub_account = f"B-{item}"
            land.add("accounts", account_id=sub_account, account_type="b2b",
                     company_name=f"Company {item}", business_line="b2b_services",
                     opened_at="2019-01-01T00:00:00")
            land.add("account_contacts", account_id=sub_account, individual_id=sid,
                     role="decision_maker", valid_from="2019-01-01",
                     valid_to="2025-01-01" if variant == "b2b_former" else "")
        land.add("subscriptions", subscription_id=item, account_id=sub_account, plan="monthly",
                 started_at=at, ended_at=end, auto_renew="true")
    elif kind == "ticket":
        land.add("tickets", ticket_id=item, account_id=account, individual_id=sid,
                 opened_at=at, category="delivery")
    elif kind == "dispute":
        land.add("disputes", dispute_id=item, account_id=account, individual_id=sid,
                 opened_at=at, resolved_at=end, reason="damaged", amount=20)
    elif kind == "email":
        land.add("email_events", event_id=item, individual_id=sid, event_type=variant,
                 occurred_at=at)
    elif kind == "session":
        land.add("web_sessions", session_id=item, individual_id=sid, started_at=at,
                 channel=variant, page_views=3)
    elif kind == "loyalty":
        land.add("loyalty_transactions", transaction_id=item, individual_id=sid,
                 occurred_at=at, points=10 if variant == "earned" else -10)
    elif kind == "usage":
        land.add("usage_events", usage_id=item, account_id=account, individual_id=sid,
                 used_on=event.at.local.date().isoformat(), units=2)
    else:  # pragma: no cover
        raise ValueError(kind)


def landing_of(subjects: Iterable[Subject]) -> Landing:
    land = Landing()
    for subject in subjects:
        add_subject(land, subject)
    return land


# Dates: anywhere from 10 years before the as-of date to shortly before the run date, with
# the edges (the day before / of / after the cutoff and the as-of date) drawn often; hours
# and UTC offsets that move a time across those edges.
CUTOFF_DAY = (CUTOFF.date() - AS_OF).days
EDGE_DAYS = (CUTOFF_DAY - 1, CUTOFF_DAY, CUTOFF_DAY + 1, -1, 0, 1)
LAST_OFFSET = (LAST_DAY - AS_OF).days


def stamps(first_day: int = -3650, last_day: int = LAST_OFFSET,
           offsets: tuple[str, ...] = ("", "", "+02:00", "-05:00"),
           also_after_as_of: bool = False) -> st.SearchStrategy[Stamp]:
    edges = [day for day in EDGE_DAYS if first_day <= day <= last_day]
    days = st.one_of(st.integers(first_day, last_day), st.sampled_from(edges))
    if also_after_as_of:
        days = st.one_of(days, st.integers(1, LAST_OFFSET))
    return st.builds(
        lambda day, hour, offset: Stamp(
            datetime.combine(AS_OF + timedelta(days=day), datetime.min.time())
            + timedelta(hours=hour), offset),
        days, st.sampled_from((0, 1, 10, 23)), st.sampled_from(offsets))


ENDS = st.sampled_from(
    (None, timedelta(minutes=30), timedelta(days=1), timedelta(days=45), timedelta(days=700)))


@st.composite
def events(draw: st.DrawFn, lapsed: bool = False) -> Event:
    """Any record; for a `lapsed` subject, contacts are dated before the cutoff or after
    the as-of date only (so that a good share of subjects are candidates)."""
    kinds = {
        "order": ("placed", "delivered", "cancelled"),
        "quote": ("open", "expired"),
        "invoice": ("open", "paid", "written_off"),
        "payment": ("manual", "automatic"),
        "subscription": ("own", "b2b_current", "b2b_former"),
        "ticket": ("delivery",),
        "dispute": ("damaged",),
        "email": ("sent", "delivered", "open", "click", "bounce_hard", "bounce_soft"),
        "session": ("web", "app"),
        "loyalty": ("earned", "redeemed"),
        "usage": ("units",),
    }
    # every (kind, variant) alike: emails, most of them not contacts, are 6 in 26
    kind, variant = draw(st.sampled_from([(k, v) for k in sorted(kinds) for v in kinds[k]]))
    is_contact = kind in ("order", "quote", "ticket", "dispute", "session", "loyalty", "usage")
    is_contact = is_contact or (kind, variant) in (("email", "click"), ("payment", "manual"))
    if lapsed and is_contact:
        at = draw(stamps(last_day=CUTOFF_DAY + 1, also_after_as_of=True))
    else:
        at = draw(stamps())
    end = None
    if kind in ("dispute", "subscription") or (kind == "invoice" and variant == "paid"):
        delta = draw(ENDS)
        if delta is not None and (at.plus(delta).utc.date() <= LAST_DAY):
            end = at.plus(delta)
    via = ""
    if kind == "invoice":
        via = draw(st.sampled_from(("", "order")))
    elif kind == "payment":
        via = draw(st.sampled_from(("", "invoice", "order")))
    return Event(kind, variant, at, end, via)


@st.composite
def legal_holds(draw: st.DrawFn) -> Event:
    """An item open at the as-of date (the oracle still decides from the record itself)."""
    kind, variant = draw(st.sampled_from((
        ("dispute", "damaged"), ("invoice", "open"), ("invoice", "paid"), ("order", "placed"),
        ("subscription", "own"), ("subscription", "b2b_current"))))
    at = draw(stamps(last_day=-1))
    end = None
    if kind != "order" and (kind, variant) != ("invoice", "open") and draw(st.booleans()):
        end = Stamp(datetime.combine(AS_OF + timedelta(days=draw(st.integers(1, LAST_OFFSET))),
                                     datetime.min.time()) + timedelta(hours=10))
    if (kind, variant) == ("invoice", "paid") and end is None:
        variant = "open"
    via = draw(st.sampled_from(("", "order"))) if kind == "invoice" else ""
    return Event(kind, variant, at, end, via)


@st.composite
def subjects(draw: st.DrawFn, individual_id: str) -> Subject:
    lapsed = draw(st.booleans())
    created_at = None
    if draw(st.integers(0, 9)) > 0:
        # a sign-up after the as-of date is left out (that person does not exist yet)
        created_at = draw(stamps(first_day=-4000, last_day=CUTOFF_DAY + 1 if lapsed else 0,
                                 offsets=("", "+02:00")))
    history = draw(st.lists(events(lapsed), max_size=7))
    if draw(st.integers(0, 4)) == 0:
        history.insert(draw(st.integers(0, len(history))), draw(legal_holds()))
    requests = []
    if draw(st.integers(0, 3)) == 0:
        requests = draw(st.lists(stamps(first_day=-1500), min_size=1, max_size=2))
    return Subject(individual_id, created_at, tuple(history), tuple(requests))


@st.composite
def populations(draw: st.DrawFn) -> list[Subject]:
    count = draw(st.integers(8, 16))
    return [draw(subjects(f"I-P{n:02d}")) for n in range(count)]


# --- the properties -----------------------------------------------------------------------


def violations(subjects_: list[Subject], outcome: Outcome, erased_before: bool = False,
               live: bool = True) -> list[str]:
    """Every breach of the three properties (and of the oracle's last contact). A replay
    (live False) erases nobody: no tombstone, no manifest row."""
    problems = []
    tombstones = set(outcome.tombstones)
    if not live and (outcome.tombstones or outcome.manifest):
        problems.append(f"a replay erased: {len(outcome.tombstones)} tombstones, manifest "
                        f"rows for {sorted(outcome.manifest)}")
    if len(outcome.tombstones) != len(tombstones):
        problems.append(f"duplicate tombstones: {len(outcome.tombstones)} rows, "
                        f"{len(tombstones)} subjects")
    for subject in subjects_:
        sid = subject.individual_id
        found = outcome.candidates.get(sid)
        recent = subject.contact_within_retention()
        requested = subject.requested()
        holds = subject.holds(live)
        messages: list[str] = []
        fail = messages.append

        # 1. no candidate with a contact within the retention period, unless requested
        if found is not None and recent and found.rule != "erasure_request":
            fail(f"{sid}: candidate ({found.rule}) despite a contact within 36 months")
        if found is not None and (found.rule == "erasure_request") != requested:
            fail(f"{sid}: rule {found.rule} but erasure requested (known) = {requested}")
        if found is None and (requested or not recent):
            fail(f"{sid}: not a candidate (requested {requested}, last contact "
                 f"{subject.last_contact()})")
        if found is not None and found.last_contact_at != subject.last_contact():
            fail(f"{sid}: last_contact_at {found.last_contact_at}, expected "
                 f"{subject.last_contact()}")
        # 2. no contact, no hold: to erase (or erased by a past run), tombstone and manifest
        if (requested or not recent) and not holds:
            expected = "erased" if erased_before else "to_erase"
            if found is not None and (found.erasure_status, found.legal_hold) != (expected, False):
                fail(f"{sid}: status {found.erasure_status} (hold {found.legal_hold}), "
                     f"expected {expected}")
            if live and subject_hash(sid) not in tombstones:
                fail(f"{sid}: erasable but no tombstone")
            if live and "individuals" not in outcome.manifest.get(sid, set()):
                fail(f"{sid}: erasable but no manifest row for table individuals")
        # 3. held: listed as held, never erased
        if holds:
            if found is not None:
                if (found.erasure_status, found.legal_hold) != ("held", True):
                    fail(f"{sid}: holds {holds} but status {found.erasure_status}")
                missing = [item for item in holds if item not in (found.legal_hold_reason or "")]
                if missing:
                    fail(f"{sid}: holds {missing} missing from the reason")
            if subject_hash(sid) in tombstones:
                fail(f"{sid}: held by {holds} but tombstoned")
            if sid in outcome.manifest:
                fail(f"{sid}: held by {holds} but in the manifest")
        elif found is not None and found.legal_hold:
            fail(f"{sid}: no hold expected, got {found.legal_hold_reason}")
        if not found and subject_hash(sid) in tombstones:
            fail(f"{sid}: tombstoned without being a candidate")
        if messages:
            tables = sorted(outcome.manifest.get(sid, ()))
            warehouse = (f"  warehouse: {found}, manifest tables {tables}, "
                         f"tombstoned {subject_hash(sid) in tombstones}")
            problems.append("\n".join([*messages, subject.describe(), warehouse]))
    return problems


@settings(max_examples=6, deadline=None, derandomize=True, print_blob=False,
          # one example costs a dbt build (~7 s): no shrinking (the failure lists the full
          # history of every subject in breach, which says more than a shrunk example)
          phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(population=populations())
def test_erasure_rules_hold_on_generated_histories(gdpr_run: GdprRun,
                                                   population: list[Subject]) -> None:
    gdpr_run.build(landing_of(population))
    problems = violations(population, gdpr_run.outcome())
    assert not problems, "\n\n".join(problems)


# --- handcrafted: one subject per rule a mutation would break ------------------------------


def at(day: str, time: str = "10:00:00", offset: str = "") -> Stamp:
    return Stamp(datetime.fromisoformat(f"{day}T{time}"), offset)


OLD = at("2019-01-01")


def handcrafted() -> list[Subject]:
    def subject(sid: str, *history: Event, created: Stamp | None = OLD,
                requests: tuple[Stamp, ...] = ()) -> Subject:
        return Subject(sid, created, history, requests)

    old_order = Event("order", "delivered", at("2022-01-10"))
    recent = at("2026-05-30")
    return [
        # non-contacts within the period do not save a subject ...
        subject("I-H-OPEN", old_order, Event("email", "open", recent)),
        subject("I-H-SENT", old_order, Event("email", "sent", recent),
                Event("email", "delivered", recent), Event("email", "bounce_soft", recent)),
        subject("I-H-AUTOPAY", old_order, Event("payment", "automatic", recent, via="invoice")),
        subject("I-H-BILLED", old_order, Event("invoice", "paid", recent, end=recent),
                Event("subscription", "own", at("2025-01-01"), end=at("2025-06-01"))),
        # ... contacts do
        subject("I-H-CLICK", old_order, Event("email", "click", recent)),
        subject("I-H-MANUALPAY", old_order, Event("payment", "manual", recent)),
        subject("I-H-MANUALPAY-INVOICE", old_order,
                Event("payment", "manual", recent, via="invoice")),
        subject("I-H-USAGE", old_order, Event("usage", "units", at("2023-06-30", "00:00:00"))),
        # the sign-up is a contact; the cutoff day is within the period, in UTC
        subject("I-H-SIGNUP", created=at("2023-06-30", "00:30:00")),
        subject("I-H-SIGNUP-TZ", created=at("2023-06-30", "01:00:00", "+02:00")),
        subject("I-H-NOTHING", created=None),
        # events after the as-of date do not exist yet
        subject("I-H-FUTURE", old_order, Event("email", "click", at("2026-07-15")),
                Event("order", "placed", at("2026-07-02")),
                Event("dispute", "damaged", at("2026-06-30", "23:00:00", "-05:00"))),
        # an explicit request is honoured without waiting, not before it is made
        subject("I-H-REQUEST", Event("order", "delivered", recent),
                requests=(at("2026-06-01"),)),
        subject("I-H-REQUEST-LATER", old_order, requests=(at("2026-08-01"),)),
        # legal holds block erasure ...
        subject("I-H-DISPUTE", old_order, Event("dispute", "damaged", at("2022-02-01"))),
        subject("I-H-DISPUTE-LATER", old_order,
                Event("dispute", "damaged", at("2022-02-01"), end=at("2026-07-02"))),
        subject("I-H-UNPAID", old_order, Event("invoice", "open", at("2021-03-01"))),
        subject("I-H-PAID-LATER", old_order,
                Event("invoice", "paid", at("2021-03-01"), end=at("2026-07-10"), via="order")),
        subject("I-H-OPEN-ORDER", Event("order", "placed", at("2021-03-01"))),
        subject("I-H-SUBSCRIBED", old_order, Event("subscription", "own", at("2021-03-01"))),
        subject("I-H-SUB-ENDS-LATER", old_order,
                Event("subscription", "own", at("2021-03-01"), end=at("2026-07-01", "00:00:00"))),
        subject("I-H-B2B-SUB", old_order, Event("subscription", "b2b_current", at("2021-03-01"))),
        subject("I-H-HELD-REQUEST", Event("order", "delivered", recent),
                Event("dispute", "damaged", at("2026-06-01")), requests=(at("2026-06-10"),)),
        # ... look-alikes do not
        subject("I-H-RESOLVED", old_order,
                Event("dispute", "damaged", at("2022-02-01"), end=at("2022-03-01"))),
        subject("I-H-WRITTEN-OFF", old_order, Event("invoice", "written_off", at("2021-03-01"))),
        subject("I-H-ENDED-SUB", old_order,
                Event("subscription", "own", at("2021-03-01"), end=at("2026-06-30", "22:00:00"))),
        subject("I-H-FORMER-ROLE", old_order,
                Event("subscription", "b2b_former", at("2021-03-01"))),
    ]


EXPECTED = {  # individual_id -> (rule, erasure_status) on a replay; absent: no candidate
    "I-H-OPEN": ("retention_expired", "to_erase"),
    "I-H-SENT": ("retention_expired", "to_erase"),
    "I-H-AUTOPAY": ("retention_expired", "to_erase"),
    "I-H-BILLED": ("retention_expired", "to_erase"),
    "I-H-SIGNUP-TZ": ("retention_expired", "to_erase"),
    "I-H-NOTHING": ("retention_expired", "to_erase"),
    "I-H-FUTURE": ("retention_expired", "to_erase"),
    "I-H-REQUEST": ("erasure_request", "to_erase"),
    "I-H-REQUEST-LATER": ("retention_expired", "to_erase"),
    "I-H-DISPUTE": ("retention_expired", "held"),
    "I-H-DISPUTE-LATER": ("retention_expired", "held"),
    "I-H-UNPAID": ("retention_expired", "held"),
    "I-H-PAID-LATER": ("retention_expired", "held"),
    "I-H-OPEN-ORDER": ("retention_expired", "held"),
    "I-H-SUBSCRIBED": ("retention_expired", "held"),
    "I-H-SUB-ENDS-LATER": ("retention_expired", "held"),
    "I-H-B2B-SUB": ("retention_expired", "held"),
    "I-H-HELD-REQUEST": ("erasure_request", "held"),
    "I-H-RESOLVED": ("retention_expired", "to_erase"),
    "I-H-WRITTEN-OFF": ("retention_expired", "to_erase"),
    "I-H-ENDED-SUB": ("retention_expired", "to_erase"),
    "I-H-FORMER-ROLE": ("retention_expired", "to_erase"),
}


# A live run: records dated after the day of the run are quarantined and hold their subject.
EXPECTED_LIVE = {**EXPECTED, "I-H-FUTURE": ("retention_expired", "held"),
                 "I-H-REQUEST-LATER": ("retention_expired", "held")}


def test_handcrafted_subjects_in_a_replay(gdpr_run: GdprRun) -> None:
    """A replay of the as-of date lists the same candidates, with later events ignored (not
    quarantined: they are before the day of the run), and erases nobody."""
    subjects_ = handcrafted()
    gdpr_run.build(landing_of(subjects_), live=False)
    replay = gdpr_run.outcome()
    assert {sid: (c.rule, c.erasure_status) for sid, c in replay.candidates.items()} == EXPECTED
    assert replay.tombstones == [] and replay.manifest == {}
    assert violations(subjects_, replay, live=False) == []


def test_handcrafted_subjects_twice(gdpr_run: GdprRun) -> None:
    """Each subject breaks one mutation of the rules (an open, a send or an automatic
    payment counted as a contact; a click, a manual payment, usage or the sign-up not
    counted; a UTC offset ignored; a future event or request counted; a hold missed or a
    look-alike taken for one). The second run, on the same warehouse with the same files
    sent again, finds the erased subjects erased and the held ones still held."""
    subjects_ = handcrafted()
    assert not [s.individual_id for s in subjects_ if (
        s.individual_id in EXPECTED) != (s.requested() or not s.contact_within_retention())
    ], "the oracle disagrees with the handcrafted expectations"
    land = landing_of(subjects_)
    gdpr_run.build(land)
    first = gdpr_run.outcome()
    got = {sid: (c.rule, c.erasure_status) for sid, c in first.candidates.items()}
    assert got == EXPECTED_LIVE
    assert violations(subjects_, first) == []
    erased = {sid for sid, (_, status) in EXPECTED_LIVE.items() if status == "to_erase"}
    assert sorted(first.tombstones) == sorted(subject_hash(sid) for sid in erased)

    gdpr_run.build(land, fresh=False)
    second = gdpr_run.outcome()
    assert {sid: c.erasure_status for sid, c in second.candidates.items()} == {
        sid: "erased" if sid in erased else status for sid, (_, status) in EXPECTED_LIVE.items()}
    assert sorted(second.tombstones) == sorted(first.tombstones)  # not tombstoned twice
    assert violations(subjects_, second, erased_before=True) == []
