"""Exiting a command without the interpreter's shutdown, where DuckDB 2.0 (nanobind) prints
its "leaked instance" report: `python -m orchestration`, `python -m expectations` and
scripts/run_quietly.py (make lint) exit through exit_skipping_finalisation."""

from __future__ import annotations

import logging
import multiprocessing.util
import os
import sys
import traceback
from collections.abc import Callable
from typing import NoReturn


def exit_skipping_finalisation(main: Callable[[], int | None]) -> NoReturn:
    """Runs a command's ``main()`` and exits with its code without interpreter finalisation.

    duckdb 2.0 (nanobind) prints ~40 lines of "leaked instance" warnings at interpreter
    shutdown once duckdb_engine and great_expectations are both loaded: harmless (the gate
    has closed its engines) but they bury the command's own output. Streams are flushed and
    logging shut down first, so nothing the command printed is lost.
    """
    code = 2
    try:
        code = main() or 0
    except SystemExit as exit_:  # argparse: --help, bad arguments; sys.exit() in main
        code = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 2
    except BaseException:  # noqa: BLE001 - printed, then the exit code says it failed
        traceback.print_exc()
    finally:
        logging.shutdown()
        # multiprocessing's own exit hook still runs: it releases the semaphores Dagster
        # created (else its resource tracker warns about them)
        multiprocessing.util._exit_function()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except OSError:  # e.g. stdout piped into `head`
                pass
        os._exit(code)
