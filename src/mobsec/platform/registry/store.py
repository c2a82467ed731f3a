"""The content-addressed package store: ``<store>/ab/cd/<sha256>``, written atomically.

Uploaded file names never reach the file system; the hash is computed while streaming the
upload to a temporary file in the store, which is then renamed into place.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


class TooLarge(Exception):
    pass


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    path: Path
    head: bytes  # the first bytes, for content sniffing


def root() -> Path:
    return Path(settings.PACKAGE_STORE)


def facts_dir() -> Path:
    """Stored facts (``<sha256>.facts``, :mod:`mobsec.rules.stored`) of the packages
    here: written by every routine scan, read by rule-only re-scans (incidents)."""
    return Path(getattr(settings, "MOBSEC_FACTS_DIR", None) or Path(settings.DATA_DIR) / "facts")


def path_for(sha256: str, base: Path | None = None) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a sha256 hex digest")
    return (base or root()) / sha256[:2] / sha256[2:4] / sha256


def put(chunks: Iterable[bytes], max_bytes: int, base: Path | None = None) -> Stored:
    """Stream ``chunks`` into the store (``base``: another content-addressed store, e.g.
    vulnerability attachments); raise TooLarge past ``max_bytes`` (nothing kept)."""
    base = base or root()
    base.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    size = 0
    head = b""
    fd, tmp = tempfile.mkstemp(dir=base, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(size)
                if len(head) < 64:
                    head += chunk[: 64 - len(head)]
                h.update(chunk)
                f.write(chunk)
        digest = h.hexdigest()
        final = path_for(digest, base)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)  # same bytes already there: replacing is harmless
        os.chmod(final, 0o640)
        return Stored(digest, size, final, head)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
