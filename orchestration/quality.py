"""Landing quality: what the landing checks quarantined (run summary, asset metadata)."""

from pathlib import Path

import duckdb

QUARANTINE_TABLE = "quality.landing_quarantine"


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


def format_quarantine_summary(warehouse_path: Path) -> str:
    """What the terminal shows after a run: the count, then the rows per table and check."""
    per_table = quarantined_rows(warehouse_path)
    total = sum(per_table.values())
    if not total:
        return "quarantined landing rows: 0"
    labelled = [(f"{table} {check}", n) for table, check, n in read_quarantine_counts(warehouse_path)]
    width = max(len(label) for label, _ in labelled)
    lines = [f"quarantined landing rows: {total} (see {QUARANTINE_TABLE})"]
    lines += [f"  {label:<{width}}  {n:>8}" for label, n in labelled]
    return "\n".join(lines)

