"""A SQLAlchemy dialect for DuckDB that fully buffers every row-returning result.

Why it exists
-------------
Great Expectations 1.x runs its SQL metrics like this (simplified)::

    with engine.connect() as connection:
        result = connection.execute(query)
    return result.fetchall()          # after the block has ended

With duckdb-engine's own dialect (``duckdb://``) this returns nothing: its DBAPI cursor is
a thin wrapper that forwards to the ONE DuckDB connection behind the SQLAlchemy
connection, so the pending result lives on that connection, not on a cursor. When the
``with`` block ends, SQLAlchemy returns the connection to the pool and issues a ROLLBACK,
and that ROLLBACK replaces the pending result. GX then indexes an empty list ("list index
out of range") and every expectation comes back with empty metrics / no unexpected counts.

The fix is SQLAlchemy's own answer to "the result must survive the end of the database
conversation": the execution context fetches all rows in ``post_exec`` into a
``FullyBufferedCursorFetchStrategy`` (the mechanism the MSSQL dialect uses for
``INSERT ... OUTPUT``). Results are then plain Python lists held by the ``CursorResult`` and
nothing the connection does afterwards can discard them. GX's queries are aggregates or
the unexpected rows, so buffering them costs little.

One exception: to learn a query asset's column names, GX executes the asset's SQL on its
own and reads only the result's keys. Buffered, that would copy the whole table into
Python (7M rows, 10 s, GBs at 100k individuals). Statements that start with
``COLUMNS_ONLY_MARKER``, ``select /* columns-only when bare */`` (the gate's asset queries
do), are therefore run as
``select * from (<statement>) limit 0`` when executed bare: same columns, no rows. Inside
GX's metric queries the asset SQL is a subquery, so the marker is not at the start and
those run unchanged.

Also:

- ``name = "duckdb"`` is kept, so SQL compilation is duckdb-engine's; ``dialect.dialect``
  is exposed so GX writes regex / LIKE conditions the PostgreSQL way (see the property).
- ``TimeZone`` and ``enable_progress_bar`` in the URL are SET after connecting (DuckDB
  refuses them as connect options).
- ``dispose_engines()`` closes every pooled connection so DuckDB releases the file.
- Registered under its own URL scheme, ``duckdb_buffered://``; ``duckdb://`` keeps meaning
  the stock dialect.

Usage::

    from expectations.duckdb_dialect import connection_url   # registers the scheme
    engine = sqlalchemy.create_engine(connection_url(path))  # read-only, UTC
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote
from weakref import WeakSet

from duckdb_engine import Dialect as DuckDBEngineDialect
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.postgresql.psycopg2 import PGExecutionContext_psycopg2
from sqlalchemy.engine import Engine
from sqlalchemy.engine.cursor import FullyBufferedCursorFetchStrategy

SCHEME = "duckdb_buffered"
# Starts with "select " because GX requires query assets to.
COLUMNS_ONLY_MARKER = "select /* columns-only when bare */"
SESSION_SETTINGS = ("TimeZone", "enable_progress_bar")

# Every engine of this dialect, so the gate can release the warehouse file when it is done
# (GX creates engines of its own inside data sources and keeps them pooled).
_ENGINES: WeakSet[Engine] = WeakSet()


class BufferedDuckDBExecutionContext(PGExecutionContext_psycopg2):
    """Execution context that reads every row of a row-returning statement right away."""

    def post_exec(self) -> None:
        super().post_exec()
        cursor: Any = self.cursor
        description = cursor.description
        if description:
            self.cursor_fetch_strategy = FullyBufferedCursorFetchStrategy(
                cursor, description, cursor.fetchall()
            )


def _columns_only(statement: str) -> str:
    if statement.lstrip().lower().startswith(COLUMNS_ONLY_MARKER):
        return f"select * from ({statement}) as columns_only limit 0"
    return statement


class BufferedDuckDBDialect(DuckDBEngineDialect):
    """duckdb-engine's dialect with fully buffered results (see the module docstring)."""

    driver = "duckdb_engine_buffered"
    execution_ctx_cls = BufferedDuckDBExecutionContext
    supports_statement_cache = False

    def connect(self, *cargs: Any, **cparams: Any) -> Any:
        """duckdb-engine's connect, but session settings given in the URL query
        (``SESSION_SETTINGS``) are SET after connecting: DuckDB refuses them as connect-time
        options (TimeZone needs the ICU extension, loaded later; the progress bar is local)."""
        url_config = dict(cparams.get("url_config") or {})
        session = {k: url_config.pop(k) for k in SESSION_SETTINGS if k in url_config}
        cparams["url_config"] = url_config
        connection = super().connect(*cargs, **cparams)
        for name, value in session.items():
            connection.execute(f"SET {name} = '" + str(value).replace("'", "''") + "'")
        return connection

    def do_execute(self, cursor: Any, statement: str, parameters: Any, context: Any = None):
        super().do_execute(cursor, _columns_only(statement), parameters, context)

    def do_execute_no_params(self, cursor: Any, statement: str, context: Any = None):
        super().do_execute_no_params(cursor, _columns_only(statement), context)

    @classmethod
    def engine_created(cls, engine: Engine) -> None:
        _ENGINES.add(engine)

    @property
    def dialect(self) -> type[BufferedDuckDBDialect]:
        """The dialect's own class, for Great Expectations' dialect sniffing.

        GX decides how to write regex / LIKE conditions with
        ``issubclass(dialect.dialect, sqlalchemy.dialects.postgresql.dialect)``, an attribute
        that module-style dialects have and dialect instances do not. Without it, GX 1.24
        reports "Regex is not supported for dialect duckdb" and the regex expectations
        return nothing. duckdb-engine's dialect derives from PostgreSQL's, so GX then emits
        ``column ~ 'regex'``; DuckDB's ``~`` is a PARTIAL match: anchor regexes (^...$).
        """
        return type(self)


