"""Tests of the postal code reference installer (rnvp/postal_reference.py).

Unit tests serve a tiny fake npm tarball from a local HTTP server (no network). The other
tests download the real package once per module from the npm registry, check its shape and
compare it with La Poste's list in ../shared when that folder is there.
"""

from __future__ import annotations

import base64
import csv
import functools
import hashlib
import io
import json
import re
import socket
import subprocess
import sys
import tarfile
import threading
import unicodedata
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from main_job import require_slow_marker

from rnvp import postal_reference
from rnvp.postal_reference import (
    COLUMNS,
    PostalReferenceError,
    fetch_postal_reference,
)

FAKE_VERSION = "0.0.0-test"
FAKE_ENTRIES = [
    {"codePostal": "75001", "codeCommune": "75101", "nomCommune": "Paris 1er Arrondissement",
     "libelleAcheminement": "PARIS"},
    {"codePostal": "01000", "codeCommune": "01344", "nomCommune": "Saint-Denis-lès-Bourg",
     "libelleAcheminement": "SAINT-DENIS-LES-BOURG"},
    {"codePostal": "01000", "codeCommune": "01053", "nomCommune": "Bourg-en-Bresse",
     "libelleAcheminement": "BOURG-EN-BRESSE"},
]
LA_POSTE_CSV = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "fr_postal"
    / "laposte_hexasmal_2025.csv"
)


