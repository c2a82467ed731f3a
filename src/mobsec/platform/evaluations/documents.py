"""The formal test report (检测报告) and the certificate as HTML and PDF, in zh-CN or en.

Both are self-contained pages rendered by Django templates in the requested language (not
the browser's), laid out for A4; the PDF is the same page through WeasyPrint with the
engine's no-network fetcher and CJK font (``mobsec.report.render.pdf.html_to_pdf``).
"""

from __future__ import annotations

from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from mobsec.platform.scans.options import ENGINE_VERSION
from mobsec.report.render.pdf import check_pdf_fonts, html_to_pdf

from . import actions
from .models import Certificate, Evaluation

LANGS = {"zh-CN": "zh-hans", "en": "en"}


def lang_of(value: str | None) -> str:
    return "en" if (value or "").lower().startswith("en") else "zh-CN"


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or "")
    return str(value or "")


def report_context(ev: Evaluation, lang: str) -> dict[str, Any]:
    scheme = actions.parsed(ev.scheme)
    titles = {i.id: i for i in scheme.items}
    doc = ev.scan.report.document
    package = doc.get("package") or {}
    items = []
    for r in ev.items.all().prefetch_related("evidence").select_related("decided_by"):
        meta = titles.get(r.item_id)
        basis = r.basis or {}
        items.append(
            {
                "id": r.item_id,
                "title": meta.title.zh
                if (meta and lang == "zh-CN")
                else (meta.title.en if meta else ""),
                "needs_review": bool(meta and meta.needs_review),
                "automatic": r.automatic,
                "result": r.result,
                "manual": r.manual,
                "reason": r.reason,
                "decided_by": actions.person(r.decided_by),
                "decided_at": r.decided_at,
                "findings": [
                    {**f, "title_text": _text(f.get("title"), lang)}
                    for f in basis.get("findings") or []
                ],
                "findings_total": basis.get("findings_total") or 0,
                "privacy": basis.get("privacy") or [],
                # what was looked for, shown when nothing was found
                "rules": [
                    f"{f.check or ':'.join(f.standard or ())} ≥ {f.min_severity}"
                    for f in (meta.findings if meta else ())
                ],
                "evidence": list(r.evidence.all()),
            }
        )
    counts = {k: sum(1 for i in items if i["result"] == k) for k in
              ("pass", "fail", "not_applicable", "needs_evidence")}  # fmt: skip
    return {
        "ev": ev,
        "lang": lang,
        "draft": ev.state != Evaluation.State.APPROVED,
        "scheme": scheme,
        "scheme_title": scheme.title.zh if lang == "zh-CN" else scheme.title.en,
        "app": ev.version.app,
        "version": ev.version,
        "package": ev.version.package,
        "hashes": package.get("hashes") or {},
        "engine_version": ENGINE_VERSION,
        "items": items,
        "counts": counts,
        "tester": actions.person(ev.tester),
        "reviewer": actions.person(ev.reviewer),
        "first_event": ev.events.order_by("at").first(),
    }


def render_report_html(ev: Evaluation, lang: str) -> str:
    with translation.override(LANGS[lang]):
        return render_to_string("evaluations/test_report.html", report_context(ev, lang))


def render_report_pdf(ev: Evaluation, lang: str) -> bytes:
    check_pdf_fonts(lang)
    return html_to_pdf(render_report_html(ev, lang))[0]


def qr_svg(url: str) -> str:
    """The verification URL as an inline SVG QR code (error correction M)."""
    return segno.make(url, error="m", micro=False).svg_inline(scale=4, border=2)


def certificate_context(cert: Certificate, lang: str) -> dict[str, Any]:
    import json

    doc = json.loads(bytes(cert.signed))["certificate"]
    return {
        "cert": cert,
        "doc": doc,
        "lang": lang,
        "scheme_title": _text(doc["scheme"]["title"], lang),
        "qr": mark_safe(qr_svg(doc["verify_url"])),
    }


def render_certificate_html(cert: Certificate, lang: str) -> str:
    with translation.override(LANGS[lang]):
        return render_to_string(
            "evaluations/certificate_print.html", certificate_context(cert, lang)
        )


def render_certificate_pdf(cert: Certificate, lang: str) -> bytes:
    check_pdf_fonts(lang)
    return html_to_pdf(render_certificate_html(cert, lang))[0]
