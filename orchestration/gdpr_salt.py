"""The salt of the GDPR subject hashes, kept out of every file the project writes.

A tombstone (gdpr.erasure_tombstones) is sha256(salt || individual_id). The salt is a secret:
it is read from the environment (GDPR_HASH_SALT) by this module only and reaches SQL as two
DuckDB functions registered on every connection dbt opens (profiles.yml plugin), so it never
appears in a dbt var, compiled SQL, the manifest or a log:

    gdpr_subject_hash(individual_id VARCHAR) -> VARCHAR   sha256 hex of salt || id
    gdpr_salt_fingerprint() -> VARCHAR                    identifies the salt, reveals nothing

Each tombstone stores the fingerprint of the salt it was made with. A run whose salt has
another fingerprint would match none of them and republish erased people's data, so it stops
before anything is built (`check_salt_matches`, called on every dbt connection and before a
run copies the published warehouse).
"""

from __future__ import annotations

import hashlib
import os

import duckdb
import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb.sqltypes import VARCHAR

from orchestration.settings import SALT_VARIABLE

# The generated demo data's salt; a run on real data without GDPR_HASH_SALT is refused
# (orchestration.settings.RunSettings.validated).
DEMO_SALT = "crm-inactivity-demo-salt"
_FINGERPRINT_PREFIX = "crm-inactivity salt fingerprint|"


class SaltMismatchError(RuntimeError):
    """GDPR_HASH_SALT is not the salt the warehouse's tombstones were made with."""


def hash_salt() -> str:
    return os.environ.get(SALT_VARIABLE, "").strip() or DEMO_SALT


def subject_hash(individual_id: str | None, salt: str | None = None) -> str | None:
    """What a tombstone holds for a subject (the same as DuckDB's sha256(salt || id))."""
    if individual_id is None:
        return None
    return hashlib.sha256(((salt or hash_salt()) + individual_id).encode()).hexdigest()


def salt_fingerprint(salt: str | None = None) -> str:
    """16 hex digits identifying the salt: a hash of a different text than any subject's."""
    return hashlib.sha256((_FINGERPRINT_PREFIX + (salt or hash_salt())).encode()).hexdigest()[:16]


def _subject_hash_batch(ids: pa.Array) -> pa.Array:
    salt = hash_salt()
    return pa.array([subject_hash(value, salt) for value in ids.to_pylist()], type=pa.string())


def register_gdpr_functions(conn: duckdb.DuckDBPyConnection) -> None:
    conn.create_function("gdpr_subject_hash", _subject_hash_batch, [VARCHAR], VARCHAR,
                         type="arrow", side_effects=False)
    fingerprint = salt_fingerprint()
    conn.create_function("gdpr_salt_fingerprint", lambda: fingerprint, [], VARCHAR,
                         side_effects=False)


def stored_fingerprints(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """The salt fingerprints the warehouse's tombstones were made with (none before the
    first erasure)."""
    has_column = conn.execute(
        "select count(*) from information_schema.columns where table_schema = 'gdpr' "
        "and table_name = 'erasure_tombstones' and column_name = 'salt_fingerprint'"
    ).fetchall()[0][0]
    if not has_column:
        return []
    rows = conn.execute(
        "select distinct salt_fingerprint from gdpr.erasure_tombstones "
        "where salt_fingerprint is not null order by 1"
    ).fetchall()
    return [str(row[0]) for row in rows]


def check_salt_matches(conn: duckdb.DuckDBPyConnection, where: str = "this warehouse") -> None:
    """Raises SaltMismatchError when the tombstones were made with another salt."""
    current = salt_fingerprint()
    stored = stored_fingerprints(conn)
    if stored and stored != [current]:
        raise SaltMismatchError(
            f"{SALT_VARIABLE} is not the salt {where}'s GDPR tombstones were made with "
            f"(their salt fingerprint is {', '.join(stored)}; this run's is {current}). With "
            "another salt the tombstones match nobody and erased people's personal data would "
            "be published again, so nothing was built. Set GDPR_HASH_SALT back to the salt of "
            "the first erasure (from your secret store): the salt of a warehouse that holds "
            "tombstones cannot change."
        )


class Plugin(BasePlugin):
    """dbt-duckdb entry point: the GDPR functions on every connection dbt opens, after
    checking that this run's salt is the warehouse's."""

    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        check_salt_matches(conn)
        register_gdpr_functions(conn)
