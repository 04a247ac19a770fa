"""Run the quality gate: every suite through ONE checkpoint, COMPLETE results, Data Docs.

    report = run_quality_gate(
        Path("warehouse/crm_inactivity.duckdb"),
        rules=rules_from_manifest("target/manifest.json"),
        output_dir=Path("target/quality_gate"),
        run_date=date(2026, 6, 30),
        config=GateConfig.load(),
    )
    if not report.success:
        print(report.summary())

The warehouse is opened read-only (the gate never writes to it) through the
``duckdb_buffered://`` dialect (see ``expectations.duckdb_dialect`` for why). The GX project
(file-backed context: suites, validation definitions, checkpoint, results, Data Docs) lives
in ``output_dir / "gx"``; suites and definitions are rebuilt from the rules on every run;
the results of the last ``config.data_docs_runs_kept`` runs are kept (and shown in Data Docs).
"""

from __future__ import annotations

import logging
import time as clock
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlparse

import great_expectations as gx
from great_expectations.checkpoint import UpdateDataDocsAction
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
)

from expectations.config import GateConfig
from expectations.data_docs import escaped_docs_site
from expectations.duckdb_dialect import connection_url, dispose_engines
from expectations.rules import TableRules, check_rules
from expectations.suites import ROW_KEY, SuiteSpec, build_suites, key_label
from expectations.volume import inspect_warehouse, volume_bounds

MAX_LISTED = 200  # great_expectations.constants.MAX_RESULT_RECORDS: GX's cap on listed rows
DATASOURCE = "warehouse"
CHECKPOINT = "quality_gate"
DOCS_SITE = "local_site"


class UpdateDataDocsOnceAction(UpdateDataDocsAction):
    """``UpdateDataDocsAction`` that renders all of a checkpoint run's results in ONE build.

    The stock action rebuilds the site index once per validation result (19 times a run),
    and each index build reads every stored result: measured 3.3 s of a 7.5 s gate after one
    run, growing ~0.4 s per run kept. This renders the run's result and suite pages, then
    the index, once. Registered by its ``type``, so the stored checkpoint reloads it.
    """

    type: Literal["update_data_docs_once"] = "update_data_docs_once"

    def run(self, checkpoint_result: Any, action_context: Any = None) -> dict:
        identifiers: list[Any] = []
        for result_identifier, result in checkpoint_result.run_results.items():
            identifiers += [result_identifier, ExpectationSuiteIdentifier(name=result.suite_name)]
        self._build_data_docs(site_names=self.site_names, resource_identifiers=identifiers)
        return {}


@dataclass(frozen=True)
class ExpectationFailure:
    """One failed expectation.

    ``failing_rows``: up to ``failing_rows_shown`` rows, each a dict whose first item is the
    row's key (under the key's label, ``order_id`` or ``(account_id, individual_id, ...)``)
    followed by the offending value(s) when the failing column is not the key itself.
    ``unexpected_count`` is exact (None for table-level expectations such as the volume,
    whose ``observed_value`` is the row count).
    """

    suite: str
    expectation_type: str
    column: str | None
    description: str
    unexpected_count: int | None
    failing_rows: tuple[dict[str, Any], ...] = ()
    rule: str | None = None
    observed_value: Any = None
    exception: str | None = None
    details: str = ""

    def line(self) -> str:
        """``landing__orders: expect_column_values_to_be_unique(order_id) failed on 2 rows:
        order_id=O1, O1``."""
        head = f"{self.suite}: {self.expectation_type}"
        if self.column:
            head += f"({self.column})"
        if self.exception:
            return f"{head} could not be evaluated: {self.exception}"
        if self.unexpected_count is None:
            return f"{head} failed: {self.details or self.description}"
        n = self.unexpected_count
        head += f" failed on {n} row{'' if n == 1 else 's'}"
        if self.details:
            head += f" ({self.details})"
        if not self.failing_rows:
            return head
        shown = _format_rows(self.failing_rows)
        more = len(self.failing_rows) < n
        return f"{head}: {shown}" + (f" (first {len(self.failing_rows)} shown)" if more else "")


