"""The incident report for the regulator, in zh-CN or English, as HTML or PDF (WeasyPrint,
through the engine's renderer with its network-less fetcher): source, timeline, counts,
the affected vendors and their fix progress. Packages' texts are data: autoescaped."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

from mobsec.platform.core.errors import UserError
from mobsec.report.render import RenderError
from mobsec.report.render.pdf import check_pdf_fonts, html_to_pdf

from . import fleet, notices
from .models import Incident

LANGS = ("zh-CN", "en")
FORMATS = ("html", "pdf")


def context(incident: Incident, lang: str) -> dict[str, Any]:
    rescans = [fleet.status(r) for r in incident.rescans.select_related("pack").order_by("id")]
    last = incident.rescans.order_by("-id").first()
    vendors = notices.progress(incident)
    return {
        "i": incident,
        "lang": lang,
        "title": incident.text("title", lang),
        "description": incident.text("description", lang),
        "events": incident.events.select_related("actor").order_by("at", "id"),
        "snapshots": incident.snapshots.order_by("created_at", "id"),
        "packs": incident.packs.order_by("uploaded_at", "id"),
        "rescans": rescans,
        "affected": fleet.affected_items(last).count() if last else 0,
        "scanned": last.total if last else 0,
        "vendors": vendors,
        "cases": sum(v["cases"] for v in vendors),
        "fixed": sum(v["fixed"] for v in vendors),
        "notified": sum(v["notified"] for v in vendors),
        "generated_at": timezone.now(),
    }


def render_html(incident: Incident, lang: str) -> str:
    with translation.override("zh-hans" if lang == "zh-CN" else "en"):
        return render_to_string("incidents/report.html", context(incident, lang))


def render_pdf(incident: Incident, lang: str) -> bytes:
    html = render_html(incident, lang)
    check_pdf_fonts(lang)
    pdf, _pages = html_to_pdf(html)
    return pdf


def response(incident: Incident, lang: str, fmt: str) -> HttpResponse:
    if lang not in LANGS or fmt not in FORMATS:
        raise UserError("incident.bad_report", "lang: zh-CN or en; fmt: html or pdf.",
                        "lang 须为 zh-CN 或 en；fmt 须为 html 或 pdf。")  # fmt: skip
    name = f"incident-{incident.public_id}-{lang}.{fmt}"
    if fmt == "html":
        r = HttpResponse(render_html(incident, lang), content_type="text/html; charset=utf-8")
        r["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        return r
    try:
        pdf = render_pdf(incident, lang)
    except RenderError as e:
        raise UserError("incident.no_pdf", str(e), str(e), status=503) from None
    r = HttpResponse(pdf, content_type="application/pdf")
    r["Content-Disposition"] = f'attachment; filename="{name}"'
    return r
