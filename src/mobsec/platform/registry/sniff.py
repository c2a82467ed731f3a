"""Content sniffing: what an upload is, from its bytes (never from its name)."""

from __future__ import annotations

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # local file header; empty archive


def package_format(head: bytes) -> str | None:
    """``apk`` for a ZIP container (APK), None when the bytes are no package we read."""
    if head.startswith(ZIP_MAGIC):
        return "apk"
    return None
