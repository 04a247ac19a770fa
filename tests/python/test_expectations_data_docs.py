"""Data Docs never carry a value from the data as raw HTML (stored XSS).

GX renders failing values (``partial_unexpected_list``, ``unexpected_index_list``, ...) into
the Data Docs pages as table cells without escaping them: a landing postal code such as
``<img src=x onerror=alert(document.domain)>`` became live markup in the validation page.
One gate run on a warehouse whose failing values are HTML/JS; every page, script and JSON
file of the site is read back. The values must be shown (escaped once), never as markup,
while the gate's report (terminal lines, ``to_dict``) keeps the real values.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_expectations import ORDERS_ONLY, gate, valid_tables, write_warehouse

from expectations.gate import GateReport
from expectations.suites import POSTAL_CODES_SUITE

IMG = "<img src=x onerror=alert(document.domain)>"
SCRIPT = "<script>alert(1)</script>"
QUOTES = """it's "quoted" <svg onload=alert('q')>"""
RAW_MARKUP = ("<img src=x onerror", "<script>alert(1)", "<svg onload")
ESCAPED = {
    IMG: "&lt;img src=x onerror=alert(document.domain)&gt;",
    SCRIPT: "&lt;script&gt;alert(1)&lt;/script&gt;",
    QUOTES: "it&#x27;s &quot;quoted&quot; &lt;svg onload=alert(&#x27;q&#x27;)&gt;",
}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory) -> GateReport:
    """Failing values that are HTML/JS, in every kind of failure the pages list."""
    folder = tmp_path_factory.mktemp("xss")
    tables = valid_tables()
    tables = {t: tables[t] for t in ("orders", "accounts", "individuals")}
    tables["individuals"][3]["postal_code"] = IMG  # regex (postal-code share), key k4
    tables["orders"][3]["status"] = SCRIPT  # accepted values, key k4
    tables["orders"][4]["account_id"] = SCRIPT  # orphan reference, key k5
    tables["orders"][5]["order_id"] = SCRIPT  # the key itself, duplicated
    tables["orders"].append(dict(tables["orders"][5]))
    tables["accounts"][3]["account_type"] = QUOTES  # accepted values, quotes, key k4
    warehouse = write_warehouse(folder / "w.duckdb", tables, rules=ORDERS_ONLY)
    return gate(warehouse, folder / "gate", rules=ORDERS_ONLY)


def _site_files(report: GateReport) -> dict[Path, str]:
    site = report.data_docs_index.parent
    files = {
        path: path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(site.rglob("*"))
        if path.suffix in (".html", ".json", ".js")
    }
    assert report.data_docs_index in files
    return files


def test_data_docs_show_hostile_values_escaped_never_as_markup(hostile_run):
    files = _site_files(hostile_run)
    for path, text in files.items():
        for markup in RAW_MARKUP:
            assert markup not in text, f"raw {markup!r} in {path}"
    pages = "\n".join(files.values())
    for value, escaped in ESCAPED.items():
        assert escaped in pages, f"{value!r} not shown (escaped) in the Data Docs"
    # escaped once: the cells show the value itself, not its escaped text
    assert "&amp;lt;" not in pages and "&amp;quot;" not in pages and "&amp;#x27;" not in pages
    (postal_page,) = [
        text for path, text in files.items()
        if POSTAL_CODES_SUITE in path.parts and path.parts[-1] != "index.html"
        and "validations" in path.parts
    ]
    assert ESCAPED[IMG] in postal_page


def test_the_report_keeps_the_real_values(hostile_run):
    """Only the HTML is escaped: outcome, counts, lines and JSON show the values as they are."""
    report = hostile_run
    assert report.success is False
    assert report.suites == {
        "landing__orders": False, "landing__accounts": False, "landing__individuals": True,
        POSTAL_CODES_SUITE: False,
    }
    lines = report.summary().splitlines()
    assert (
        "landing__orders: expect_column_values_to_be_unique(order_id) failed on 2 rows: "
        f"order_id={SCRIPT}, {SCRIPT}"
    ) in lines
    assert (
        "landing__orders: expect_column_values_to_be_in_set(status) failed on 1 row: "
        f"order_id=k4 (status={SCRIPT!r})"
    ) in lines
    assert (
        "landing__orders: unexpected_rows_expectation(account_id) failed on 1 row: "
        f"order_id=k5 (account_id={SCRIPT!r})"
    ) in lines
    assert (
        "landing__accounts: expect_column_values_to_be_in_set(account_type) failed on 1 row: "
        f"account_id=k4 (account_type={QUOTES!r})"
    ) in lines
    (postal,) = report.failures_of(POSTAL_CODES_SUITE)
    assert postal.unexpected_count == 1
    assert postal.failing_rows == ({"individual_id": "k4", "postal_code": IMG},)
    as_json = json.dumps(report.to_dict())
    assert json.dumps(IMG) in as_json and json.dumps(QUOTES) in as_json
    assert "&lt;" not in report.summary() and "&lt;" not in as_json


def test_stored_validation_results_keep_the_real_values(hostile_run):
    """The escaping is applied to a copy rendered into the pages, not to GX's stored results."""
    gx_dir = hostile_run.data_docs_index.parents[3]
    stored = "\n".join(
        p.read_text(encoding="utf-8") for p in (gx_dir / "uncommitted" / "validations").rglob(
            "*.json"
        )
    )
    assert json.dumps(IMG) in stored
    assert "&lt;" not in stored
