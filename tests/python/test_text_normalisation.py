"""One text normalisation for SQL and Python.

The dbt macro normalised_text (derived households, locality keys) and the Python normalise_text
(the RNVP address lines) must give the same answer, or one household splits in two. The macro
calls the Python function itself, registered under the same name on every DuckDB connection by
the dbt-duckdb plugin; these tests render the macros as dbt does and run them through DuckDB on
the hard cases.
"""

from __future__ import annotations

import re

import duckdb
import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from orchestration.settings import REPO_ROOT
from rnvp.duckdb_udfs import register_rnvp_functions
from rnvp.text import normalise_text

# (raw, what normalise_text gives). The macro gives the same, with NULL for ''.
HARD_CASES: list[tuple[str | None, str]] = [
    # ligatures and letters NFKD leaves whole
    ("Cœur", "COEUR"),
    ("SŒUR", "SOEUR"),
    ("Lætitia", "LAETITIA"),
    ("ÆLFRIC", "AELFRIC"),
    ("Straße", "STRASSE"),
    ("GROẞE", "GROSSE"),  # capital sharp s
    ("Søren Østergård", "SOREN OSTERGARD"),
    ("Đorđe Đoković", "DORDE DOKOVIC"),
    ("Łódź Wałęsa", "LODZ WALESA"),
    ("Þórr Ðór", "THORR DOR"),
    ("Kırıkkale", "KIRIKKALE"),  # dotless i
    ("Ħamrun Ŧ", "HAMRUN T"),
    ("Ǿ ǽ", "O AE"),  # NFKD splits the accent off, leaving Ø and æ
    ("ﬁef Ĳssel", "FIEF IJSSEL"),  # typographic ligatures NFKD does split
    ("SŒUR Léonie, Straße", "SOEUR LEONIE STRASSE"),
    # apostrophes
    ("L’Haÿ-les-Roses", "L HAY LES ROSES"),
    ("d'Artagnan", "D ARTAGNAN"),
    ("Jeanne dʼArc", "JEANNE D ARC"),  # U+02BC modifier letter apostrophe
    ("L‘Isle `Adam´", "L ISLE ADAM"),
    # hyphens and dashes
    ("Saint‐Denis", "SAINT DENIS"),  # U+2010
    ("Saint‑Denis", "SAINT DENIS"),  # U+2011 non-breaking hyphen
    ("Paris–Lyon", "PARIS LYON"),  # en dash
    ("Aix—Marseille", "AIX MARSEILLE"),  # em dash
    ("Jean-Pierre", "JEAN PIERRE"),
    ("Bourg−en−Bresse", "BOURG EN BRESSE"),  # minus sign
    # accents, lower and upper case
    ("é è ê ë à â ä î ï ô ö ù û ü ÿ ç ñ ã õ å ø",
     "E E E E A A A I I O O U U U Y C N A O A O"),
    ("É È Ê Ë À Â Ä Î Ï Ô Ö Ù Û Ü Ÿ Ç Ñ Ã Õ Å Ø",
     "E E E E A A A I I O O U U U Y C N A O A O"),
    ("Émile Zola", "EMILE ZOLA"),
    ("e\u0301cole", "ECOLE"),  # already decomposed: e + combining acute
    ("İstanbul", "ISTANBUL"),
    # fullwidth, spaces, tabs, line breaks
    ("ＡＢＣ　ｄｅｆ　１２３", "ABC DEF 123"),
    ("12\u00a0rue\u202fdu\u2007Bac", "12 RUE DU BAC"),  # no-break spaces
    ("RUE\tDE\t\tLA PAIX", "RUE DE LA PAIX"),
    ("RUE DE LA\r\nPAIX", "RUE DE LA PAIX"),
    # invisible characters vanish (they never separate two words on screen)
    ("Du\u200bpont\u00ad-Martin\ufeff", "DUPONT MARTIN"),  # zero-width space, soft hyphen, BOM
    ("  12,rue   du 8-Mai  ", "12 RUE DU 8 MAI"),
    # digits and signs
    ("75008", "75008"),
    ("n°12 bis", "N 12 BIS"),
    ("3ème étage ½", "3EME ETAGE 1 2"),
    ("B.P. 12 / C/O", "B P 12 C O"),
    # nothing left
    ("", ""),
    ("   ", ""),
    ("\t\u00a0\n", ""),
    ("-- ’ ' . / ,", ""),
    ("Москва", ""),  # no Latin letter: nothing to compare on
    (None, ""),
]
IDS = [repr(raw) for raw, _ in HARD_CASES]


def _macros():
    """The macro files as dbt reads them (normalised_text and the macros built on it, and the
    cross-engine ones they call), with dbt's `adapter.dispatch` and `return` for DuckDB."""
    class DuckDBAdapter:
        @staticmethod
        def dispatch(name: str):
            return getattr(module, f"default__{name}")

    environment = jinja2.Environment()
    environment.globals.update(adapter=DuckDBAdapter(), **{"return": lambda value: value})
    source = "".join((REPO_ROOT / "macros" / name).read_text(encoding="utf-8") for name in
                     ("cross_engine.sql", "derived_household_id.sql", "locality_key.sql"))
    module = environment.from_string(source).make_module()
    return environment, module


