"""Template filters of the monitoring pages (all output is escaped by the templates)."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

VERDICTS = {
    "genuine": _("genuine"),
    "repackaged": _("repackaged"),
    "counterfeit": _("counterfeit"),
    "unrelated": _("unrelated"),
}


@register.filter
def verdict_label(value: str):
    return VERDICTS.get(value, value or "—")


@register.filter
def title_in(notification, lang: str) -> str:
    return notification.title(lang or "zh-hans")


@register.filter
def message_in_lang(error: Any) -> str:
    from django.utils.translation import get_language

    if not isinstance(error, dict):
        return ""
    return str(error.get("en") if (get_language() or "").startswith("en") else error.get("zh"))


@register.filter
def signals(comparison: Any) -> list[dict[str, str]]:
    """The evidence table of a stored Comparison: one row per signal."""
    items = (comparison or {}).get("signals") if isinstance(comparison, dict) else None
    if isinstance(items, dict):
        items = [
            {"name": k, **(v if isinstance(v, dict) else {"score": v})} for k, v in items.items()
        ]
    rows = []
    for s in items or []:
        if not isinstance(s, dict):
            continue
        evidence = s.get("evidence")
        rows.append({
            "name": str(s.get("name") or s.get("id") or s.get("signal") or ""),
            "score": _score(s.get("score", s.get("value"))),
            "evidence": evidence if isinstance(evidence, str)
            else json.dumps(evidence, ensure_ascii=False, indent=1)[:20000],
        })  # fmt: skip
    return rows


def _score(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else str(value)