def sri_sha512(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def fake_tarball() -> bytes:
    """An npm-style tarball; the street-level file is a decoy that must not be read."""
    files = {
        "package/package.json": json.dumps({"name": "codes-postaux", "version": FAKE_VERSION}),
        "package/codes-postaux-full.json": json.dumps([{"codePostal": "99999"}]),
        "package/codes-postaux.json": json.dumps(FAKE_ENTRIES, ensure_ascii=False),
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in files.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no request log in the test output
        pass


@pytest.fixture
def fake_registry(tmp_path, monkeypatch):
    """A local npm registry serving the fake tarball, pinned, and selected by NPM_REGISTRY."""
    tarball = fake_tarball()
    served = tmp_path / "registry" / "codes-postaux" / "-"
    served.mkdir(parents=True)
    (served / f"codes-postaux-{FAKE_VERSION}.tgz").write_bytes(tarball)
    handler = functools.partial(QuietHandler, directory=str(tmp_path / "registry"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("NPM_REGISTRY", f"http://127.0.0.1:{server.server_port}/")
    monkeypatch.setenv("no_proxy", "127.0.0.1")  # a CI proxy must not intercept local calls
    monkeypatch.setitem(postal_reference.PINNED_INTEGRITY, FAKE_VERSION, sri_sha512(tarball))
    yield
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_fake_tarball_becomes_a_sorted_csv(fake_registry, tmp_path):
    out = tmp_path / "reference" / "postal_codes.csv"
    assert fetch_postal_reference(out, version=FAKE_VERSION) == out
    assert out.read_text(encoding="utf-8").splitlines() == [
        ",".join(COLUMNS),
        "01000,01053,Bourg-en-Bresse,BOURG-EN-BRESSE,",
        "01000,01344,Saint-Denis-lès-Bourg,SAINT-DENIS-LES-BOURG,",
        "75001,75101,Paris 1er Arrondissement,PARIS,",
    ]
    assert [p.name for p in out.parent.iterdir()] == ["postal_codes.csv"]  # no temp file left


def test_failed_integrity_check_is_a_clear_error(fake_registry, tmp_path, monkeypatch):
    monkeypatch.setitem(postal_reference.PINNED_INTEGRITY, FAKE_VERSION, sri_sha512(b"other"))
    out = tmp_path / "reference" / "postal_codes.csv"
    with pytest.raises(PostalReferenceError, match=r"codes-postaux-0\.0\.0-test\.tgz fails the "
                       r"integrity check .*NPM_REGISTRY"):
        fetch_postal_reference(out, version=FAKE_VERSION)
    assert not out.parent.exists()


def test_unreachable_registry_names_the_url_and_the_proxy(tmp_path, monkeypatch):
    registry = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("NPM_REGISTRY", registry)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    with pytest.raises(PostalReferenceError) as caught:
        fetch_postal_reference(tmp_path / "postal_codes.csv")
    assert f"{registry}/codes-postaux/-/codes-postaux-4.1.2.tgz" in str(caught.value)
    assert "HTTPS_PROXY" in str(caught.value)


def test_existing_file_is_kept_unless_forced(fake_registry, tmp_path):
    out = tmp_path / "postal_codes.csv"
    out.write_text("kept\n", encoding="utf-8")
    fetch_postal_reference(out, version=FAKE_VERSION)
    assert out.read_text(encoding="utf-8") == "kept\n"
    fetch_postal_reference(out, version=FAKE_VERSION, force=True)
    assert out.read_text(encoding="utf-8").startswith(",".join(COLUMNS))


def test_unpinned_version_is_refused(tmp_path):
    with pytest.raises(PostalReferenceError, match="no pinned integrity for codes-postaux@9.9.9"):
        fetch_postal_reference(tmp_path / "postal_codes.csv", version="9.9.9")


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> list[dict[str, str]]:
    """The real reference, downloaded once for this module's tests."""
    out = fetch_postal_reference(tmp_path_factory.mktemp("postal") / "postal_codes.csv")
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == COLUMNS
        return list(reader)


def test_real_reference_shape(reference):
    assert len(reference) > 35_000
    keys = [(r["postal_code"], r["commune_code"]) for r in reference]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert all(re.fullmatch(r"\d{5}", r["postal_code"]) for r in reference)
    assert all(re.fullmatch(r"\d[\dAB]\d{3}", r["commune_code"]) for r in reference)
    pairs = {(r["postal_code"], r["routing_label"]) for r in reference}
    for known in [("75001", "PARIS"), ("13001", "MARSEILLE"), ("97400", "SAINT DENIS"),
                  ("20000", "AJACCIO"), ("20200", "BASTIA")]:
        assert known in pairs, known


def label_key(label: str) -> str:
    """Upper case, no accents, punctuation as spaces, single spaces."""
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^A-Z0-9]+", " ", ascii_label.upper()).split())


def expand_saint(key: str) -> str:
    """La Poste abbreviates SAINT/SAINTE to ST/STE (32-character lines); the package does not."""
    return " ".join({"ST": "SAINT", "STE": "SAINTE"}.get(word, word) for word in key.split())


def share(theirs: set, ours: set) -> float:
    return len(theirs & ours) / len(theirs)


def test_peer_check_against_la_poste(reference):
    if not LA_POSTE_CSV.exists():
        pytest.skip(f"La Poste's list is not at {LA_POSTE_CSV} (the ../shared folder is absent)")
    with LA_POSTE_CSV.open(encoding="utf-8", newline="") as handle:
        la_poste = list(csv.DictReader(handle, delimiter=";"))
    # The package covers INSEE communes (metropolitan France, overseas departments,
    # Saint-Pierre-et-Miquelon); La Poste adds Saint-Barthelemy, Saint-Martin, the Pacific
    # territories and Monaco, which are compared separately.
    in_scope = [r for r in la_poste
                if not r["Code_commune_INSEE"].startswith(("977", "978", "98", "99"))]
    ours_codes = {r["postal_code"] for r in reference}
    ours_pairs = {(r["postal_code"], label_key(r["routing_label"])) for r in reference}
    ours_expanded = {(code, expand_saint(label)) for code, label in ours_pairs}
    all_codes = {r["Code_postal"] for r in la_poste}
    codes = {r["Code_postal"] for r in in_scope}
    pairs = {(r["Code_postal"], label_key(r["Libellé_d_acheminement"])) for r in in_scope}
    expanded = {(code, expand_saint(label)) for code, label in pairs}
    figures = {
        "postal codes, all of La Poste": share(all_codes, ours_codes),
        "postal codes, communes in scope": share(codes, ours_codes),
        "(postal code, routing label), normalised": share(pairs, ours_pairs),
        "(postal code, routing label), ST/STE expanded": share(expanded, ours_expanded),
    }
    for name, value in figures.items():
        print(f"{name:48s} {value:7.2%}")
    print("La Poste postal codes missing (in scope):", sorted(codes - ours_codes))
    print("ours, not La Poste's:", sorted(ours_codes - all_codes))
    print("pairs missing, first 15:", sorted(expanded - ours_expanded)[:15])
    assert figures["postal codes, communes in scope"] >= 0.99
    assert figures["(postal code, routing label), ST/STE expanded"] >= 0.95


@pytest.mark.slow  # runs dbt
def test_a_missing_reference_stops_dbt_and_says_how_to_get_it(tmp_path):
    """register_reference_tables (on-run-start) names the file and the command that installs it."""
    require_slow_marker("runs dbt")
    missing = tmp_path / "reference" / "postal_codes.csv"
    # its own target and log folders: the project's are the user's and other tests'
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "run", "--no-use-colors",
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
         "--select", "stg_reference__postal_codes",
         "--vars", json.dumps({"postal_reference_csv": str(missing),
                               "warehouse_path": str(tmp_path / "warehouse.duckdb")})],
        cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=600,
        check=False)
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0
    assert f"The postal reference {missing} is missing: run `make setup`" in output, output[-3000:]
