"""The RNVP functions the SQL models call, declared once for every engine.

Each engine's registration reads this list and maps its types: DuckDB in `duckdb_udfs`
(profiles.yml's plugin), Spark in `orchestration/spark_build.py`. Neither engine is imported
here.

    rnvp_address(civility, first_name, last_name, address_line_1, address_line_2,
                 address_line_3, postal_code, city, country_code)  -> struct, ADDRESS_FIELDS
    rnvp_email(email)              -> struct(email_normalized, problem)
    rnvp_phone(phone)              -> struct(phone_e164, phone_type, problem)
    rnvp_street_label(label, max_len integer)  -> text
    normalise_text(text)           -> text: the Python normalise_text, NULL for NULL or
                                      nothing left (the macro normalised_text calls it: derived
                                      households, locality keys)

and, registered beside them by each engine (it takes no row):

    rnvp_rules_version()           -> text: rules_version(), a digest of the functions' code
                                      and rule tables; int_contacts_rnvp_normalised recomputes
                                      every contact when it changes

Arguments are text unless stated and may be NULL: the Python functions decide what a missing
value means.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from orchestration.settings import REPO_ROOT, files_digest
from rnvp.address import afnor_address
from rnvp.contact import normalise_email, phone_e164
from rnvp.text import STREET_LABEL_MAX, abbreviate_street_label, normalise_text

TEXT, INTEGER = "text", "integer"

ADDRESS_FIELDS = (
    "line_1", "line_2", "line_3", "line_4", "line_5", "street_number", "repetition_index",
    "street_label", "postal_code", "locality", "cedex",
)  # all text, then the list of problems


@dataclass(frozen=True)
class SqlFunction:
    """A row function under its SQL name. It returns text, or, when `text_fields` is given,
    a struct of those text fields followed by `list_field`, a list of text."""

    name: str
    row_function: Callable
    parameters: tuple[str, ...]
    text_fields: tuple[str, ...] = ()
    list_field: str | None = None

    def __post_init__(self) -> None:
        # DuckDB counts the SQL arguments from the signature, Spark not at all: fail here
        arguments = len(inspect.signature(self.row_function).parameters)
        if arguments != len(self.parameters):
            raise TypeError(f"{self.name}: {len(self.parameters)} SQL arguments declared, "
                            f"{arguments} taken by {self.row_function.__name__}")


def _phone(phone: str | None) -> dict:
    return phone_e164(phone)  # exactly one Python parameter per SQL argument (DuckDB counts them)


def _street_label(label: str | None, max_len: int | None) -> str | None:
    if label is None:
        return None
    return abbreviate_street_label(label, STREET_LABEL_MAX if max_len is None else max_len)


@functools.lru_cache(maxsize=1 << 16)
def _normalised_text(text: str | None) -> str | None:
    """SQL's contract: NULL stays NULL, and a value with nothing left ('', '-') becomes NULL.

    Cached: the columns it keys on repeat a lot (localities, postal codes, last names), and a
    hit costs less than the regexp chain this replaced (1M contacts x 4 columns: ~4 s before,
    ~6 s uncached, ~4 s cached). Bounded to 65,536 values per process.
    """
    return normalise_text(text) or None


RNVP_FUNCTIONS = (
    SqlFunction("rnvp_address", afnor_address, (TEXT,) * 9, ADDRESS_FIELDS, "problems"),
    SqlFunction("rnvp_email", normalise_email, (TEXT,), ("email_normalized", "problem")),
    SqlFunction("rnvp_phone", _phone, (TEXT,), ("phone_e164", "phone_type", "problem")),
    SqlFunction("rnvp_street_label", _street_label, (TEXT, INTEGER)),
    # not rnvp_: it is the Python function itself, under its own name, for SQL
    SqlFunction("normalise_text", _normalised_text, (TEXT,)),
)

# what the functions' results depend on besides their arguments: their code and rule tables
# (not the engines' glue, duckdb_udfs.py, nor the postal reference installer)
_RULE_FILES = (
    *(Path(__file__).parent / name
      for name in ("address.py", "contact.py", "sql_functions.py", "text.py")),
    REPO_ROOT / "seeds" / "afnor_abbreviations.csv",
    REPO_ROOT / "seeds" / "afnor_line_keywords.csv",
)


@functools.cache
def rules_version() -> str:
    """What rnvp_rules_version() returns."""
    return files_digest(_RULE_FILES)[:16]
