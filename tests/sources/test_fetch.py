"""Downloading catalogue files: success, resume, checksum, offline. Never touches the network:
servers are httpx.MockTransport handlers, or a closed port on 127.0.0.1."""

import hashlib
import json
import socket
import time

import httpx
import pytest

from pvd.sources.catalogue import Layout, Source
from pvd.sources.fetch import (
    ChecksumError,
    FetchError,
    OfflineError,
    fetch,
    make_client,
    target_path,
)

BODY = b"TYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT\n" + b"x" * 5000


def source(
    url="https://www.insee.fr/fr/statistiques/fichier/8740222/v_commune_2026.csv", sha256=None
) -> Source:
    return Source(
        name="essai-cog",
        title="Essai",
        publisher="INSEE",
        licence="Licence Ouverte 2.0",
        vintage="2026",
        page="https://www.insee.fr/fr/information/8740222",
        url=url,
        filename="v_commune_2026.csv",
        layout=Layout(format="csv", separator=","),
        import_command="pvd data import-cog {path}",
        sha256=sha256,
    )


class Server:
    """A file server honouring Range and If-Range (or not), counting requests."""

    def __init__(self, body=BODY, *, ranges=True, etag='"v1"', cut_at=None):
        self.body, self.ranges, self.etag, self.cut_at = body, ranges, etag, cut_at
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        body, size = self.body, len(self.body)
        asked = request.headers.get("Range")
        if_range = request.headers.get("If-Range")
        if asked and self.ranges and if_range in (None, self.etag):
            start = int(asked.removeprefix("bytes=").rstrip("-"))
            if start >= size:
                return httpx.Response(416, headers={"Content-Range": f"bytes */{size}"})
            return httpx.Response(
                206,
                headers={
                    "Content-Range": f"bytes {start}-{size - 1}/{size}",
                    "Content-Length": str(size - start),
                    "ETag": self.etag,
                },
                content=body[start:],
            )
        headers = {"Content-Length": str(size), "ETag": self.etag}
        if self.cut_at is not None:
            cut, self.cut_at = self.cut_at, None

            def interrupted():
                yield body[:cut]
                raise httpx.ReadError("connexion coupée")

            return httpx.Response(200, headers=headers, content=interrupted())
        return httpx.Response(200, headers=headers, content=body)


def client_for(handler) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)


def test_download_writes_the_file_and_records_its_digest(tmp_path):
    server = Server()
    result = fetch(source(), cache_dir=tmp_path, client=client_for(server), progress=False)
    assert result.status == "downloaded" and not result.verified
    assert result.path == tmp_path / "essai-cog" / "v_commune_2026.csv"
    assert result.path.read_bytes() == BODY
    sidecar = json.loads(result.path.with_name("v_commune_2026.csv.json").read_text())
    assert sidecar["sha256"] == hashlib.sha256(BODY).hexdigest() == result.sha256
    assert sidecar["verified"] is False and sidecar["etag"] == '"v1"'
    assert not result.path.with_name("v_commune_2026.csv.part").exists()


def test_known_digest_is_verified_and_a_cached_file_is_not_downloaded_again(tmp_path):
    digest = hashlib.sha256(BODY).hexdigest()
    server = Server()
    first = fetch(
        source(sha256=digest), cache_dir=tmp_path, client=client_for(server), progress=False
    )
    assert first.verified
    again = fetch(
        source(sha256=digest), cache_dir=tmp_path, client=client_for(server), progress=False
    )
    assert again.status == "cached" and len(server.requests) == 1
    forced = fetch(
        source(sha256=digest),
        cache_dir=tmp_path,
        client=client_for(server),
        force=True,
        progress=False,
    )
    assert forced.status == "downloaded" and len(server.requests) == 2


