"""The report's protections section for every renderer: which defences the app has.

Root/emulator/debugger/tamper detection, obfuscation, packers and certificate pinning are
facts about the app (``doc["protections"]``, :mod:`mobsec.checks.scope`), not findings:
each renderer shows them as one short table or list, with where each was seen.
"""

from __future__ import annotations

from typing import Any

from mobsec.report.render.messages import pick, t
from mobsec.report.render.view import location_text, owner_text


def protections_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in doc.get("protections") or [] if isinstance(p, dict)]


def protection_rows(doc: dict[str, Any], lang: str) -> list[dict[str, str]]:
    """One row per protection entry: kind label, what (message), where, whose code."""
    rows = []
    for p in protections_of(doc):
        rows.append(
            {
                "kind": t(f"protection.{p.get('kind')}", lang),
                "what": pick(p.get("message") or p.get("title"), lang),
                "where": location_text(p.get("location")),
                "owner": owner_text(p.get("owner"), lang),
                "evidence": p.get("evidence") or "",
            }
        )
    return rows


def protection_summary(doc: dict[str, Any], lang: str) -> str:
    """'Root detection (2), Obfuscation (1)': kinds present, in report order."""
    counts: dict[str, int] = {}
    for p in protections_of(doc):
        counts[str(p.get("kind"))] = counts.get(str(p.get("kind")), 0) + 1
    return ", ".join(f"{t(f'protection.{k}', lang)} ({n})" for k, n in counts.items())


def sarif_properties(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Run properties: protections are not results (they are not weaknesses)."""
    return [
        {
            "kind": p.get("kind"),
            "checkId": p.get("check_id"),
            "message": (p.get("message") or {}).get("en"),
            "location": p.get("location"),
            "owner": (p.get("owner") or {}).get("kind"),
            "fingerprint": p.get("fingerprint"),
        }
        for p in protections_of(doc)
    ]
