"""Attachments of practices: type checked by the file's content (magic bytes), never by its name
or the browser's claim; a size limit; SVG, HTML and everything else refused (an SVG or HTML file
can carry scripts). Pure functions, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 5 * 1024 * 1024  # 5 Mio: a photo or a short PDF
MAX_PER_PRACTICE = 10

# Signatures (first bytes) of the accepted formats.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"%PDF-", "application/pdf", "pdf"),
)


class UploadRefused(ValueError):
    """The file is refused (message in French, shown to the user)."""


@dataclass(frozen=True)
class CheckedFile:
    name: str
    mime: str
    size: int


def sniff(head: bytes) -> tuple[str, str] | None:
    """(MIME type, extension) of a file from its first bytes, None when not accepted."""
    for signature, mime, ext in _SIGNATURES:
        if head.startswith(signature):
            return mime, ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def _looks_like_markup(head: bytes) -> bool:
    text = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<", b"<?xml")) or b"<svg" in text or b"<html" in text


def safe_name(name: str, ext: str) -> str:
    """A download name: the uploaded stem kept to safe characters, the real type's extension."""
    stem = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    cleaned = "".join(c if c.isalnum() or c in "-_ " else "_" for c in stem).strip() or "fichier"
    return f"{cleaned[:100]}.{ext}"


def check(name: str, content: bytes) -> CheckedFile:
    """Accept a PNG, JPEG, WebP or PDF file of at most ``MAX_BYTES``; raise
    :class:`UploadRefused` otherwise."""
    size = len(content)
    if size == 0:
        raise UploadRefused("Le fichier est vide.")
    if size > MAX_BYTES:
        raise UploadRefused(
            f"Le fichier dépasse la taille maximale ({MAX_BYTES // (1024 * 1024)} Mo)."
        )
    found = sniff(content[:16])
    if found is None:
        if _looks_like_markup(content):
            raise UploadRefused(
                "Les fichiers SVG, HTML ou XML sont refusés : joignez une image PNG, JPEG, "
                "WebP ou un PDF."
            )
        raise UploadRefused(
            "Type de fichier refusé (d'après son contenu) : joignez une image PNG, JPEG, "
            "WebP ou un PDF."
        )
    mime, ext = found
    return CheckedFile(name=safe_name(name, ext), mime=mime, size=size)
