"""What MobSF users look for in a report: exported components with what each exposes, and
what each requested permission lets the app do — both in the reader's language.

Exposure is derived from the manifest model in the Report document alone: who may reach
the component (anyone, or holders of which permission), how (the actions, deep links and
provider authorities it answers to), and the one-line consequence for its kind.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from mobsec.report.render.messages import t

_KINDS = ("activity", "activity-alias", "service", "receiver", "provider")


@cache
def _descriptions() -> dict[str, tuple[str, str]]:
    text = files("mobsec.report.render").joinpath("data", "permission_descriptions.json")
    doc = json.loads(text.read_text(encoding="utf-8"))
    return {name: (en, zh) for name, (en, zh) in doc["permissions"].items()}


def permission_description(name: str, lang: str) -> str:
    """What ``name`` lets an app do ("Read the user's contacts" / "读取通讯录"), or ""."""
    pair = _descriptions().get(name)
    return "" if pair is None else pair[1] if lang == "zh-CN" else pair[0]


def protection_text(level: str | None, lang: str) -> str:
    """ "dangerous" → "危险"; "signature|privileged" → "签名 | 特权" (unknown words kept)."""
    if not level:
        return ""
    words = []
    for w in level.split("|"):
        key = f"perm.level.{w.strip()}"
        try:
            words.append(t(key, lang))
        except KeyError:
            words.append(w.strip())
    return " | ".join(words)


def _how(c: dict[str, Any]) -> list[str]:
    """The ways in: actions, deep links (scheme://host/path), provider authorities."""
    ways: list[str] = []
    for f in c.get("intent_filters") or []:
        ways += [a.removeprefix("android.intent.action.") for a in f.get("actions") or []]
        for d in f.get("data") or []:
            scheme, host = d.get("scheme") or "", d.get("host") or ""
            path = d.get("path") or d.get("path_prefix") or d.get("path_pattern") or ""
            if scheme or host:
                ways.append(f"{scheme}://{host}{path}" if host else f"{scheme}:")
    ways += [f"content://{a}" for a in c.get("authorities") or []]
    return list(dict.fromkeys(ways))


def exposure_rows(doc: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """One row per exported, enabled component: kind, name, guard, ways in, consequence."""
    rows = []
    for c in (doc.get("manifest") or {}).get("components") or []:
        if not c.get("exported") or c.get("enabled") is False:
            continue
        kind = c.get("kind") or ""
        guard = c.get("permission") or ""
        if kind == "provider":
            rw = [p for p in (c.get("read_permission"), c.get("write_permission")) if p]
            guard = guard or " / ".join(rw)
        exposes_key = f"expose.{kind}" if kind in _KINDS else "expose.other"
        rows.append(
            {
                "kind": kind_text(kind, lang),
                "name": c.get("name") or "",
                "guard": guard,
                "open": not guard,
                "ways": _how(c),
                "exposes": t(exposes_key, lang)
                + (t("expose.grant_uri", lang) if c.get("grant_uri_permissions") else ""),
            }
        )
    rows.sort(key=lambda r: (not r["open"], r["kind"], r["name"]))
    return rows


def kind_text(kind: str, lang: str) -> str:
    try:
        return t(f"comp.kind.{kind}", lang)
    except KeyError:
        return kind
