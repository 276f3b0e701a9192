"""Download a file of the catalogue into the cache: resumable, checked, and quick to give up.

Contract
- Target: ``<cache>/<name>/<filename>``; while downloading, ``<filename>.part`` (and
  ``<filename>.part.json`` with the server's ETag / Last-Modified, so that a resumed download is
  refused by the server, via If-Range, when the file changed meanwhile).
- Resume: a ``.part`` left by an interrupted run is continued with ``Range: bytes=N-`` when the
  server answers 206; a server that ignores ranges (200) makes the download start again.
- Check: when the catalogue gives a SHA-256, the file must match it (else the download is deleted
  and the command fails); otherwise the digest is computed and recorded. Either way a sidecar
  ``<filename>.json`` records URL, size, SHA-256, date and whether the digest was verified.
- No network: a failed name resolution, a refused connection or a connect timeout (5 s by
  default, name resolution included) fails at once, without retries, with the address to
  download by hand, where to put the file and which command reads it.
"""

from __future__ import annotations

import hashlib
import json
import socket
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from tqdm import tqdm

from pvd.sources.catalogue import Source

CONNECT_TIMEOUT = 5.0  # seconds; also bounds name resolution
READ_TIMEOUT = 60.0  # seconds without receiving a byte
USER_AGENT = "pvd/0.1 (plateforme Petites villes de demain)"


class FetchError(Exception):
    """A download that failed; the message (French) says what to do."""


class OfflineError(FetchError):
    """The server could not be reached at all (no network, DNS failure, connect timeout)."""


class ChecksumError(FetchError):
    """The downloaded bytes differ from the catalogue's SHA-256."""


@dataclass(frozen=True)
class FetchResult:
    source: Source
    path: Path
    sha256: str
    size: int
    status: str  # "downloaded", "resumed" or "cached"
    verified: bool  # True when checked against the catalogue's digest


def target_path(source: Source, cache_dir: Path) -> Path:
    return Path(cache_dir) / source.name / source.filename


def manual_hint(source: Source, target: Path) -> str:
    where = source.url or f"{source.page} (adresse directe du fichier non confirmée)"
    return (
        f"Téléchargez le fichier à la main :\n  {where}\n"
        f"placez-le ici :\n  {target}\n"
        f"puis lisez-le avec :\n  {source.import_hint(str(target))}"
    )


