"""The UCI Online Retail II file mapped to the landing contract.

    python -m orchestration.importers.online_retail <file> [<file> ...] <landing dir>

A real UK online retailer, 2009-12 to 2011-12 (UCI Machine Learning Repository, CC BY 4.0):
one row per invoice line (Invoice, StockCode, Description, Quantity, InvoiceDate, Price,
Customer ID, Country). The mapping:

- each customer is an individual (`<Customer ID>`) in a household of their own, with one
  B2C account (`A<Customer ID>`, business line `retail`) they hold as buyer; their country is
  the one of their latest invoice, as an ISO 3166 code (`country_code`); the file has no
  names, addresses or consents;
- each invoice is an order (order date = invoice date, amount = sum of quantity x price,
  status delivered, channel web);
- each cancellation (an invoice starting with C) is an after-sales return: a ticket of
  category `return`, opened and closed on the cancellation's date;
- left out, and counted: lines without a customer (guests), adjustments (invoices starting
  with A), and the second copy of the days two yearly parts both hold (2010-12-01 to
  2010-12-09): the copy of the part that starts later is dropped. A part is a value of the
  `source` column when the file has one (the reconstructed Parquet file), else a file (the
  two Excel sheets saved as two CSV files);
- every other landing table is written empty (header only).

The files are CSV (UTF-8, comma-separated, header), the columns in the contract's order,
read from the dbt sources (models/staging/landing/_landing__sources.yml).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from expectations.rules import rules_from_sources_yaml

# The days both yearly parts hold, for a single file without the `source` column (both
# sheets saved as one CSV): there, identical lines of those days are kept once.
OVERLAP_FROM, OVERLAP_UNTIL = "2010-12-01", "2010-12-10"  # [from, until)
REQUIRED_COLUMNS = {"Invoice", "Quantity", "InvoiceDate", "Price", "Customer ID", "Country"}

# The file's country names -> ISO 3166-1 alpha-2. Names that are no country (Unspecified,
# European Community, West Indies) are left null. Channel Islands: Jersey and Guernsey have
# codes of their own, the file does not say which.
COUNTRY_CODES = {
    "Australia": "AU", "Austria": "AT", "Bahrain": "BH", "Belgium": "BE", "Bermuda": "BM",
    "Brazil": "BR", "Canada": "CA", "Cyprus": "CY", "Czech Republic": "CZ", "Denmark": "DK",
    "EIRE": "IE", "Finland": "FI", "France": "FR", "Germany": "DE", "Greece": "GR",
    "Hong Kong": "HK", "Iceland": "IS", "Israel": "IL", "Italy": "IT", "Japan": "JP",
    "Korea": "KR", "Lebanon": "LB", "Lithuania": "LT", "Malta": "MT", "Netherlands": "NL",
    "Nigeria": "NG", "Norway": "NO", "Poland": "PL", "Portugal": "PT", "RSA": "ZA",
    "Saudi Arabia": "SA", "Singapore": "SG", "Spain": "ES", "Sweden": "SE",
    "Switzerland": "CH", "Thailand": "TH", "USA": "US", "United Arab Emirates": "AE",
    "United Kingdom": "GB",
}
NOT_COUNTRIES = ("Unspecified", "European Community", "West Indies", "Channel Islands")
ISO_TIMESTAMP = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True)
class ImportCounts:
    """What the import read, wrote and left out."""

    lines_read: int
    overlap_copies_dropped: int
    guest_lines: int
    adjustment_lines: int
    written: dict[str, int]
    unknown_countries: list[str]

    def summary(self) -> str:
        written = ", ".join(f"{table} {count:,}" for table, count in self.written.items()
                            if count)
        lines = [
            f"read {self.lines_read:,} invoice lines",
            (f"left out: {self.overlap_copies_dropped:,} second copies of the days two yearly "
             f"parts both hold, {self.guest_lines:,} guest lines (no customer), "
             f"{self.adjustment_lines:,} adjustment lines (invoices starting with A)"),
            f"written: {written}; every other landing table empty",
        ]
        if self.unknown_countries:
            lines.append("countries without an ISO code (country_code left empty): "
                         + ", ".join(self.unknown_countries))
        return "\n".join(lines)


def _read_lines(con: duckdb.DuckDBPyConnection, source: Path) -> None:
    """The file's lines added to table `lines` (.parquet or .csv: DuckDB reads .xlsx only
    with an extension the wheel does not ship, so the Excel sheets must be saved as CSV)."""
    path = str(source).replace("'", "''")
    if source.suffix.lower() == ".parquet":
        reader = f"read_parquet('{path}')"
    elif source.suffix.lower() == ".csv":
        reader = f"read_csv('{path}', header = true)"
    else:
        raise ValueError(f"{source}: expected a .parquet or .csv file (save the Excel sheets "
                         "as CSV first)")
    con.execute(f"create or replace temp table raw_lines as select * from {reader}")
    columns = {row[0] for row in con.execute("describe raw_lines").fetchall()}
    missing = REQUIRED_COLUMNS - columns
    if missing:
        raise ValueError(f"{source}: missing column(s) {', '.join(sorted(missing))}")
    file_part = "'" + source.name.replace("'", "''") + "'"
    part = f"coalesce(cast(source as varchar), {file_part})" if "source" in columns else file_part
    con.execute(f"""
        insert into lines
        select
            trim(cast(Invoice as varchar)) as invoice,
            cast(Quantity as bigint) as quantity,
            cast(InvoiceDate as timestamp) as invoiced_at,
            cast(Price as decimal(18, 3)) as price,
            cast(cast("Customer ID" as bigint) as varchar) as customer_id,
            trim(Country) as country,
            {part} as part
        from raw_lines
    """)


def _drop_overlap_copies(con: duckdb.DuckDBPyConnection) -> int:
    """Drop, from each part, the lines up to the last invoice of a part that starts earlier:
    the days two yearly parts both hold are kept once, from the earlier part. A single part
    (both sheets saved as one file, no `source` column) keeps one of each identical line of
    the known overlap days instead."""
    before = con.execute("select count(*) from lines").fetchall()[0][0]
    if con.execute("select count(distinct part) from lines").fetchall()[0][0] > 1:
        con.execute("""
            create temp table covered as
            with parts as (
                select part, min(invoiced_at) as first_at, max(invoiced_at) as last_at
                from lines group by part
            )
            select later.part, max(earlier.last_at) as covered_until
            from parts as later
            join parts as earlier on earlier.first_at < later.first_at
            group by later.part
        """)
        con.execute("""
            delete from lines using covered
            where lines.part = covered.part and lines.invoiced_at <= covered.covered_until
        """)
    else:
        in_overlap = (f"invoiced_at >= timestamp '{OVERLAP_FROM}' "
                      f"and invoiced_at < timestamp '{OVERLAP_UNTIL}'")
        con.execute(f"""
            create or replace table lines as
            select * exclude (copy) from (
                select *, row_number() over (partition by columns(*)) as copy from lines
            )
            where copy = 1 or not ({in_overlap})
        """)
    return before - con.execute("select count(*) from lines").fetchall()[0][0]


def import_online_retail(sources: Path | list[Path], landing_dir: Path) -> ImportCounts:
    """Write the landing files of the file(s) `sources` into `landing_dir` (created; files
    replaced)."""
    sources = [Path(path) for path in (sources if isinstance(sources, list) else [sources])]
    landing_dir = Path(landing_dir)
    for source in sources:
        if not source.exists():
            raise FileNotFoundError(f"{source}: no such file")
    contract = {rules.table: list(rules.columns) for rules in rules_from_sources_yaml()}
    landing_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        con.execute("""
            create table lines (invoice varchar, quantity bigint, invoiced_at timestamp,
                                price decimal(18, 3), customer_id varchar, country varchar,
                                part varchar)
        """)
        for source in sources:
            _read_lines(con, source)
        con.execute("create table country_codes (country varchar, country_code varchar)")
        con.executemany("insert into country_codes values (?, ?)", list(COUNTRY_CODES.items()))
        lines_read = con.execute("select count(*) from lines").fetchall()[0][0]
        dropped = _drop_overlap_copies(con)
        adjustments, guests = con.execute("""
            select count(*) filter (where invoice like 'A%'),
                   count(*) filter (where customer_id is null and invoice not like 'A%')
            from lines
        """).fetchall()[0]
        con.execute("""
            create table customer_lines as
            select * from lines where customer_id is not null and invoice not like 'A%'
        """)
        # one row per invoice: its first line's time (a few invoices span a minute boundary)
        con.execute("""
            create table invoices as
            select
                invoice,
                customer_id,
                min(invoiced_at) as invoiced_at,
                sum(quantity * price) as amount,
                invoice like 'C%' as is_cancellation
            from customer_lines
            group by invoice, customer_id
        """)
        shared = con.execute("""
            select invoice from invoices group by invoice having count(*) > 1
        """).fetchall()
        if shared:
            raise ValueError("invoices with more than one customer: "
                             + ", ".join(row[0] for row in shared[:10]))
        con.execute("""
            create table customers as
            select
                customer_id,
                min(invoiced_at) as first_seen_at,
                arg_max(country, invoiced_at) as country
            from customer_lines
            group by customer_id
        """)
        unknown = [row[0] for row in con.execute("""
            select distinct customers.country from customers
            left join country_codes using (country)
            where country_codes.country_code is null and customers.country is not null
            order by 1
        """).fetchall()]
        tables = {
            "individuals": f"""
                select customer_id as individual_id, 'H' || customer_id as household_id,
                       country_code, strftime(first_seen_at, '{ISO_TIMESTAMP}') as created_at
                from customers left join country_codes using (country)
                order by customer_id""",
            "accounts": f"""
                select 'A' || customer_id as account_id, 'b2c' as account_type,
                       'retail' as business_line,
                       strftime(first_seen_at, '{ISO_TIMESTAMP}') as opened_at
                from customers order by customer_id""",
            "account_contacts": """
                select 'A' || customer_id as account_id, customer_id as individual_id,
                       'buyer' as role, strftime(first_seen_at, '%Y-%m-%d') as valid_from
                from customers order by customer_id""",
            "orders": f"""
                select invoice as order_id, 'A' || customer_id as account_id,
                       customer_id as individual_id,
                       strftime(invoiced_at, '{ISO_TIMESTAMP}') as ordered_at,
                       'delivered' as status, round(amount, 2) as amount, 'web' as channel
                from invoices where not is_cancellation order by invoiced_at, invoice""",
            "tickets": f"""
                select invoice as ticket_id, 'A' || customer_id as account_id,
                       customer_id as individual_id,
                       strftime(invoiced_at, '{ISO_TIMESTAMP}') as opened_at,
                       strftime(invoiced_at, '{ISO_TIMESTAMP}') as closed_at,
                       'return' as category
                from invoices where is_cancellation order by invoiced_at, invoice""",
        }
        written = {}
        for table, columns in contract.items():
            mapped = tables.get(table, "select 1 as none where false")
            present = _output_columns(con, mapped)
            select = ", ".join(
                f'"{column}"' if column in present else f'cast(null as varchar) as "{column}"'
                for column in columns)
            out = str(landing_dir / f"{table}.csv").replace("'", "''")
            # a table must land once (CSV or Parquet)
            (landing_dir / f"{table}.parquet").unlink(missing_ok=True)
            # COPY answers with the number of rows it wrote
            written[table] = con.execute(f"copy (select {select} from ({mapped})) to '{out}' "
                                         "(header, delimiter ',')").fetchall()[0][0]
    return ImportCounts(lines_read=lines_read, overlap_copies_dropped=dropped,
                        guest_lines=guests, adjustment_lines=adjustments, written=written,
                        unknown_countries=unknown)


def _output_columns(con: duckdb.DuckDBPyConnection, query: str) -> set[str]:
    return {row[0] for row in con.execute(f"describe {query}").fetchall()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.importers.online_retail",
        description="Map the UCI Online Retail II file to the landing contract.")
    parser.add_argument("files", type=Path, nargs="+",
                        help="the .parquet file, or the .csv file(s) of the sheets")
    parser.add_argument("landing_dir", type=Path, help="the landing folder to write")
    args = parser.parse_args(argv)
    try:
        counts = import_online_retail(args.files, args.landing_dir)
    except (FileNotFoundError, ValueError, duckdb.Error) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(counts.summary())
    print(f"landing folder: {args.landing_dir.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