@dataclass
class GateReport:
    """The outcome of one gate run. ``success`` is False if any expectation failed."""

    success: bool
    suites: dict[str, bool]
    failures: list[ExpectationFailure]
    data_docs_index: Path
    seconds: float
    run_date: date
    notes: list[str] = field(default_factory=list)  # checks not made this run, and why

    def failures_of(self, suite: str) -> list[ExpectationFailure]:
        return [f for f in self.failures if f.suite == suite]

    def summary(self) -> str:
        failed = [name for name, ok in self.suites.items() if not ok]
        if self.success:
            head = f"Quality gate passed: {len(self.suites)} suites"
        else:
            head = (
                f"Quality gate FAILED: {len(self.failures)} expectation(s) in "
                f"{len(failed)} of {len(self.suites)} suites ({', '.join(failed)})"
            )
        lines = [f"{head}, run date {self.run_date.isoformat()}, {self.seconds:.1f} s."]
        lines += [f.line() for f in self.failures]
        lines += [f"note: {n}" for n in self.notes]
        lines.append(f"Data Docs: {self.data_docs_index}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (e.g. Dagster metadata)."""
        return {
            "success": self.success,
            "suites": dict(self.suites),
            "failures": [
                {
                    "suite": f.suite,
                    "expectation_type": f.expectation_type,
                    "column": f.column,
                    "rule": f.rule,
                    "description": f.description,
                    "unexpected_count": f.unexpected_count,
                    "observed_value": _plain(f.observed_value),
                    "failing_rows": [{k: _plain(v) for k, v in r.items()} for r in f.failing_rows],
                    "exception": f.exception,
                    "line": f.line(),
                }
                for f in self.failures
            ],
            "data_docs_index": str(self.data_docs_index),
            "seconds": round(self.seconds, 3),
            "run_date": self.run_date.isoformat(),
            "notes": list(self.notes),
        }


def quality_dir(warehouse_path: Path) -> Path:
    """The gate's folder for a warehouse (GX project, Data Docs, last report): beside the
    warehouse file, one per file, so two warehouses never mix their results."""
    warehouse_path = Path(warehouse_path)
    return warehouse_path.parent / f"{warehouse_path.stem}_quality"


def run_quality_gate(
    warehouse_path: Path,
    *,
    rules: list[TableRules],
    output_dir: Path,
    run_date: date,
    config: GateConfig,
    memory_limit: str | None = None,
) -> GateReport:
    """Validate the staging relations of ``rules`` (and the postal codes) in one checkpoint.
    ``memory_limit``: DuckDB's cap on the gate's queries (None: DuckDB's default)."""
    started = clock.perf_counter()
    warehouse_path = Path(warehouse_path)
    if not warehouse_path.exists():
        raise FileNotFoundError(f"warehouse not found: {warehouse_path}")
    check_rules(rules)
    state = inspect_warehouse(warehouse_path)
    volumes = volume_bounds(state.previous_counts, [r.table for r in rules], config.volume_band)
    specs = build_suites(rules, run_date=run_date, config=config, volumes=volumes)

    notes: list[str] = []
    failures: list[ExpectationFailure] = []
    suites_ok: dict[str, bool] = {}
    by_table = {r.table: r for r in rules}
    runnable: list[SuiteSpec] = []
    for spec in specs:
        missing = _missing_relations(spec, by_table, state.relations)
        if missing:
            suites_ok[spec.suite.name] = False
            failures.append(
                ExpectationFailure(
                    suite=spec.suite.name,
                    expectation_type="relation_exists",
                    column=None,
                    description="the staging relations the suite reads exist",
                    unexpected_count=None,
                    rule="relation_exists",
                    details=f"missing relation(s) {', '.join(missing)}: suite not run",
                )
            )
        else:
            runnable.append(spec)
        notes += [f"{spec.suite.name}: {why}" for why in spec.skipped]

    context = _context(Path(output_dir))
    _prune_results(context, keep_runs=config.data_docs_runs_kept - 1)
    validations: list[Any] = []
    if runnable:  # GX refuses a checkpoint without validation definitions
        checkpoint_result = _run_checkpoint(context, warehouse_path, runnable, run_date, config,
                                            memory_limit)
        validations = list(checkpoint_result.run_results.values())
    keys_of = {spec.suite.name: spec.key_columns for spec in runnable}
    for validation in validations:
        name = validation.suite_name
        suites_ok[name] = bool(validation.success)
        for expectation_result in validation.results:
            if not expectation_result.success:
                failures.append(
                    _failure(name, expectation_result, keys_of[name], config.failing_rows_shown)
                )
    ordered = {s.suite.name: suites_ok[s.suite.name] for s in specs if s.suite.name in suites_ok}
    return GateReport(
        success=all(ordered.values()) and not failures,
        suites=ordered,
        failures=failures,
        data_docs_index=_docs_index(context, Path(output_dir)),
        seconds=clock.perf_counter() - started,
        run_date=run_date,
        notes=notes,
    )


# --- GX plumbing --------------------------------------------------------------------------


def _context(output_dir: Path) -> Any:
    output_dir.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(output_dir))
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    context.variables.analytics_enabled = False
    context.variables.save()
    # Values from the data reach the validation pages: render them HTML-escaped (no XSS;
    # see expectations.data_docs). Saved in great_expectations.yml, so any build escapes.
    site = context.list_data_docs_sites()[DOCS_SITE]
    escaped = escaped_docs_site(site)
    if escaped != site:
        context.update_data_docs_site(DOCS_SITE, escaped)
    # GX re-reads (YAML-parses) this template on every context-variable lookup, hundreds of
    # times a run (~1 s); the gate uses no config variables, and a missing file reads as {}.
    (output_dir / "gx" / "uncommitted" / "config_variables.yml").unlink(missing_ok=True)
    return context


