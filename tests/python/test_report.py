"""The HTML report (orchestration/report.py) on a small fixture warehouse: every chart is
there with data, values from the data are escaped, nothing reaches for the network, an
empty warehouse says "no rows", it renders in headless Chromium, and the Dagster asset
writes it beside the warehouse with a Markdown preview."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from report_fixture import (
    AS_OF,
    HOSTILE,
    HOSTILE_CRITERION,
    HOSTILE_LINE,
    HOSTILE_TABLE,
    build_report_warehouse,
)

from orchestration.report import PLOT_NAMES, ReportSummary, report_markdown, write_report
from orchestration.settings import RunSettings
from orchestration.svg_charts import horizontal_bars, nice_ticks

FIGURE = re.compile(r'<figure id="plot-[^"]*" data-plot="([^"]+)" data-points="(\d+)"')


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_report_warehouse(tmp_path_factory.mktemp("report") / "crm.duckdb")


@pytest.fixture(scope="module")
def report(warehouse: Path) -> tuple[str, ReportSummary]:
    summary = write_report(warehouse, warehouse.with_name("crm_report.html"), as_of_date=AS_OF)
    return summary.path.read_text(encoding="utf-8"), summary


def figures(page: str) -> dict[str, int]:
    return {name: int(points) for name, points in FIGURE.findall(page)}


def test_every_plot_is_present_with_data(report: tuple[str, ReportSummary]) -> None:
    page, summary = report
    assert figures(page) == summary.plot_points
    assert list(figures(page)) == list(PLOT_NAMES)
    assert all(points > 0 for points in figures(page).values()), figures(page)
    assert page.count("<svg ") == len(PLOT_NAMES)
    assert "no rows" not in page
    # the backtest's limit, read from the mart (comeback_share_limit), drawn as a line
    backtest = page[page.index('data-plot="window_backtest"'):]
    assert "limit 10 %" in backtest[:backtest.index("</figure>")]


def test_values_from_the_data_are_escaped(report: tuple[str, ReportSummary]) -> None:
    page, summary = report
    # a business line, a landing table, a campaign and a criterion carry markup
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "<b>&" not in page
    for hostile in (HOSTILE_LINE, HOSTILE_TABLE, HOSTILE_CRITERION):
        assert hostile.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in page
    assert "Baisse d&#x27;activité &lt;b&gt;&amp;&lt;/b&gt;" in page
    preview = report_markdown(summary)
    assert "<script" not in preview and "&lt;script&gt;" in preview


def test_the_report_needs_no_network(report: tuple[str, ReportSummary]) -> None:
    page, _ = report
    assert not re.search(r"https?://", page)
    assert not re.search(r"<(script|link|iframe|object|embed|img)\b", page, re.IGNORECASE)
    assert not re.search(r"""\s(src|href)=["'](?!#)""", page) and "url(" not in page
    # and should anything slip in, the page's policy forbids loading or running it
    assert "default-src 'none'" in page


def test_the_file_is_beside_the_warehouse_private_and_complete(
        report: tuple[str, ReportSummary], warehouse: Path) -> None:
    page, summary = report
    settings = RunSettings.from_env({"WAREHOUSE_PATH": "/data/warehouse/crm.duckdb"})
    assert settings.report_path == Path("/data/warehouse/crm_report.html")
    assert summary.path == warehouse.with_name("crm_report.html")
    assert summary.path.stat().st_mode & 0o077 == 0  # no group or other access by default
    assert not [p for p in warehouse.parent.iterdir() if ".tmp-" in p.name]
    assert page.rstrip().endswith("</html>")


def test_an_empty_warehouse_says_no_rows_in_every_chart(tmp_path: Path) -> None:
    import duckdb

    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    summary = write_report(empty, tmp_path / "empty_report.html", as_of_date=AS_OF)
    page = summary.path.read_text(encoding="utf-8")
    assert figures(page) == dict.fromkeys(PLOT_NAMES, 0)
    assert page.count('class="no-rows">no rows: ') == len(PLOT_NAMES)
    assert summary.empty_plots == list(PLOT_NAMES)
    assert "Charts without data" in report_markdown(summary)


