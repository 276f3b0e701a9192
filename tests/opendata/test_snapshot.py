"""The committed open-data snapshot (src/pvd/data/opendata): manifest, checksums, size budget,
the geometry contract read by the maps, and its reproducibility from the shared folder.

Only the reproducibility test needs the shared folder; the others read the committed files."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import pytest
from shapely.geometry import shape

from pvd.opendata.manifest import OPENDATA_DIR, PRODUCTS, read_manifest

ROOT = Path(__file__).resolve().parents[2]
BUDGET = 25 * 1024 * 1024
CONTRACT_KEYS = {"file", "sha256", "rows", "title", "publisher", "vintage", "licence", "url"}
GEO_FILES = [
    "geo/departements-dessin.geojson.gz",
    "geo/regions-dessin.geojson.gz",
    "geo/epci-dessin.geojson.gz",
    "geo/departements.geojson.gz",
    "geo/regions.geojson.gz",
    "geo/epci.geojson.gz",
]


def _features(name: str) -> list[dict]:
    return json.loads(gzip.decompress((OPENDATA_DIR / name).read_bytes()))["features"]


def _build_module():
    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location(
        "build_opendata", ROOT / "scripts/build_opendata.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_manifest_lists_every_file_with_its_checksum_and_provenance():
    manifest = read_manifest()
    on_disk = {p.relative_to(OPENDATA_DIR).as_posix() for p in OPENDATA_DIR.rglob("*.gz")}
    assert set(manifest) == on_disk
    assert {p.file for p in PRODUCTS} <= on_disk
    for name, entry in manifest.items():
        assert CONTRACT_KEYS <= set(entry), name
        raw = (OPENDATA_DIR / name).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == entry["sha256"], name
        assert entry["inputs"] and all(len(i["sha256"]) == 64 for i in entry["inputs"])
        assert raw[4:8] == b"\0\0\0\0", f"{name}: gzip mtime must be 0"
        text = gzip.decompress(raw).decode("utf-8")
        assert "\r" not in text, name
        if name.endswith(".csv.gz"):
            assert len(text.splitlines()) - 1 == entry["rows"], name


def test_size_budget():
    total = sum(p.stat().st_size for p in OPENDATA_DIR.rglob("*") if p.is_file())
    assert total <= BUDGET, f"{total} octets > {BUDGET}"


def test_rebased_inputs_report_their_moves():
    manifest = read_manifest()
    bpe = manifest["bpe/bpe13_ensemble.csv.gz"]["rebase"]
    # 2013 codes of communes merged since land on their current commune, Paris's
    # arrondissements (BPE lists them instead of the city) on Paris.
    assert bpe["moved"]["75101"] == "75056"
    assert len(bpe["moved"]) > 1000
    filo = manifest["insee/filosofi-2021-communes-med.csv.gz"]["rebase"]
    assert filo["dropped_non_additive"] > 0  # medians of merged communes are not averaged
    text = gzip.decompress((OPENDATA_DIR / "bpe/bpe13_ensemble.csv.gz").read_bytes()).decode()
    assert text.startswith("DEP;DEPCOM;AN;TYPEQU;NB_EQUIP\n")
    codes = [line.split(";")[1] for line in text.splitlines()[1:]]
    assert codes == sorted(codes) and "75101" not in set(codes)


@pytest.mark.parametrize("name", GEO_FILES)
def test_geometry_contract(name):
    features = _features(name)
    codes = [f["properties"]["code"] for f in features]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    for f in features:
        assert set(f["properties"]) == {"code", "nom"}
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        polygons = (
            [f["geometry"]["coordinates"]]
            if f["geometry"]["type"] == "Polygon"
            else f["geometry"]["coordinates"]
        )
        for ring in (r for p in polygons for r in p):
            assert len(ring) >= 4 and ring[0] == ring[-1]
            assert all(round(x, 4) == x and round(y, 4) == y for x, y in ring)
    expected = {"departements": 101, "regions": 18}
    level = name.split("/")[1].split("-")[0].split(".")[0]
    if level in expected:
        assert len(features) == expected[level]
        assert {"2A", "971", "976"} <= set(codes) or level == "regions"


def test_true_contours_are_geographic_and_epci_lie_in_their_department():
    departements = {
        f["properties"]["code"]: shape(f["geometry"])
        for f in _features("geo/departements.geojson.gz")
    }
    # Overseas departments where they are, not next to mainland France.
    assert (
        -62 < departements["971"].centroid.x < -61 and 15.8 < departements["971"].centroid.y < 16.6
    )
    assert 55 < departements["974"].centroid.x < 56
    drawn = {
        f["properties"]["code"]: shape(f["geometry"])
        for f in _features("geo/departements-dessin.geojson.gz")
    }
    assert -6 < drawn["971"].centroid.x < 0  # the drawing inset
    style1 = {f["properties"]["code"]: f for f in _features("geo/epci-dessin.geojson.gz")}
    epci = _features("geo/epci.geojson.gz")
    assert len(epci) == len(style1) == 1255  # one feature per EPCI (parts by department merged)
    outside = []
    for f in epci:
        point = shape(f["geometry"]).representative_point()
        if not any(d.buffer(0.02).contains(point) for d in departements.values()):
            outside.append(f["properties"]["code"])
    assert outside == []
    # The overseas EPCI were moved back: Marie-Galante (971) is in Guadeloupe.
    marie_galante = next(f for f in epci if f["properties"]["code"] == "249710047")
    assert (
        departements["971"]
        .buffer(0.02)
        .contains(shape(marie_galante["geometry"]).representative_point())
    )


def test_commune_centres_are_current_communes():
    text = gzip.decompress((OPENDATA_DIR / "geo/communes-centres.csv.gz").read_bytes()).decode()
    lines = text.splitlines()
    assert lines[0] == "code,lon,lat"
    rows = [line.split(",") for line in lines[1:]]
    assert len(rows) == 34969
    assert all(len(lon.split(".")[1]) == 5 and len(lat.split(".")[1]) == 5 for _, lon, lat in rows)
    assert "75101" not in {r[0] for r in rows}  # arrondissements dropped, counted
    entry = read_manifest()["geo/communes-centres.csv.gz"]
    assert entry["skipped"] == {"arrondissement municipal": 45}


def test_rebuild_gives_the_same_bytes(shared_data, tmp_path):
    """What `scripts/build_opendata.py --check` (run by CI) does: rebuild, compare bytes."""
    build = _build_module()
    build.build(shared_data, tmp_path)
    assert build.differences(tmp_path, OPENDATA_DIR) == []
    (tmp_path / "programmes/acv.csv.gz").write_bytes(b"autre")
    assert build.differences(tmp_path, OPENDATA_DIR) == ["programmes/acv.csv.gz"]