def _reset(context: Any) -> None:
    """Drop what the previous run defined (suites, definitions, checkpoint, data source):
    everything is rebuilt from the rules. Validation results are kept (Data Docs history)."""
    for checkpoint in list(context.checkpoints.all()):
        context.checkpoints.delete(checkpoint.name)
    for definition in list(context.validation_definitions.all()):
        context.validation_definitions.delete(definition.name)
    for suite in list(context.suites.all()):
        context.suites.delete(suite.name)
    if DATASOURCE in context.data_sources.all():
        context.data_sources.delete(DATASOURCE)


def _run_checkpoint(
    context: Any, warehouse_path: Path, specs: list[SuiteSpec], run_date: date,
    config: GateConfig, memory_limit: str | None,
) -> Any:
    _reset(context)
    # read-only; TimeZone UTC as in profiles.yml (staging's timestamp casts depend on it)
    url = connection_url(warehouse_path, read_only=True, time_zone="UTC",
                         memory_limit=memory_limit)
    datasource = context.data_sources.add_sql(name=DATASOURCE, connection_string=url)
    definitions = []
    for spec in specs:
        asset = datasource.add_query_asset(name=spec.asset_name, query=spec.query)
        batch = asset.add_batch_definition_whole_table("all_rows")
        suite = context.suites.add(spec.suite)
        definitions.append(
            context.validation_definitions.add(
                gx.ValidationDefinition(name=spec.suite.name, data=batch, suite=suite)
            )
        )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=CHECKPOINT,
            validation_definitions=definitions,
            actions=[UpdateDataDocsOnceAction(name="update_data_docs", site_names=[DOCS_SITE])],
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": [ROW_KEY],
                # GX 1.24 lists at most this many failing rows' keys (and 200 values) even
                # in COMPLETE; counts are always exact.
                "partial_unexpected_count": min(max(config.failing_rows_shown, 20), MAX_LISTED),
            },
        )
    )
    run_id = RunIdentifier(
        run_name=f"quality gate {run_date.isoformat()}", run_time=datetime.now(UTC)
    )
    gx_logger = logging.getLogger("great_expectations")
    level = gx_logger.level
    gx_logger.setLevel(max(level, logging.ERROR))  # GX logs routine warnings per metric
    try:
        return checkpoint.run(run_id=run_id)
    finally:
        gx_logger.setLevel(level)
        dispose_engines(warehouse_path)  # release the warehouse file


def _prune_results(context: Any, keep_runs: int) -> int:
    """Delete stored validation results of all but the ``keep_runs`` latest gate runs (the
    Data Docs index reads every stored result; the site drops pages whose result is gone)."""
    store = context.validation_results_store
    keys = store.list_keys()
    run_ids = sorted({key.run_id for key in keys}, key=lambda r: r.run_time, reverse=True)
    stale = set(run_ids[max(keep_runs, 0):])
    removed = 0
    for key in keys:
        if key.run_id in stale:
            store.remove_key(key)
            removed += 1
    return removed


def _docs_index(context: Any, output_dir: Path) -> Path:
    for site in context.get_docs_sites_urls(site_name=DOCS_SITE):
        url = site.get("site_url")
        if url and url.startswith("file://"):
            return Path(unquote(urlparse(url).path))
    return output_dir / "gx" / "uncommitted" / "data_docs" / DOCS_SITE / "index.html"


