"""Fit BG/NBD on the CDNOW benchmark and print r, alpha, a, b and the log-likelihood.

The data (Fader & Hardie's CDNOW cohort, first purchases in 1997-Q1) is read from the `shared`
folder beside the repository. Calibration as in Fader, Hardie & Lee (2005): purchases from
1997-01-01 to 1997-09-30 (39 weeks), x = repeat purchase days, t_x and T in weeks with T counted
to 1997-09-30 (38.86 weeks for a customer who first bought on 1997-01-01).

    python -m orchestration.score.cdnow            # the sample, 2,357 customers
    python -m orchestration.score.cdnow --master   # the full cohort, 23,570 customers
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet

from orchestration.score.bgnbd import BgNbdParameters, fit, purchase_summary

CALIBRATION_END = "1997-09-30"
# Fader, Hardie & Lee (2005)'s estimates on the CDNOW sample
PUBLISHED_SAMPLE = BgNbdParameters(r=0.243, alpha=4.414, a=0.793, b=2.426, log_likelihood=-9582.4)
SAMPLE_FILE = "cdnow_sample.csv"
MASTER_FILE = "cdnow_master.parquet"
# the sample carries both ids; the master file only its own
ID_COLUMNS = ("sample_customer_id", "customer_id", "master_customer_id")


def shared_data_dir() -> Path | None:
    """`shared/data` in the nearest folder above the repository that has one (`../shared` for a
    clone, further up for a git worktree kept in a subfolder), or None."""
    repository = Path(__file__).resolve().parents[2]
    for folder in repository.parents:
        if (folder / "shared" / "data").is_dir():
            return folder / "shared" / "data"
    return None


def default_path(master: bool) -> Path:
    data = shared_data_dir() or Path(__file__).resolve().parents[3] / "shared" / "data"
    return data / "cdnow" / (MASTER_FILE if master else SAMPLE_FILE)


def read_purchases(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(customer id, purchase date) per purchase row of a CDNOW CSV or Parquet file."""
    if path.suffix == ".parquet":
        table = pyarrow.parquet.read_table(path)
    else:
        # ids are zero-padded numbers: keep them as text
        table = pyarrow.csv.read_csv(path, convert_options=pyarrow.csv.ConvertOptions(
            column_types={column: pa.string() for column in ID_COLUMNS}))
    id_column = next(column for column in ID_COLUMNS if column in table.column_names)
    return (table[id_column].to_numpy(zero_copy_only=False),
            table["date"].cast(pa.date32()).to_numpy(zero_copy_only=False))


@dataclass(frozen=True)
class CdnowFit:
    parameters: BgNbdParameters
    customers: int
    seconds: float  # purchase summary and maximum likelihood, file reading excluded


def fit_cdnow(path: Path, as_of: str = CALIBRATION_END) -> CdnowFit:
    customer_ids, dates = read_purchases(path)
    started = time.perf_counter()
    summary = purchase_summary(customer_ids, dates, as_of, unit_days=7)
    parameters = fit(summary.frequency, summary.recency, summary.age)
    return CdnowFit(parameters, len(summary.customer_id), time.perf_counter() - started)


def format_parameters(parameters: BgNbdParameters, digits: int = 4, ll_digits: int = 2) -> str:
    return (f"r = {parameters.r:.{digits}f}  alpha = {parameters.alpha:.{digits}f}  "
            f"a = {parameters.a:.{digits}f}  b = {parameters.b:.{digits}f}  "
            f"log-likelihood = {parameters.log_likelihood:.{ll_digits}f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--master", action="store_true",
                        help=f"fit the full cohort ({MASTER_FILE}) instead of the sample")
    parser.add_argument("--path", type=Path,
                        help=f"purchase file (default: shared/data/cdnow/{SAMPLE_FILE} or, "
                             f"with --master, {MASTER_FILE}, in the folder beside the repository)")
    parser.add_argument("--as-of", default=CALIBRATION_END,
                        help=f"end of the calibration period, inclusive (default {CALIBRATION_END})")
    args = parser.parse_args(argv)
    path = args.path or default_path(args.master)
    if not path.exists():
        parser.error(f"{path} is absent: the shared CDNOW data is not beside the repository "
                     "(give --path)")

    result = fit_cdnow(path, args.as_of)
    print(f"CDNOW {path.name}: {result.customers:,} customers, calibration to {args.as_of} "
          "(weeks)")
    print(f"  fitted     {format_parameters(result.parameters)}")
    if not args.master and args.path is None and args.as_of == CALIBRATION_END:
        print(f"  published  {format_parameters(PUBLISHED_SAMPLE, 3, 1)}"
              "  (Fader, Hardie & Lee 2005)")
    print(f"  fit time   {result.seconds:.2f} s (purchase summary and maximum likelihood)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
