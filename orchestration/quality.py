"""Landing quality: what the landing checks quarantined (run summary, asset metadata)."""

from pathlib import Path

import duckdb

QUARANTINE_TABLE = "quality.landing_quarantine"
VALUE_ISSUES_TABLE = "quality.landing_value_issues"


def read_quarantine_counts(warehouse_path: Path) -> list[tuple[str, str, int]]:
    """(source_table, failed check, rows) for the rows the landing checks set aside.

    A row failing two checks counts under each; `quarantined_rows` gives the row total.
    """
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        rows = con.execute(
            f"""
            select source_table, failed_check, count(*) as row_count
            from {QUARANTINE_TABLE}, unnest(failed_checks) as checks(failed_check)
            group by all
            order by source_table, failed_check
            """
        ).fetchall()
    return [(str(table), str(check), int(n)) for table, check, n in rows]


def quarantined_rows(warehouse_path: Path) -> dict[str, int]:
    """Quarantined rows per landing table (tables with none left out)."""
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        rows = con.execute(
            f"select source_table, count(*) from {QUARANTINE_TABLE} group by 1 order by 1"
        ).fetchall()
    return {str(table): int(n) for table, n in rows}


def read_value_issue_counts(warehouse_path: Path) -> list[tuple[str, str, int]]:
    """(source_table, failed check, values) for the optional values set to null."""
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        rows = con.execute(
            f"select source_table, failed_check, count(*) from {VALUE_ISSUES_TABLE} "
            "group by all order by source_table, failed_check"
        ).fetchall()
    return [(str(table), str(check), int(n)) for table, check, n in rows]


def _counts_block(title: str, table: str, counts: list[tuple[str, str, int]], total: int) -> str:
    if not total:
        return f"{title}: 0"
    labelled = [(f"{source} {check}", n) for source, check, n in counts]
    width = max(len(label) for label, _ in labelled)
    lines = [f"{title}: {total} (see {table})"]
    lines += [f"  {label:<{width}}  {n:>8}" for label, n in labelled]
    return "\n".join(lines)


def format_quarantine_summary(warehouse_path: Path) -> str:
    """What the terminal shows after a run: the rows set aside, then the optional values set
    to null, each per table and check."""
    quarantined = _counts_block(
        "quarantined landing rows", QUARANTINE_TABLE, read_quarantine_counts(warehouse_path),
        sum(quarantined_rows(warehouse_path).values()))
    issues = read_value_issue_counts(warehouse_path)
    nulled = _counts_block("landing values set to null (their rows kept)", VALUE_ISSUES_TABLE,
                           issues, sum(n for _, _, n in issues))
    return f"{quarantined}\n{nulled}"