def _missing_relations(
    spec: SuiteSpec, by_table: dict[str, TableRules], relations: frozenset[str]
) -> list[str]:
    table = spec.asset_name.removeprefix("stg_landing__")
    needed = []
    if table in by_table:
        rules = by_table[table]
        needed = [rules.relation] + [by_table[p].relation for p in rules.references.values()]
    else:  # the postal-code suite reads individuals
        needed = [by_table["individuals"].relation]
    return [r for r in dict.fromkeys(needed) if r not in relations]


# --- results ------------------------------------------------------------------------------


def _failure(
    suite: str, result: Any, key_columns: tuple[str, ...], shown: int,
) -> ExpectationFailure:
    config = result.expectation_config
    kwargs = config.kwargs
    meta = config.meta or {}
    column = kwargs.get("column")
    if column is None and kwargs.get("column_list"):
        column = ", ".join(kwargs["column_list"])
    if column is None and meta.get("column"):
        column = meta["column"]
    description = meta.get("notes") or config.description or config.type
    common = {
        "suite": suite,
        "expectation_type": config.type,
        "column": column,
        "description": description,
        "rule": meta.get("rule"),
    }
    exception = _exception_message(result.exception_info)
    if exception:
        return ExpectationFailure(**common, unexpected_count=None, exception=exception)
    data = result.result or {}
    label = key_label(key_columns)
    if config.type == "unexpected_rows_expectation":
        rows = (data.get("details") or {}).get("unexpected_rows") or []
        return ExpectationFailure(
            **common,
            unexpected_count=int(data.get("observed_value") or 0),
            failing_rows=tuple(_keyed(row, label, key_columns) for row in rows[:shown]),
        )
    if "unexpected_count" not in data:  # table-level (row count)
        observed = data.get("observed_value")
        bounds = f"expected {kwargs.get('min_value')} to {kwargs.get('max_value')}"
        if "previous_rows" in meta:
            bounds += f" (previous run: {meta['previous_rows']} rows)"
        return ExpectationFailure(
            **common,
            unexpected_count=None,
            observed_value=observed,
            details=f"{observed} rows, {bounds}",
        )
    details = ""
    if kwargs.get("mostly") is not None and data.get("element_count"):
        allowed = 1 - float(kwargs["mostly"])
        share = float(data.get("unexpected_percent_nonmissing") or 0) / 100
        details = f"{share:.2%} malformed, at most {allowed:.2%} allowed"
    if "unexpected_index_list" in data:
        rows = [_keyed(row, label, key_columns) for row in data["unexpected_index_list"][:shown]]
    else:  # compound-column expectations list the key tuples themselves
        rows = [
            {label: _composite(row, key_columns)} if isinstance(row, dict) else {label: row}
            for row in (data.get("unexpected_list") or [])[:shown]
        ]
    return ExpectationFailure(
        **common,
        unexpected_count=int(data["unexpected_count"]),
        failing_rows=tuple(rows),
        details=details,
    )


def _keyed(row: dict[str, Any], label: str, key_columns: tuple[str, ...]) -> dict[str, Any]:
    """{ROW_KEY: k, col: v} -> {label: k, col: v}; a key column's value is already in k."""
    keyed: dict[str, Any] = {label: row.get(ROW_KEY)}
    for name, value in row.items():
        if name != ROW_KEY and name not in key_columns:
            keyed[name] = value
    return keyed


def _composite(row: dict[str, Any], key_columns: tuple[str, ...]) -> str:
    return "(" + ", ".join(_text(row.get(c)) for c in key_columns) + ")"


def _exception_message(info: Any) -> str | None:
    """GX puts either one {raised_exception, exception_message} or one per metric."""
    if not info:
        return None
    candidates = [info] if "raised_exception" in info else list(info.values())
    for candidate in candidates:
        if isinstance(candidate, dict) and candidate.get("raised_exception"):
            message = str(candidate.get("exception_message") or "exception")
            return message.strip().splitlines()[0][:300]
    return None


def _text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, (date, datetime)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return _text(value)


def _format_rows(rows: tuple[dict[str, Any], ...]) -> str:
    """``order_id=O1, O1`` or ``order_id=O3 (status='shipped'), O4 (status='x')``."""
    label = next(iter(rows[0]))
    parts = []
    for row in rows:
        items = list(row.items())
        text = _text(items[0][1])
        extra = ", ".join(
            f"{name}={value!r}" if isinstance(value, str) else f"{name}={_text(value)}"
            for name, value in items[1:]
        )
        parts.append(f"{text} ({extra})" if extra else text)
    return f"{label}=" + ", ".join(parts)
