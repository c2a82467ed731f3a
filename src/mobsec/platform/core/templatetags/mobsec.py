"""Template filters: pick a bilingual text {"en", "zh-CN"} in the active language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def text(value) -> str:
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    lang = "en" if (get_language() or "").startswith("en") else "zh-CN"
    return str(value.get(lang) or value.get("en") or "")
