"""Attachments: type checked by content (magic bytes), size limit, SVG/HTML refused, served as a
download with nosniff."""

from __future__ import annotations

import pytest

from pvd.network import uploads

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "content", "mime", "saved_as"),
    [
        ("photo.png", PNG, "image/png", "photo.png"),
        ("photo.jpeg", JPEG, "image/jpeg", "photo.jpg"),
        ("bilan.pdf", PDF, "application/pdf", "bilan.pdf"),
        ("vue.webp", WEBP, "image/webp", "vue.webp"),
        # the name lies, the content decides
        ("rapport.pdf", PNG, "image/png", "rapport.png"),
        ("../../etc/passwd.png", PNG, "image/png", "passwd.png"),
    ],
)
def test_accepted_by_content(name, content, mime, saved_as):
    checked = uploads.check(name, content)
    assert (checked.mime, checked.name, checked.size) == (mime, saved_as, len(content))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "SVG",
        ),
        ("logo.png", b'<?xml version="1.0"?><svg></svg>', "SVG"),  # SVG named .png
        ("page.pdf", b"<!DOCTYPE html><html><script>x</script></html>", "HTML"),
        ("a.png", b"GIF89a" + b"\x00" * 20, "Type de fichier refusé"),
        ("a.exe", b"MZ\x90\x00" + b"\x00" * 20, "Type de fichier refusé"),
        ("vide.png", b"", "vide"),
        ("gros.png", PNG + b"\x00" * uploads.MAX_BYTES, "taille maximale"),
    ],
)
def test_refused(name, content, message):
    with pytest.raises(uploads.UploadRefused, match=message):
        uploads.check(name, content)


@pytest.fixture
def draft(actions, users, actor_of):
    from pvd.network.practices import practice_create

    return practice_create(actor=actor_of(users["chef23"]), action=actions["a23"], values={})


def test_upload_page_refuses_svg_and_serves_a_download(client, users, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["chef23"])
    svg = SimpleUploadedFile("x.png", b"<svg onload='alert(1)'/>", content_type="image/png")
    r = client.post(f"/reseau/pratiques/{draft.pk}/pieces/", {"fichier": svg}, follow=True)
    assert "SVG" in r.content.decode()
    assert draft.pieces.count() == 0
    png = SimpleUploadedFile("vue.png", PNG, content_type="text/html")  # the browser's claim lies
    client.post(f"/reseau/pratiques/{draft.pk}/pieces/", {"fichier": png})
    piece = draft.pieces.get()
    assert (piece.type_mime, piece.taille) == ("image/png", len(PNG))
    r = client.get(f"/reseau/pieces/{piece.pk}/")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/png"
    assert r["Content-Disposition"] == 'attachment; filename="vue.png"'
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r.content == PNG
    # a draft's attachment is not public
    client.logout()
    assert client.get(f"/reseau/pieces/{piece.pk}/").status_code == 404


def test_too_big_is_refused_by_the_service(users, draft, actor_of):
    from pvd.network.practices import PracticeError, attachment_add

    with pytest.raises(PracticeError, match="taille maximale"):
        attachment_add(
            actor=actor_of(users["chef23"]),
            pratique=draft,
            name="gros.pdf",
            content=PDF + b"0" * uploads.MAX_BYTES,
        )
    assert draft.pieces.count() == 0
