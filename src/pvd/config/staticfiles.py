"""Static files: hashed, compressed copies collected into the data directory for serving.

`pvd serve` runs collectstatic when the app's static files changed since the last collection;
whitenoise then serves the hashed names with a far-future, immutable cache header and their
gzip (and brotli when installed) variants. Before any collection (tests, `pvd serve --dev`, a
new static file not collected yet) URLs fall back to the unhashed names, served by the finders.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from whitenoise.storage import CompressedManifestStaticFilesStorage

STAMP_NAME = ".pvd-sources"  # fingerprint of the collected sources, in STATIC_ROOT

# Parts of the DSFR distribution no page links to: per-component and per-icon-family builds of
# what the two bundles served (dsfr.min.css, utility.min.css) already hold, legacy and "main"
# variants, copies at the top of dist/. Rewriting their ~20,000 url() references to hashed
# names took three quarters of the collection time. Not collected, they stay reachable under
# their own names through the finders (see StaticStorage.stored_name).
IGNORED = [
    "dsfr/dist/component/*",
    "dsfr/dist/core/*",
    "dsfr/dist/layout/*",
    "dsfr/dist/scheme/*",
    "dsfr/dist/legacy/*",
    "dsfr/dist/analytics/*",
    "dsfr/dist/utility/icons/*",
    "dsfr/dist/utility/colors/*",
    "dsfr/dist/*.legacy.*",
    "dsfr/dist/*.main.min.*",
    "dsfr/dist/dsfr.*",
    "*.md",
    "*.scss",
    "*.map",
]


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False
    # CSS url() and @import are rewritten to hashed names; source-map comments are left as they
    # are: vendored bundles (Leaflet...) ship without their .map files.
    patterns = (
        (
            "*.css",
            (
                r"""(?P<matched>url\(['"]{0,1}\s*(?P<url>.*?)["']{0,1}\))""",
                (
                    r"""(?P<matched>@import\s*["']\s*(?P<url>.*?)["'])""",
                    """@import url("%(url)s")""",
                ),
            ),
        ),
    )

    def create_compressor(self, **kwargs):
        # gzip only: brotli at its highest quality takes minutes over the ~8,000 DSFR files on a
        # small machine, for a few percent less than gzip on the pages' CSS and JS.
        return super().create_compressor(use_brotli=False, **kwargs)

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:  # not collected (yet): the finders serve it under its own name
            return name


def sources_fingerprint() -> str:
    """A digest of every static source file (path, size, modification time), from the finders."""
    from django.contrib.staticfiles import finders

    digest = hashlib.sha256("\n".join(IGNORED).encode())
    entries = []
    for finder in finders.get_finders():
        for path, storage in finder.list(ignore_patterns=[]):
            st = Path(storage.path(path)).stat()
            entries.append(f"{path}\t{st.st_size}\t{st.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode() + b"\n")
    return digest.hexdigest()


def collect_if_needed(static_root: Path) -> bool:
    """Run collectstatic when the sources changed since the last run; True when it ran."""
    from django.core.management import call_command

    stamp = static_root / STAMP_NAME
    current = sources_fingerprint()
    if (
        stamp.exists()
        and stamp.read_text().strip() == current
        and (static_root / "staticfiles.json").exists()
    ):
        return False
    call_command(
        "collectstatic", interactive=False, verbosity=0, clear=True, ignore_patterns=IGNORED
    )
    stamp.write_text(current + "\n")
    return True
