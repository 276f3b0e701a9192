"""The secret key of a production start: generated once, kept owner-only in the data directory.

Several workers may start at the same moment: the key is written to a private temporary file
and linked into place atomically, so every process reads the same complete key.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

KEY_FILE_NAME = "secret_key"
MIN_LENGTH = 50  # Django's deploy check (security.W009) asks for at least 50 characters


def load_or_create_secret_key(data_dir: Path) -> str:
    """The key kept in ``data_dir/secret_key``, created (mode 0600) on the first call."""
    path = data_dir / KEY_FILE_NAME
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        tmp = data_dir / f".{KEY_FILE_NAME}.{os.getpid()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(secrets.token_urlsafe(64) + "\n")
            try:
                os.link(tmp, path)  # atomic; fails if another process linked its key first
            except FileExistsError:
                pass
        finally:
            tmp.unlink(missing_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        path.chmod(0o600)  # a copied or restored file: readable by its owner only
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_LENGTH:
        raise ImproperlyConfigured(
            f"{path}: the secret key it holds is shorter than {MIN_LENGTH} characters; "
            "delete the file to generate a new one, or set PVD_SECRET_KEY"
        )
    return key
