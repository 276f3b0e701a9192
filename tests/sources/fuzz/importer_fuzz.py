"""Importer fuzzing: generated files from the fixtures' official layouts, each case classified.

Every ``pvd ... import*`` command that reads a file is listed in :data:`IMPORTERS` (15 readers
behind 7 commands: the 8 indicator kinds, COG, populations, centres and contours, laureates,
ORT, centrality, typologies). :func:`cases` derives deterministic cases from a fixture (seeded
by the importer's name): valid variants that must be accepted (blank lines, CRLF, BOM,
Latin-1, zip...) and mutations that must be refused with a clear error or, where the importer
reports row issues instead (laureates, ORT), accepted with the line reported.

:func:`run_case` runs the real command in-process (click's runner) inside a transaction rolled
back afterwards, so that every case starts from the same database, and classifies the outcome:
``traceback`` (an exception other than the command's exit), ``silent-accept`` (exit 0 where a
refusal or a report was due), ``valid-refused``, ``db-changed`` (a refusal that left the touched
tables different: row checksums), ``unclear`` (a refusal whose first line is not a one-line
French message naming the file, with the line when the case knows it). Used by
``test_importer_fuzz.py`` (a sample) and ``bench/fuzz_importers.py`` (the full run).
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import random
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "data"
ACCEPT, REFUSE, REPORT = "accept", "refuse", "report"
MB10 = 10 * 1024 * 1024


@dataclass(frozen=True)
class Importer:
    name: str
    argv: tuple[str, ...]  # the command; the file path is appended (FILE is replaced)
    fixture: str  # under tests/data
    tables: tuple[str, ...]  # "app.Model" whose rows a refusal must leave unchanged
    code: str = ""  # commune code column ("" for GeoJSON)
    bad_code: str = REFUSE  # or REPORT: the importer skips and reports the row
    numeric: tuple[str, ...] = ()  # counts: not negative
    signed: tuple[str, ...] = ()  # amounts that may be negative
    names: tuple[str, ...] = ()  # names stored
    dates: tuple[str, ...] = ()  # dates read (REPORT: reported as row issues)
    coords: tuple[str, str] | None = None
    row_issue: str = REFUSE  # how bad names/dates/coordinates are handled
    geojson: bool = False


def _ind(kind: str, fixture: str, numeric: tuple[str, ...], code="CODGEO", signed=()):
    return Importer(
        f"indicators-{kind}",
        # --confirmer: the session's database may hold a larger vintage of the same source
        # (tests/diagnostics' built portrait); the cases test the reading, not that guard.
        ("indicators", "import", kind, "FILE", "--confirmer"),
        fixture,
        ("diagnostics.SourceTable",),
        code=code,
        numeric=numeric,
        signed=signed,
    )


IMPORTERS: list[Importer] = [
    _ind("historique", "insee/base-cc-serie-historique-2022.CSV", ("P22_POP", "NAIS1621")),
    _ind("logement", "insee/base-cc-logement-2021.CSV", ("P21_LOG", "P21_LOGVAC")),
    _ind("ages", "insee/base-cc-evol-struct-pop-2021.CSV", ("P21_POP", "P21_POP75P")),
    _ind("emploi", "insee/base-cc-emploi-pop-active-2021.CSV", ("P21_ACT1564", "P21_CHOM1564")),
    _ind("filosofi", "insee/cc_filosofi_2021_COM.csv", ("MED21", "TP6021")),
    _ind("bpe", "bpe/bpe24_une_ligne_par_equipement.csv", (), code="DEPCOM"),
    _ind("naf", "cerema/obs_artif_conso_com_2009_2023.csv", ("naf09art10",), code="idcom"),
    _ind("finances", "dgfip/comptes-individuels-des-communes.csv", ("pop1",), code=""),
    Importer(
        "cog",
        ("data", "import-cog", "FILE"),
        "cog/v_commune_2026.csv",
        ("territories.Commune", "territories.Departement", "territories.Region"),
        code="COM",
        names=("LIBELLE",),
    ),
    Importer(
        "population",
        ("data", "import-population", "FILE", "--millesime", "2023"),
        "population/donnees_communes.csv",
        ("territories.Population", "territories.Commune"),
        code="COM",
        numeric=("PMUN",),
    ),
    Importer(
        "geo-centres",
        ("data", "import-geo", "FILE"),
        "geo/communes-centroides.csv",
        ("territories.GeoFeature",),
        code="insee",
        names=("name",),
        coords=("lon", "lat"),
    ),
    Importer(
        "geo-contours",
        ("data", "import-geo", "FILE"),
        "geo/polygone-4326_dep.geojson",
        ("territories.GeoFeature",),
        geojson=True,
    ),
    Importer(
        "laureates",
        ("programme", "import-laureates", "FILE"),
        "programme/pvd-datagouv.csv",
        ("programme.Laureat", "programme.Groupe", "programme.Changement"),
        code="insee_com",
        bad_code=REPORT,
        names=("lib_com",),
        dates=("date_signature",),
        row_issue=REPORT,
    ),
    Importer(
        "ort",
        ("programme", "import-ort", "FILE"),
        "programme/ort.csv",
        ("programme.Ort", "programme.Laureat", "programme.Changement"),
        code="Code commune",
        bad_code=REPORT,
        names=("Commune",),
        dates=("Si signée, date de signature",),
        coords=("longitude", "latitude"),
        row_issue=REPORT,
    ),
    Importer(
        "centralite",
        ("selection", "import-centralite", "FILE"),
        "selection/centralite.csv",
        ("selection.Centralite",),
        code="insee_com",
    ),
    Importer(
        "typologie",
        ("selection", "import-territoires", "FILE"),
        "selection/densite.csv",
        ("selection.Typologie",),
        code="insee_com",
    ),
]
BY_NAME = {i.name: i for i in IMPORTERS}


@dataclass
class Case:
    importer: str
    number: int
    family: str
    expect: str  # ACCEPT, REFUSE or REPORT
    content: bytes | None = None  # None: a directory is given instead of a file
    suffix: str = ""  # e.g. ".zip"
    line: int | None = None  # the line the message must name, when known
    fault: str = ""  # "enospc" or "readonly": writes to the database fail


# --- CSV helpers -----------------------------------------------------------------------------


def _split(raw: bytes) -> tuple[str, list[list[str]], bool]:
    text = raw.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    sep = max((";", ",", "\t"), key=first.count)
    rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=sep) if r]
    return sep, rows, raw.startswith(b"\xef\xbb\xbf")


def _join(sep: str, rows: list[list[str]], bom: bool) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\n").writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def _col(rows: list[list[str]], name: str) -> int | None:
    header = [h.strip().lower() for h in rows[0]]
    return header.index(name.lower()) if name.lower() in header else None


BAD_NUMBERS = [
    "inf", "-inf", "Infinity", "1e309", "-1e309", "1e5", "NaN", "1_000", "１２３", "١٢٣",
    "12abc", "0x1F", "--5", "9" * 400,
]  # fmt: skip
BAD_COUNTS = ["-5", "-0.5", "-1 000"]
BAD_CODES = ["", " ", "ABCDE", "1e309", "0100", "010011", "\x1b[31m01001", "０１００１"]
BAD_NAMES = ["\x1b[2JParis", "Nom\x07", "A\x1b]0;titre\x07B", "X\x00Y", "\x9b31mZ", "N" * 300]
BAD_DATES = ["0001-01-01", "9999-12-31", "31/12/1899", "2150-01-01"]
BAD_COORDS = [("200.0", "45.0"), ("2.0", "-95.0"), ("-30.0", "45.0"), ("2.35", "60.0"),
              ("inf", "45.0"), ("nan", "45.0"), ("1e309", "45.0")]  # fmt: skip


def _csv_cases(imp: Importer, raw: bytes, rng: random.Random) -> list[Case]:
    sep, rows, bom = _split(raw)
    data_rows = len(rows) - 1
    out: list[Case] = []

    def add(family, expect, content, line=None, **kw):
        out.append(Case(imp.name, 0, family, expect, content, line=line, **kw))

    def inject(column: str, value: str, family: str, expect: str):
        i = _col(rows, column)
        if i is None:
            return
        r = rng.randrange(1, len(rows))
        new = [list(x) for x in rows]
        huge = len(value) > 1000  # spliced in afterwards: the csv writer is slow on 10 MB
        new[r][i] = "HUGEFIELDTOKEN" if huge else value
        content = _join(sep, new, bom)
        if huge:
            content = content.replace(b"HUGEFIELDTOKEN", value.encode())
        add(family, expect, content, line=r + 1)

    body = raw.replace(b"\r\n", b"\n").rstrip(b"\n")
    # Valid variants.
    add("identity", ACCEPT, raw)
    add("blank-lines", ACCEPT, body + b"\n" * rng.randint(2, 4))
    add("crlf", ACCEPT, body.replace(b"\n", b"\r\n") + b"\r\n")
    lines = body.split(b"\n")
    add("mixed-crlf", ACCEPT, b"".join(x + rng.choice([b"\n", b"\r\n"]) for x in lines))
    add("bom", ACCEPT, body if body.startswith(b"\xef\xbb\xbf") else b"\xef\xbb\xbf" + body)
    try:
        latin = body.decode("utf-8-sig").encode("cp1252")
        add("latin-1", ACCEPT, latin)
    except UnicodeEncodeError:
        pass
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(Path(imp.fixture).with_suffix(".csv").name, raw)
    add("zip", ACCEPT, buf.getvalue(), suffix=".zip")
    # Refusals of the whole file.
    add("empty", REFUSE, b"")
    add("header-only", REFUSE, lines[0] + b"\n")
    add("directory", REFUSE, None)
    add("corrupt-zip", REFUSE, buf.getvalue()[: rng.randint(30, len(buf.getvalue()) - 10)],
        suffix=".zip")  # fmt: skip
    add("binary", REFUSE, bytes(rng.randrange(256) for _ in range(rng.randint(1, 3000))))
    add("garbage-line", REFUSE, body + b"\n" + b"\x00\xff\xfe garbage \x1b[2J" * 3 + b"\n",
        line=len(lines) + 1)  # fmt: skip
    if any(b > 127 for b in body.removeprefix(b"\xef\xbb\xbf")):
        latin = body.decode("utf-8-sig").encode("cp1252", errors="replace")
        add("bom-latin-1", REFUSE, b"\xef\xbb\xbf" + latin.lstrip(b"\xef\xbb\xbf"))
    last = lines[-1]
    cut_at = last.find(sep.encode())
    if cut_at > 0 and data_rows > 1:
        add("truncated", REFUSE, b"\n".join(lines[:-1]) + b"\n" + last[:cut_at],
            line=len(lines))  # fmt: skip
    for column in filter(None, (imp.code, *imp.numeric[:1], *imp.names[:1])):
        i = _col(rows, column)
        if i is None:
            continue
        if column == imp.code:  # other columns may have a substitute (another year...)
            dropped = [[v for j, v in enumerate(r) if j != i] for r in rows]
            add("drop-column", REFUSE, _join(sep, dropped, bom), line=1)
        duplicated = [r[: i + 1] + [r[i]] + r[i + 1 :] for r in rows]
        add("duplicate-column", REFUSE, _join(sep, duplicated, bom), line=1)
    if faults_apply(imp):
        add("fault-enospc", REFUSE, raw, fault="enospc")
        add("fault-readonly", REFUSE, raw, fault="readonly")
    # Values injected into one row (the bulk of the cases, drawn at random).
    injections: list[Callable[[], None]] = []
    if imp.code:
        injections += [lambda v=v: inject(imp.code, v, "bad-code", imp.bad_code) for v in BAD_CODES]
    for column in (*imp.numeric, *imp.signed):
        injections += [
            lambda c=column, v=v: inject(c, v, "bad-number", REFUSE) for v in BAD_NUMBERS
        ]
    for column in imp.numeric:
        injections += [
            lambda c=column, v=v: inject(c, v, "negative-count", REFUSE) for v in BAD_COUNTS
        ]
    for column in imp.names:
        injections += [
            lambda c=column, v=v: inject(c, v, "bad-name", imp.row_issue) for v in BAD_NAMES
        ]
    for column in imp.dates:
        injections += [
            lambda c=column, v=v: inject(c, v, "bad-date", imp.row_issue) for v in BAD_DATES
        ]
    if imp.coords:

        def bad_coords(lon_lat):
            i, j = _col(rows, imp.coords[0]), _col(rows, imp.coords[1])
            r = rng.randrange(1, len(rows))
            new = [list(x) for x in rows]
            new[r][i], new[r][j] = lon_lat
            add("bad-coordinates", imp.row_issue, _join(sep, new, bom), line=r + 1)

        injections += [lambda v=v: bad_coords(v) for v in BAD_COORDS]
    read = [c for c in (imp.code, *imp.numeric, *imp.names) if c]
    injections += [lambda c=c: inject(c, "7" * MB10, "huge-field", REFUSE) for c in read[:2]]
    while len(out) < 200 and injections:
        rng.choice(injections)()
    return out


def faults_apply(imp: Importer) -> bool:
    return True


def _geojson_cases(imp: Importer, raw: bytes, rng: random.Random) -> list[Case]:
    data = json.loads(raw)
    out: list[Case] = []

    def add(family, expect, content, **kw):
        out.append(Case(imp.name, 0, family, expect, content, **kw))

    def dump(d) -> bytes:
        return json.dumps(d, ensure_ascii=False, allow_nan=True).encode()

    add("identity", ACCEPT, raw)
    add("indented", ACCEPT, json.dumps(data, indent=2).replace("\n", "\r\n").encode())
    add("bom", ACCEPT, b"\xef\xbb\xbf" + raw + b"\n\n")
    add("empty", REFUSE, b"")
    add("directory", REFUSE, None)
    add("fault-enospc", REFUSE, raw, fault="enospc")
    add("fault-readonly", REFUSE, raw, fault="readonly")

    def feature_mutation(fn, family):
        def go():
            d = json.loads(raw)
            f = rng.randrange(len(d["features"]))
            fn(d, d["features"], f)
            add(family, REFUSE, dump(d))

        return go

    def set_prop(value):
        return lambda d, fs, f: fs[f]["properties"].__setitem__("insee_dep", value)

    def set_name(value):
        return lambda d, fs, f: fs[f]["properties"].__setitem__("lib_dep", value)

    def set_point(value):
        def fn(d, fs, f):
            ring = fs[f]["geometry"]["coordinates"][0]
            ring[rng.randrange(len(ring))] = value

        return fn

    def set_geometry(value):
        return lambda d, fs, f: fs[f].__setitem__("geometry", value)

    def set_feature(value):
        return lambda d, fs, f: fs.__setitem__(f, value)

    mutations = [
        feature_mutation(set_prop(v), "bad-code") for v in ("", "999", None, 150, "\x1b[2J")
    ]
    mutations += [feature_mutation(set_name(v), "bad-name") for v in BAD_NAMES]
    mutations += [
        feature_mutation(set_point(v), "bad-coordinates")
        for v in ([200.0, 45.0], [2.0, float("nan")], [float("inf"), 45.0], ["2", "45"], [2.0],
                  [], None, [[2.0, 45.0]], [-30.0, 45.0])
    ]  # fmt: skip
    mutations += [
        feature_mutation(set_geometry(v), "bad-geometry")
        for v in (None, [], "Polygon", {"type": "Point", "coordinates": [2.0, 45.0]},
                  {"type": "Polygon"}, {"type": "Polygon", "coordinates": 5},
                  {"type": "MultiPolygon", "coordinates": [[[]]]},
                  {"type": "Polygon", "coordinates": [[[2.0, 45.0, 1.0, "x"]]]})
    ]  # fmt: skip
    mutations += [feature_mutation(set_feature(v), "bad-feature") for v in (None, "x", 5, [], {})]
    whole = [
        (b"[]", "not-collection"), (b"{}", "not-collection"), (b"null", "not-collection"),
        (b'{"type": "FeatureCollection", "features": 5}', "bad-features"),
        (b'{"type": "FeatureCollection", "features": {"a": 1}}', "bad-features"),
        (b'{"type": "FeatureCollection", "features": []}', "no-feature"),
        (b"\xff\xfe{}", "bad-encoding"),
    ]  # fmt: skip
    for content, family in whole:
        add(family, REFUSE, content)

    def truncate():
        add("truncated", REFUSE, raw[: rng.randrange(1, len(raw) - 1)])

    def garbage():
        add("binary", REFUSE, b"{" + bytes(rng.randrange(256) for _ in range(rng.randint(1, 500))))

    def huge():
        d = json.loads(raw)
        d["features"][0]["properties"]["lib_dep"] = "N" * MB10
        add("huge-field", REFUSE, dump(d))

    mutations += [truncate, truncate, truncate, garbage, huge]
    while len(out) < 200:
        rng.choice(mutations)()
    return out


def cases(imp: Importer, count: int = 200) -> list[Case]:
    rng = random.Random(f"pvd-fuzz-{imp.name}")
    raw = (DATA / imp.fixture).read_bytes()
    made = (_geojson_cases if imp.geojson else _csv_cases)(imp, raw, rng)[:count]
    for n, case in enumerate(made):
        case.number = n
    return made


def sample(imp: Importer, size: int = 15) -> list[Case]:
    """Every family's first case, then an even spread of the others, ``size`` in all."""
    every = cases(imp)
    firsts = {c.family: c for c in reversed(every)}
    picked = sorted(firsts.values(), key=lambda c: c.number)[:size]
    rest = [c for c in every if c not in picked]
    step = max(1, len(rest) // max(1, size - len(picked)))
    return sorted(picked + rest[::step][: size - len(picked)], key=lambda c: c.number)


# --- Running a case --------------------------------------------------------------------------


def checksum(tables: tuple[str, ...], exact: bool = True) -> str:
    """Digest of the rows of ``tables``: every row (``exact``, the bench) or, faster (the CI
    sample), per table the row count, the sums of its numeric columns and the total length of
    its text columns, computed by the database."""
    from django.apps import apps
    from django.db import connection, models

    digest = hashlib.sha256()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for label in tables:
            model = apps.get_model(label)
            table = quote(model._meta.db_table)
            if exact:
                cursor.execute(f"SELECT * FROM {table} ORDER BY {quote(model._meta.pk.column)}")
            else:
                parts = ["COUNT(*)"]
                for f in model._meta.concrete_fields:
                    column = quote(f.column)
                    if isinstance(f, models.IntegerField | models.FloatField | models.DecimalField):
                        parts.append(f"SUM({column})")
                    elif isinstance(f, models.CharField | models.TextField | models.DateField):
                        parts.append(f"SUM(LENGTH({column}))")
                cursor.execute(f"SELECT {', '.join(parts)} FROM {table}")
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
    return digest.hexdigest()


@dataclass
class Outcome:
    case: Case
    verdict: str  # "ok" or one of VERDICTS
    detail: str = ""
    seconds: float = 0.0


VERDICTS = ("traceback", "silent-accept", "valid-refused", "db-changed", "unclear")
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _write(case: Case, imp: Importer, folder: Path) -> Path:
    name = Path(imp.fixture).name
    if case.suffix:
        name = Path(name).with_suffix(case.suffix).name
    path = folder / name
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    if case.content is None:
        path.mkdir()
    else:
        path.write_bytes(case.content)
    return path


class _Fault:
    """Database writes fail as on a full disk or a read-only data directory."""

    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE", "REPLACE"):
            if self.kind == "enospc":
                raise OSError(errno.ENOSPC, "No space left on device")
            from django.db import OperationalError

            raise OperationalError("attempt to write a readonly database")
        return execute(sql, params, many, context)


def run_case(case: Case, folder: Path, baseline: dict[str, str], *, exact: bool = True) -> Outcome:
    import time

    from click.testing import CliRunner
    from django.db import connection, transaction

    from pvd import cli

    imp = BY_NAME[case.importer]
    path = _write(case, imp, folder)
    argv = [str(path) if a == "FILE" else a for a in imp.argv]
    start = time.perf_counter()
    with transaction.atomic():
        if imp.name not in baseline:
            baseline[imp.name] = checksum(imp.tables, exact)
        if case.fault:
            with connection.execute_wrapper(_Fault(case.fault)):
                result = CliRunner().invoke(cli.main, argv)
        else:
            result = CliRunner().invoke(cli.main, argv)
        refused = result.exit_code != 0
        changed = refused and checksum(imp.tables, exact) != baseline[imp.name]
        transaction.set_rollback(True)
    seconds = time.perf_counter() - start
    stderr, stdout = result.stderr, result.stdout

    def out(verdict, detail=""):
        return Outcome(case, verdict, detail[:300], seconds)

    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return out("traceback", f"{type(result.exception).__name__}: {result.exception}")
    if changed:
        return out("db-changed", stderr)
    if case.expect == ACCEPT:
        return out("ok") if not refused else out("valid-refused", stderr)
    if case.expect == REPORT and not refused:
        if case.line is None or f"ligne {case.line}" in stdout:
            return out("ok")
        return out("silent-accept", stdout[-300:])
    if not refused:
        return out("silent-accept", stdout[-300:])
    first = stderr.split("\n", 1)[0]
    if result.exit_code != 1 or not first.startswith("Erreur : "):
        return out("unclear", stderr)
    if path.name not in first or len(first) > 1500 or CONTROL.search(stderr):
        return out("unclear", repr(stderr[:300]))
    if case.line is not None and f"ligne {case.line}" not in stderr:
        return out("unclear", f"ligne {case.line} absente : {stderr}")
    return out("ok")


@dataclass
class Tally:
    cases: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))
    failures: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.cases += 1
        self.seconds += outcome.seconds
        if outcome.verdict != "ok":
            self.counts[outcome.verdict] += 1
            self.failures.append(outcome)
