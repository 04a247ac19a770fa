"""Runs a Python command-line tool by module name and exits with its exit code, skipping the
interpreter's shutdown: `python scripts/run_quietly.py sqlfluff lint models tests`.

At shutdown DuckDB 2.0 (nanobind) prints a "leaked instance" report of some eighty lines,
harmless but easily read as a failure at the end of `make lint` and `make test`
(expectations.quiet_exit.exit_skipping_finalisation, which `python -m orchestration`
uses for the same reason). Output is flushed first: nothing the tool printed is lost.
"""

import runpy
import sys

from expectations.quiet_exit import exit_skipping_finalisation


def main() -> None:
    module = sys.argv[1]
    sys.argv = [module, *sys.argv[2:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    exit_skipping_finalisation(main)