def render(expression: str) -> str:
    """A Jinja expression calling the project's macros, rendered to SQL."""
    environment, module = _macros()
    macros = {name: getattr(module, name) for name in dir(module) if not name.startswith("_")}
    return environment.from_string("{{ " + expression + " }}").render(**macros).strip()


@pytest.fixture(scope="module")
def conn() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(":memory:")
    register_rnvp_functions(connection)
    yield connection
    connection.close()


def run_macro(conn: duckdb.DuckDBPyConnection, expression: str, *values: str | None
              ) -> list[str | None]:
    """The rendered macro applied to each value by DuckDB (one row per value)."""
    conn.execute("create or replace temp table cases (i integer, value varchar)")
    conn.executemany("insert into cases values (?, ?)", list(enumerate(values)))
    rows = conn.execute(f"select {render(expression)} from cases order by i").fetchall()
    return [row[0] for row in rows]


@pytest.mark.parametrize(("raw", "expected"), HARD_CASES, ids=IDS)
def test_python_normalise_text(raw: str | None, expected: str) -> None:
    assert normalise_text(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), HARD_CASES, ids=IDS)
def test_sql_macro_agrees_with_python(conn: duckdb.DuckDBPyConnection, raw: str | None,
                                      expected: str) -> None:
    """normalised_text in SQL is normalise_text, with NULL where Python gives ''."""
    [sql] = run_macro(conn, "normalised_text('value')", raw)
    assert sql == (normalise_text(raw) or None)
    assert sql == (expected or None)


def test_sql_macro_agrees_on_all_cases_in_one_batch(conn: duckdb.DuckDBPyConnection) -> None:
    """The same cases as one column: the Arrow batch keeps rows in order and NULLs in place."""
    raws = [raw for raw, _ in HARD_CASES] * 3
    assert run_macro(conn, "normalised_text('value')", *raws) == [
        normalise_text(raw) or None for raw in raws]


def test_function_contract(conn: duckdb.DuckDBPyConnection) -> None:
    """SQL normalise_text: NULL for NULL and for nothing left; deterministic; what the macro calls."""
    assert conn.execute("select normalise_text(null)").fetchone() == (None,)
    assert conn.execute("select normalise_text('')").fetchone() == (None,)
    assert conn.execute("select normalise_text(' ’-')").fetchone() == (None,)
    assert conn.execute("select normalise_text('Cœur')").fetchone() == ("COEUR",)
    assert conn.execute("""
        select distinct stability from duckdb_functions() where function_name = 'normalise_text'
    """).fetchall() == [("CONSISTENT",)]
    assert render("normalised_text('x')") == "normalise_text(x)"


def test_normalise_text_is_idempotent() -> None:
    for raw, expected in HARD_CASES:
        assert normalise_text(expected) == expected, raw


@given(st.text())
def test_normalise_text_gives_only_words_of_a_z_and_digits(raw: str) -> None:
    """Whatever comes in: A-Z and digits, single spaces, nothing at the ends; stable."""
    text = normalise_text(raw)
    assert re.fullmatch(r"([A-Z0-9]+( [A-Z0-9]+)*)?", text)
    assert normalise_text(text) == text


@pytest.mark.parametrize(("raw", "expected"), [
    ("St-Étienne", "SAINT ETIENNE"),
    ("Ste  Foy-lès-Lyon", "SAINTE FOY LES LYON"),
    ("L’Haÿ-les-Roses", "L HAY LES ROSES"),
    ("Cœuvres-et-Valsery", "COEUVRES ET VALSERY"),
    ("ST", "SAINT"),
    ("’", None),
    (None, None),
])
def test_locality_key(conn: duckdb.DuckDBPyConnection, raw: str | None,
                      expected: str | None) -> None:
    assert run_macro(conn, "locality_key('value')", raw) == [expected]


def test_derived_household_id_ignores_how_the_name_is_written(
        conn: duckdb.DuckDBPyConnection) -> None:
    """The same household written two ways gets one id; a missing part gives none."""
    sql = render("derived_household_id('last_name', 'street', 'postal_code')")
    rows = conn.execute(f"""
        select {sql} from (values
            ('Lœwenbrück', '12 RUE DE L’ÉGLISE', '94240'),
            ('LOEWENBRUCK', '12 rue de l''Eglise', '94240'),
            ('Straße', '1 AV FOCH', '75016'),
            ('STRASSE', '1 av. Foch', '75016'),
            (null, '1 AV FOCH', '75016'),
            ('’', '1 AV FOCH', '75016')
        ) as t (last_name, street, postal_code)
    """).fetchall()
    ids = [row[0] for row in rows]
    assert ids[0] == ids[1] and ids[0].startswith("HD-") and len(ids[0]) == 19
    assert ids[2] == ids[3] != ids[0]
    assert ids[4] is None and ids[5] is None
