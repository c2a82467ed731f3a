"""Attachments of reports: stored content-addressed under ``<data>/vuln-attachments``
(registry.store's layout), size-limited, never served inline nor executed. What the bytes
are is sniffed by the engine's detector (never the file name); a package is scanned by the
engine through the job system, in the desk's organisation."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse

from mobsec.ingest.detect import SNIFF_BYTES, describe_non_zip, sniff
from mobsec.platform.core.errors import UserError
from mobsec.platform.registry import store

from . import conf
from .models import Attachment, Vulnerability


def root() -> Path:
    return Path(settings.DATA_DIR) / "vuln-attachments"


def display_name(name: str | None) -> str:
    base = (name or "attachment").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable())[:200] or "attachment"


def _too_large(name: str, limit: int) -> UserError:
    return UserError(
        "vulns.attachment_too_large",
        f"Attachment {name!r} is larger than the limit ({limit >> 20} MiB).",
        f"附件 {name!r} 超过大小限制（{limit >> 20} MiB）。",
        status=413,
    )


def classify(head: bytes) -> tuple[str, str]:
    """(kind, what it looks like) from the first bytes: a package, an image, or other."""
    found = sniff(head)
    if found is not None and found.is_package:
        return Attachment.Kind.PACKAGE, found.en
    if head[:2] == b"PK":  # an APK, AAB, IPA... or a plain ZIP: the scan tells
        return Attachment.Kind.PACKAGE, "ZIP archive (package?)"
    what = found or describe_non_zip(head)
    en = getattr(what, "en", "") or "data"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")) or head[8:12] == b"WEBP":
        return Attachment.Kind.SCREENSHOT, en
    return Attachment.Kind.POC, en


def store_upload(upload) -> tuple[store.Stored, str]:
    name = display_name(getattr(upload, "name", None))
    limit = conf.max_attachment_bytes()
    if (getattr(upload, "size", None) or 0) > limit:
        raise _too_large(name, limit)
    try:
        stored = store.put(upload.chunks(), limit, base=root())
    except store.TooLarge:
        raise _too_large(name, limit) from None
    return stored, name


def add(vuln: Vulnerability, upload, user=None) -> Attachment:
    """Store one uploaded file on the case (the caller checks the count and the guards)."""
    stored, name = store_upload(upload)
    with open(stored.path, "rb") as f:
        head = f.read(SNIFF_BYTES)
    kind, sniffed = classify(head)
    return Attachment.objects.create(
        vulnerability=vuln, sha256=stored.sha256, size=stored.size, name=name, kind=kind,
        sniffed=sniffed[:80], uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )  # fmt: skip


def download(attachment: Attachment) -> FileResponse:
    """The bytes as a download: never inline, never sniffed into something executable."""
    path = store.path_for(attachment.sha256, base=root())
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=attachment.name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