def test_interrupted_download_resumes_with_a_range_request(tmp_path):
    server = Server(cut_at=2000)
    with pytest.raises(FetchError) as exc:
        fetch(source(), cache_dir=tmp_path, client=client_for(server), progress=False)
    assert "relancez la commande pour reprendre" in str(exc.value)
    part = target_path(source(), tmp_path).with_name("v_commune_2026.csv.part")
    assert part.stat().st_size == 2000
    result = fetch(source(), cache_dir=tmp_path, client=client_for(server), progress=False)
    assert result.status == "resumed" and result.path.read_bytes() == BODY
    assert server.requests[-1].headers["Range"] == "bytes=2000-"
    assert server.requests[-1].headers["If-Range"] == '"v1"'


def test_server_ignoring_ranges_makes_the_download_start_again(tmp_path):
    server = Server(ranges=False, cut_at=1000)
    with pytest.raises(FetchError):
        fetch(source(), cache_dir=tmp_path, client=client_for(server), progress=False)
    result = fetch(source(), cache_dir=tmp_path, client=client_for(server), progress=False)
    assert result.status == "downloaded" and result.path.read_bytes() == BODY


def test_changed_file_on_the_server_is_not_glued_to_the_old_part(tmp_path):
    server = Server(cut_at=1000)
    with pytest.raises(FetchError):
        fetch(source(), cache_dir=tmp_path, client=client_for(server), progress=False)
    server.body, server.etag = b"nouvelle version" * 100, '"v2"'
    result = fetch(source(), cache_dir=tmp_path, client=client_for(server), progress=False)
    assert result.path.read_bytes() == server.body


def test_complete_part_answered_416_is_kept(tmp_path):
    target = target_path(source(), tmp_path)
    target.parent.mkdir(parents=True)
    target.with_name(target.name + ".part").write_bytes(BODY)
    result = fetch(source(), cache_dir=tmp_path, client=client_for(Server()), progress=False)
    assert result.status == "resumed" and result.path.read_bytes() == BODY


def test_checksum_mismatch_fails_and_removes_the_download(tmp_path):
    with pytest.raises(ChecksumError) as exc:
        fetch(
            source(sha256="0" * 64), cache_dir=tmp_path, client=client_for(Server()), progress=False
        )
    assert "somme de contrôle SHA-256 différente" in str(exc.value)
    folder = tmp_path / "essai-cog"
    assert list(folder.iterdir()) == []


def test_http_error_says_what_to_do(tmp_path):
    with pytest.raises(FetchError) as exc:
        fetch(
            source(),
            cache_dir=tmp_path,
            client=client_for(lambda request: httpx.Response(404)),
            progress=False,
        )
    assert "répondu 404" in str(exc.value) and "à la main" in str(exc.value)


def test_no_network_fails_at_once_with_the_manual_procedure(tmp_path):
    def offline(request):
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution")

    with pytest.raises(OfflineError) as exc:
        fetch(source(), cache_dir=tmp_path, client=client_for(offline), progress=False)
    message = str(exc.value)
    assert "pas de réseau" in message and "www.insee.fr" in message
    assert "https://www.insee.fr/fr/statistiques/fichier/8740222/v_commune_2026.csv" in message
    assert str(tmp_path / "essai-cog" / "v_commune_2026.csv") in message
    assert "pvd data import-cog " + str(tmp_path / "essai-cog" / "v_commune_2026.csv") in message


def test_refused_connection_with_the_real_client_fails_in_well_under_a_second(tmp_path):
    with socket.socket() as s:  # a port nobody listens on (local only)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    with make_client(connect_timeout=1.0) as client, pytest.raises(OfflineError):
        fetch(
            source(url=f"http://127.0.0.1:{port}/v_commune_2026.csv"),
            cache_dir=tmp_path,
            client=client,
            progress=False,
        )
    assert time.monotonic() - started < 1.0


def test_source_without_confirmed_address_points_to_its_page(tmp_path):
    with pytest.raises(FetchError) as exc:
        fetch(source(url=None), cache_dir=tmp_path, client=client_for(Server()), progress=False)
    assert "pas d'adresse de fichier confirmée" in str(exc.value)
    assert "https://www.insee.fr/fr/information/8740222" in str(exc.value)
