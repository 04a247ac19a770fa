"""The summary's table of stages per level (orchestration.report_assets.format_stage_table), which
`make run` prints and the Dagster summary asset shows: no run needed."""

from __future__ import annotations

from orchestration.report_assets import LIFECYCLE_STAGES, format_stage_table


def test_every_stage_in_order_with_zeros_an_unknown_stage_last_and_totals() -> None:
    table = format_stage_table({"individual": {"dormant": 3, "active": 12, "mystery": 1},
                                "household": {"active": 1000}}).splitlines()
    assert table[0] == "| lifecycle_stage | individual | household |"
    assert table[1] == "|-----------------|-----------:|----------:|"  # counts right-aligned
    rows = {line.split("|")[1].strip(): line for line in table[2:]}
    assert list(rows) == [*LIFECYCLE_STAGES, "mystery", "total"]
    assert rows["active"] == "| active          |         12 |      1000 |"
    assert rows["lost"] == "| lost            |          0 |         0 |"
    assert rows["total"] == "| total           |         16 |      1000 |"