def _resolve(host: str, port: int, timeout: float) -> None:
    """Resolve ``host`` within ``timeout`` seconds (getaddrinfo itself has no timeout)."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            outcome.append(None)
        except OSError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        raise httpx.ConnectTimeout(f"résolution du nom {host} : pas de réponse en {timeout:g} s")
    if outcome[0] is not None:
        raise httpx.ConnectError(str(outcome[0]))


class _BoundedResolutionTransport(httpx.HTTPTransport):
    """HTTP transport whose name resolution is bounded by the connect timeout."""

    def __init__(self, *, resolve_timeout: float, **kwargs):
        super().__init__(**kwargs)
        self._resolve_timeout = resolve_timeout
        self._resolved: set[str] = set()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if host not in self._resolved:
            _resolve(host, request.url.port or 443, self._resolve_timeout)
            self._resolved.add(host)
        return super().handle_request(request)


def make_client(
    *, connect_timeout: float = CONNECT_TIMEOUT, read_timeout: float = READ_TIMEOUT
) -> httpx.Client:
    """The client used by `pvd data fetch`: short connect timeout, no retries, redirects followed."""
    return httpx.Client(
        timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
        follow_redirects=True,
        transport=_BoundedResolutionTransport(resolve_timeout=connect_timeout, retries=0),
        headers={"User-Agent": USER_AGENT},
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def fetch(
    source: Source,
    *,
    cache_dir: Path,
    force: bool = False,
    client: httpx.Client | None = None,
    progress: bool = True,
) -> FetchResult:
    """Download ``source`` into the cache (see module docstring). Raises FetchError."""
    target = target_path(source, cache_dir)
    part = target.with_name(target.name + ".part")
    part_meta = target.with_name(target.name + ".part.json")
    sidecar = target.with_name(target.name + ".json")
    if source.url is None:
        raise FetchError(
            f"« {source.name} » n'a pas d'adresse de fichier confirmée dans le catalogue.\n"
            + manual_hint(source, target)
        )
    if force:
        for path in (target, part, part_meta, sidecar):
            path.unlink(missing_ok=True)
    elif target.exists():
        digest = _sha256(target)
        if source.sha256 is None or digest == source.sha256:
            return FetchResult(
                source,
                target,
                digest,
                target.stat().st_size,
                "cached",
                verified=source.sha256 is not None,
            )
        target.unlink()  # a cached copy that no longer matches the catalogue: fetch it again
    target.parent.mkdir(parents=True, exist_ok=True)

    owns_client = client is None
    client = client or make_client()
    try:
        status, info = _download(source, client, part, part_meta, progress=progress)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.ProxyError) as exc:
        host = httpx.URL(source.url).host
        raise OfflineError(
            f"pas de réseau : impossible de joindre {host} ({exc or type(exc).__name__}).\n"
            + manual_hint(source, target)
        ) from exc
    except httpx.TransportError as exc:
        kept = part.stat().st_size if part.exists() else 0
        raise FetchError(
            f"téléchargement de « {source.name} » interrompu ({exc or type(exc).__name__}) ; "
            f"{kept} octets gardés dans {part.name} : relancez la commande pour reprendre.\n"
            + manual_hint(source, target)
        ) from exc
    finally:
        if owns_client:
            client.close()

    digest = _sha256(part)
    if source.sha256 is not None and digest != source.sha256:
        part.unlink(missing_ok=True)
        part_meta.unlink(missing_ok=True)
        raise ChecksumError(
            f"somme de contrôle SHA-256 différente pour « {source.name} » : attendue "
            f"{source.sha256}, obtenue {digest}. Le fichier téléchargé a été supprimé.\n"
            + manual_hint(source, target)
        )
    part.replace(target)
    part_meta.unlink(missing_ok=True)
    size = target.stat().st_size
    sidecar.write_text(
        json.dumps(
            {
                "name": source.name,
                "url": source.url,
                "final_url": info.get("final_url", source.url),
                "size": size,
                "sha256": digest,
                "verified": source.sha256 is not None,
                "etag": info.get("etag", ""),
                "last_modified": info.get("last_modified", ""),
                "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )
    return FetchResult(source, target, digest, size, status, verified=source.sha256 is not None)


def _download(
    source: Source, client: httpx.Client, part: Path, part_meta: Path, *, progress: bool
) -> tuple[str, dict]:
    """Fill ``part`` with the whole file; returns (status, response info)."""
    assert source.url is not None
    for _attempt in range(2):  # the second attempt only after a refused or inconsistent resume
        offset = part.stat().st_size if part.exists() else 0
        # Identity encoding: byte offsets of a resumed download must be those of the file itself.
        headers = {"Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
            validator = _read_json(part_meta)
            if validator.get("etag") or validator.get("last_modified"):
                headers["If-Range"] = validator.get("etag") or validator["last_modified"]
        with client.stream("GET", source.url, headers=headers) as response:
            info = {
                "final_url": str(response.url),
                "etag": response.headers.get("ETag", ""),
                "last_modified": response.headers.get("Last-Modified", ""),
            }
            if response.status_code == 416 and offset:
                total = response.headers.get("Content-Range", "").rpartition("/")[2]
                if total.isdigit() and int(total) == offset:
                    return "resumed", _read_json(part_meta) | {"final_url": str(response.url)}
                part.unlink(missing_ok=True)  # the partial file does not fit: start again
                continue
            if response.status_code == 206 and offset:
                start = response.headers.get("Content-Range", "").removeprefix("bytes ")
                if not start.startswith(f"{offset}-"):
                    part.unlink(missing_ok=True)
                    continue
                mode, status = "ab", "resumed"
            elif response.status_code == 200:
                offset, mode, status = 0, "wb", "downloaded"
            else:
                raise FetchError(
                    f"le serveur a répondu {response.status_code} pour {source.url}.\n"
                    + manual_hint(source, part.with_name(part.name.removesuffix(".part")))
                )
            part_meta.write_text(json.dumps({k: info[k] for k in ("etag", "last_modified")}))
            length = response.headers.get("Content-Length")
            total = offset + int(length) if length and length.isdigit() else None
            with (
                part.open(mode) as out,
                tqdm(
                    total=total,
                    initial=offset,
                    unit="o",
                    unit_scale=True,
                    unit_divisor=1024,
                    desc=source.filename,
                    file=sys.stderr,
                    disable=not progress,
                    leave=False,
                ) as bar,
            ):
                for chunk in response.iter_bytes():
                    out.write(chunk)
                    bar.update(len(chunk))
            return status, info
    raise FetchError(f"reprise du téléchargement impossible pour {source.url}")
