"""The official French postal code list, installed from the npm registry as a flat CSV.

The npm package `codes-postaux` (MIT, Base Adresse Nationale) ships the list as JSON, so a
fresh machine gets it from a registry it already reaches instead of a committed copy. The
tarball is downloaded with urllib (no npm needed), checked against the pinned sha512
integrity of the version, and its JSON list is converted in memory.

    python -m rnvp.postal_reference [--out data/reference/postal_codes.csv]

Proxies: urllib honours https_proxy / HTTPS_PROXY. Mirrors: set NPM_REGISTRY to the mirror's
base URL (default https://registry.npmjs.org).
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import http.client
import io
import json
import os
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

from orchestration.settings import REPO_ROOT, resolve_path

PACKAGE = "codes-postaux"
PACKAGE_VERSION = "4.1.2"
# dist.integrity from https://registry.npmjs.org/codes-postaux/<version>: a download that does
# not match is rejected, so a mirror or proxy cannot change the reference silently.
PINNED_INTEGRITY = {
    "4.1.2": "sha512-naSV2sect0t5YmX9GhQgvBD/eLGtdhbhMSEu2eYx7Gwd2zpzH2qY2CQI2r41zb5/"
    "97YOuIwLVbuHxA1TCDuIZA==",
}
DEFAULT_REGISTRY = "https://registry.npmjs.org"
# One entry per (postal code, commune); the package's other file, codes-postaux-full.json,
# goes down to the street and is not needed here.
JSON_MEMBER = "package/codes-postaux.json"
COLUMNS = ("postal_code", "commune_code", "commune_name", "routing_label", "line_5")
DEFAULT_OUT = REPO_ROOT / "data" / "reference" / "postal_codes.csv"
TIMEOUT_SECONDS = 120


class PostalReferenceError(RuntimeError):
    """The reference could not be installed; the message says from where and what to do."""


def tarball_url(version: str) -> str:
    """The registry's tarball address (npm's layout, which mirrors keep)."""
    registry = os.environ.get("NPM_REGISTRY") or DEFAULT_REGISTRY
    return f"{registry.rstrip('/')}/{PACKAGE}/-/{PACKAGE}-{version}.tgz"


def download(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return response.read()
    except (OSError, http.client.HTTPException) as error:
        raise PostalReferenceError(
            f"cannot download the French postal code list from {url} ({error}). This machine "
            "needs HTTPS access to the npm registry: behind a proxy set https_proxy / "
            "HTTPS_PROXY, or set NPM_REGISTRY to the base URL of an npm mirror, then run "
            "`python -m rnvp.postal_reference` again."
        ) from error


def verify_integrity(data: bytes, integrity: str, url: str) -> None:
    """Check `data` against an npm `sha512-<base64>` integrity string."""
    actual = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if actual != integrity:
        raise PostalReferenceError(
            f"{url} fails the integrity check (expected {integrity}, got {actual}): the download "
            "or the mirror (NPM_REGISTRY) is corrupt or altered. Retry, or check the proxy / "
            "mirror; change PINNED_INTEGRITY only when bumping the package version on purpose."
        )


def read_entries(tarball: bytes) -> list[dict[str, str]]:
    """The JSON list shipped in the package tarball, read without touching the disk."""
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        member = archive.extractfile(JSON_MEMBER)
        if member is None:
            raise PostalReferenceError(f"{JSON_MEMBER} in the {PACKAGE} tarball is not a file")
        return json.load(member)


def to_rows(entries: list[dict[str, str]]) -> list[tuple[str, ...]]:
    """Flat rows in COLUMNS order, values as shipped, sorted so the file is reproducible."""
    # The package ships no ligne 5 (La Poste's locality line): the column stays, empty, so
    # the CSV keeps the shape of La Poste's list.
    return sorted(
        (e["codePostal"], e["codeCommune"], e["nomCommune"], e["libelleAcheminement"], "")
        for e in entries
    )


def write_csv(rows: list[tuple[str, ...]], out_path: Path) -> None:
    """Write to a temporary file next to out_path, then rename: readers never see half a file."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out_path.parent, prefix=f".{out_path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(COLUMNS)
            writer.writerows(rows)
        os.chmod(tmp_name, 0o644)  # mkstemp creates 0600; the data is public
        os.replace(tmp_name, out_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def fetch_postal_reference(
    out_path: Path, *, version: str = PACKAGE_VERSION, force: bool = False
) -> Path:
    """Install the postal code list as CSV at out_path (kept as is when present, unless force)."""
    out_path = Path(out_path)
    if out_path.exists() and not force:
        return out_path
    if version not in PINNED_INTEGRITY:
        raise PostalReferenceError(
            f"no pinned integrity for {PACKAGE}@{version}: add its dist.integrity from "
            f"{DEFAULT_REGISTRY}/{PACKAGE}/{version} to PINNED_INTEGRITY"
        )
    url = tarball_url(version)
    tarball = download(url)
    verify_integrity(tarball, PINNED_INTEGRITY[version], url)
    write_csv(to_rows(read_entries(tarball)), out_path)
    return out_path


def main(argv: list[str] | None = None) -> int:
    """CLI: install the postal code reference CSV."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=resolve_path, default=DEFAULT_OUT, help="CSV to write (from the repo root)"
    )
    parser.add_argument("--force", action="store_true", help="download again if present")
    args = parser.parse_args(argv)
    if args.out.exists() and not args.force:
        print(f"{args.out} is already there (--force to download it again)")
        return 0
    started = time.monotonic()
    try:
        fetch_postal_reference(args.out, force=args.force)
    except PostalReferenceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({PACKAGE}@{PACKAGE_VERSION}) in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
