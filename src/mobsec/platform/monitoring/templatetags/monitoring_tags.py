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
    """The evidence table of a stored Comparison: one row per signal, in the page's language."""
    from django.utils.translation import get_language

    lang = "en" if (get_language() or "").startswith("en") else "zh-CN"
    items = (comparison or {}).get("signals") if isinstance(comparison, dict) else None
    rows = []
    for s in items if isinstance(items, list) else []:
        if not isinstance(s, dict):
            continue
        evidence = s.get("evidence")
        rows.append({
            "id": str(s.get("id") or ""),
            "name": _in(s.get("title"), lang) or str(s.get("id") or ""),
            "score": _score(s.get("score")),
            "matched": bool(s.get("matched")),
            "summary": _in(s.get("summary"), lang),
            "evidence": json.dumps(evidence, ensure_ascii=False, indent=1)[:20000] if evidence else "",
        })  # fmt: skip
    return rows


@register.filter
def reasons(comparison: Any) -> list[str]:
    from django.utils.translation import get_language

    lang = "en" if (get_language() or "").startswith("en") else "zh-CN"
    value = (comparison or {}).get("reasons") if isinstance(comparison, dict) else None
    items = value.get(lang) if isinstance(value, dict) else None
    return [str(x) for x in items] if isinstance(items, list) else []


def _in(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or "")
    return "" if value is None else str(value)


def _score(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else str(value)