def register() -> None:
    """Make ``duckdb_buffered://`` resolvable by ``sqlalchemy.create_engine`` (idempotent)."""
    registry.register(SCHEME, __name__, "BufferedDuckDBDialect")


def dispose_engines(database: Path | str | None = None) -> int:
    """Close the pooled DuckDB connections of every ``duckdb_buffered`` engine (of one
    database file, or all): DuckDB then releases the file, so a writer can open it again.
    The engines stay usable (they reconnect on demand). Returns how many were disposed."""
    target = None if database is None else Path(database).resolve()
    disposed = 0
    for engine in list(_ENGINES):
        path = engine.url.database
        if target is None or (path and Path(path).resolve() == target):
            engine.dispose()
            disposed += 1
    return disposed


def connection_url(
    database: Path | str, *, read_only: bool = True, time_zone: str | None = "UTC",
    memory_limit: str | None = None,
) -> str:
    """``duckdb_buffered:///<absolute path>?access_mode=read_only&TimeZone=UTC&...``.

    ``time_zone``: the session TimeZone. The staging views convert landing timestamps with
    ``cast(cast(x as timestamptz) as timestamp)``, which depends on it; dbt runs them in UTC
    (profiles.yml), so the gate must too or it would see other values on a non-UTC machine.
    DuckDB's own progress bar (printed for queries over 2 s) is switched off.
    ``memory_limit``: DuckDB's cap (e.g. ``4GB``); None leaves DuckDB's default (80 % of RAM).
    """
    params = ["enable_progress_bar=false"]
    if memory_limit:
        params.append(f"memory_limit={quote(memory_limit)}")
    if read_only:
        params.append("access_mode=read_only")
    if time_zone:
        params.append(f"TimeZone={time_zone}")
    return f"{SCHEME}:///{Path(database).resolve()}?" + "&".join(params)


register()
