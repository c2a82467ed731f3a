"""Serving stored reports: the document as this organisation sees it, rendered on demand."""

from __future__ import annotations

import base64
import copy
import hashlib
from functools import cache
from importlib.resources import files
from typing import Any

from django.utils.translation import get_language

from mobsec.report.baseline import Baseline, Suppression, apply_triage
from mobsec.report.render import render

from .models import Scan, Triage

CONTENT_TYPES = {
    "json": "application/json",
    "sarif": "application/sarif+json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
EXTENSIONS = {"json": "json", "sarif": "sarif", "html": "html", "pdf": "pdf"}


def report_lang(lang: str | None = None) -> str:
    """The engine's language code for the active Django language (zh-hans -> zh-CN)."""
    lang = lang or get_language() or "zh-hans"
    return "en" if lang.startswith("en") else "zh-CN"


def document_for(scan: Scan, baseline: Baseline | None = None) -> dict[str, Any]:
    """The stored report with this upload's file name (a reused report was made from
    someone else's upload of the same bytes) and the app's triage decisions applied as
    suppressions, so every format shows them."""
    doc = copy.deepcopy(scan.report.document)
    (doc.setdefault("package", {}))["file_name"] = scan.file_name
    accepted: list[Suppression] = []
    if scan.version_id:
        accepted = [
            Suppression(reason=f"{t.status}: {t.reason}", fingerprint=t.fingerprint)
            for t in Triage.objects.filter(
                app_id=scan.version.app_id,
                status__in=(Triage.Status.FALSE_POSITIVE, Triage.Status.ACCEPTED_RISK),
            )
        ]
    if accepted or baseline is not None:
        apply_triage(doc, baseline, accepted)
    return doc


def render_scan(scan: Scan, fmt: str, lang: str | None = None) -> bytes:
    return render(document_for(scan), fmt, report_lang(lang) if fmt != "json" else None)


@cache
def report_script_hash() -> str:
    """CSP hash of the HTML report's own script: the only script allowed to run in it."""
    js = files("mobsec.report.render").joinpath("static", "report.js").read_text("utf-8")
    return "sha256-" + base64.b64encode(hashlib.sha256(js.encode()).digest()).decode()


def report_csp() -> str:
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src '{report_script_hash()}'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'self'; sandbox allow-scripts"
    )