def test_the_preview_has_the_substance(report: tuple[str, ReportSummary]) -> None:
    _, summary = report
    preview = report_markdown(summary)
    assert "| lifecycle_stage | individual | household | account |" in preview
    assert "| dormant | 40 | 20 | 15 |" in preview
    assert "AUC 0.830 on the held-out date 2026-05-31 against 0.760 for recency alone" in preview
    assert "r 0.243, alpha 4.414, a 0.793, b 2.426, log_likelihood -9582.4" in preview
    assert "| retail | 8 months | 10.5 % | 9 months |" in preview
    assert "| orders | 2 |" in preview and "| tickets | 1 |" in preview


def test_a_value_not_measured_is_not_drawn_as_zero() -> None:
    svg, points = horizontal_bars(["sms", "email"], [("sent", [None, 12]), ("answered", [0, 3])],
                                  label="funnel")
    assert points == 3  # the missing one is written '–', without a bar
    assert svg.count("<rect") == 3 + 2  # three bars, two legend swatches
    assert ">–</text>" in svg


def test_ticks_cover_the_data() -> None:
    assert nice_ticks(0, 0.37) == [0, 0.1, 0.2, 0.3, 0.4]
    assert nice_ticks(-1.52, 1.84) == [-2, -1, 0, 1, 2]
    assert nice_ticks(0, 2, whole=True) == [0, 1, 2]


# --- in a browser -------------------------------------------------------------------------


def chromium(*arguments: str, profile: Path) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed: `make browser` installs it (make test does)")
    return subprocess.run(
        [executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", *arguments],
        capture_output=True, text=True, timeout=120, check=False)


def test_it_renders_in_headless_chromium(report: tuple[str, ReportSummary],
                                         tmp_path: Path) -> None:
    _, summary = report
    url = summary.path.resolve().as_uri()
    screenshot = tmp_path / "report.png"
    shot = chromium(f"--screenshot={screenshot}", "--window-size=1280,4000", url,
                    profile=tmp_path / "profile")
    assert screenshot.exists(), shot.stderr[-2000:]
    png = screenshot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1280, 4000)
    assert len(png) > 50_000  # charts, not a blank page (a blank one is a few kB)
    dom = chromium("--dump-dom", url, profile=tmp_path / "profile").stdout
    assert figures(dom) == summary.plot_points
    assert dom.count("<svg ") == len(PLOT_NAMES)


# --- in Dagster ---------------------------------------------------------------------------


def test_the_asset_writes_the_report_beside_the_warehouse(warehouse: Path,
                                                          tmp_path: Path) -> None:
    from dagster import materialize

    from orchestration.report_assets import INACTIVITY_REPORT_KEY, inactivity_report
    from orchestration.resources import RunSettingsResource, WarehouseWriterResource

    published = tmp_path / "crm.duckdb"
    shutil.copyfile(warehouse, published)
    result = materialize(
        [inactivity_report],
        resources={"run_settings": RunSettingsResource(warehouse_path=str(published),
                                                       as_of_date=AS_OF, run_date=AS_OF),
                   "warehouse": WarehouseWriterResource()},
    )
    assert result.success
    written = tmp_path / "crm_report.html"
    page = written.read_text(encoding="utf-8")
    assert list(figures(page)) == list(PLOT_NAMES)
    metadata = result.asset_materializations_for_node(
        inactivity_report.op.name)[0].metadata
    assert metadata["path"].value == str(written)
    assert "**Lifecycle stages**" in metadata["preview"].value
    assert all(metadata[f"points/{name}"].value > 0 for name in PLOT_NAMES)
    assert metadata["score_auc"].value == pytest.approx(0.83)
    assert INACTIVITY_REPORT_KEY.to_user_string() == "reports/inactivity_report"
    # the page names the published warehouse, not the run's private build file
    assert "warehouse crm.duckdb" in page
    assert HOSTILE not in page
