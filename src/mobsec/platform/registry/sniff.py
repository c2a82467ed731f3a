"""Content sniffing of uploads: what the bytes are (never the name), with the engine's own
detection (mobsec.ingest.detect), so that a wrong file is refused before it is stored."""

from __future__ import annotations

from mobsec.ingest.detect import SNIFF_BYTES, Detection, describe_non_zip, sniff

HEAD_BYTES = SNIFF_BYTES


def not_a_package(head: bytes) -> Detection | None:
    """What the upload is when it is certainly no package (a PDF, an image, text...), else
    None: a package magic, or a ZIP whose entries the scan will classify."""
    found = sniff(head)
    if found is not None:
        return None if found.is_package else found
    if head[:2] == b"PK":
        return None
    return describe_non_zip(head)
