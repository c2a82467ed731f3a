"""The incident's public bulletin (zh-CN and en), published once — only when the legal
guards of the vulns app allow every case behind it to be published.

Guards reused, never bypassed: ``guards.publication_blockers`` for the incident's source
case and every vendor case it opened (no publication before the vendor was notified, a
verified fix or the agreed date, the mitigation, the national report; never during a
freeze), ``guards.freeze_in_force`` even without cases, ``guards.public_output_blockers`` on
the bulletin's text (no reproduction, no attachment). The bulletin also may not name an
affected app or quote the re-scan's evidence (which app is affected stays with the cases).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse

from mobsec.platform.core.errors import UserError
from mobsec.platform.vulns import guards

from . import actions
from .models import Bulletin, Incident


def url(b: Bulletin) -> str:
    return reverse("incidents:bulletin", args=[b.public_id])


def _cases(incident: Incident) -> list:
    cases = [c.vulnerability for c in incident.cases.select_related("vulnerability")]
    if incident.vulnerability_id:
        cases.append(incident.vulnerability)
    return cases


def blockers(incident: Incident, text: str, now: datetime) -> list[guards.Reason]:
    """Why the bulletin with ``text`` may not be published now (empty: it may)."""
    out: list[guards.Reason] = []
    seen: set[str] = set()

    def add(reason: guards.Reason, case: str = "") -> None:
        key = f"{reason.code}:{case}"
        if key not in seen:
            seen.add(key)
            out.append(guards.Reason(reason.code, f"{case + ': ' if case else ''}{reason.en}",
                                     f"{case + '：' if case else ''}{reason.zh}",
                                     reason.source))  # fmt: skip

    freeze = guards.freeze_in_force()
    if freeze is not None:
        add(guards.Reason("freeze", f"A publication freeze is in force ({freeze.order_ref}).",
                          f"发布冻结生效中（{freeze.order_ref}）。", "art. 9(6) [M]"))  # fmt: skip
    for vuln in _cases(incident):
        for r in guards.publication_blockers(vuln, now):
            if r.code != "freeze":
                add(r, vuln.public_id)
        for r in guards.public_output_blockers(vuln, text):
            add(r, vuln.public_id)
        notes = (vuln.verification_notes or "").strip()
        named = [vuln.package_name, vuln.location, notes if len(notes) >= 12 else ""]
        if any(len(s) >= 6 and s in text for s in named if s):
            add(guards.Reason("case_detail_public",
                              "The bulletin names an affected app or quotes a case's evidence.",
                              "公告中出现了受影响应用的名称或案件证据。", "art. 9(4), art. 11 [M]"),
                vuln.public_id)  # fmt: skip
    return out


def publish(incident: Incident, actor, data: Any, request=None,
            now: datetime | None = None) -> Bulletin:  # fmt: skip
    if not actions.can_run(actor):
        raise actions.forbidden()
    now = actions._now(now)
    if not hasattr(data, "get"):
        raise UserError("incident.bad_body", "The body must be a JSON object or a form.",
                        "请求体必须是 JSON 对象或表单。")  # fmt: skip
    fields = {
        "title_en": actions._text(data, "title_en", "英文标题", 300),
        "title_zh": actions._text(data, "title_zh", "中文标题", 300),
        "body_en": actions._text(data, "body_en", "英文正文", actions.MAX_TEXT),
        "body_zh": actions._text(data, "body_zh", "中文正文", actions.MAX_TEXT),
    }
    with transaction.atomic():
        Incident.objects.select_for_update().get(pk=incident.pk)
        if Bulletin.objects.filter(incident=incident).exists():
            raise UserError("incident.bulletin_exists", "The bulletin is already published.",
                            "公告已发布。", status=409)  # fmt: skip
        reasons = blockers(incident, "\n".join(fields.values()), now)
        if reasons:
            raise guards.GuardError(reasons)
        b = Bulletin.objects.create(incident=incident, published_by=actor, published_at=now,
                                    **fields)  # fmt: skip
        actions.record(incident, actor, "bulletin_published", now, bulletin=b.public_id)
    return b


def published():
    return Bulletin.objects.select_related("incident").order_by("-published_at")


def feed_entries(base: str, lang: str, limit: int) -> list:
    """The published bulletins for disclosure's public Atom feed (a bulletin exists only
    once :func:`publish` passed every guard, so there is no draft to leave out)."""
    from mobsec.platform.disclosure.feed import FeedEntry

    zh = lang.startswith("zh")
    out = []
    for b in published()[:limit]:
        link = base + url(b)
        title = ("应急公告：" if zh else "Incident bulletin: ") + b.text("title", lang)
        out.append(FeedEntry(title, link, b.text("body", lang), b.published_at, b.published_at))
    return out
