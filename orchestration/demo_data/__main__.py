"""`python -m orchestration.demo_data [--individuals N] [--seed S] [--as-of YYYY-MM-DD]
[--out DIR]` (see orchestration.demo_data.cli)."""

from orchestration.demo_data.cli import main

raise SystemExit(main())
