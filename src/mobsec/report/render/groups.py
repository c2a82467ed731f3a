"""Findings as a reader takes them in: the app's own code first, one card per check.

* **Scope** (``--scope app|sdk|all``, the HTML scope filter): whose code a finding is in.
  "app" is the app's own code (and its manifest); "sdk" is everything shipped by someone
  else (a named SDK, an unknown third party, support/framework libraries). It is a view
  filter: the Report JSON keeps every finding with its owner.
* **Check groups**: one card per check with its description and remediation once, and the
  instances under it — the app's own first, then per SDK (collapsed on screen). A check
  that fires 13 times in ad SDKs is one card, not 13 pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mobsec.report.render.view import (
    RANK,
    is_app,
    is_suppressed,
    sorted_findings,
)
from mobsec.report.render.view import owner_text as owner_label

SCOPES = ("all", "app", "sdk")


def in_scope(finding: dict[str, Any], scope: str) -> bool:
    return scope == "all" or (scope == "app") == is_app(finding)


def scoped(doc: dict[str, Any], scope: str) -> dict[str, Any]:
    """``doc`` with only the findings in ``scope`` (a shallow copy; ``doc`` is not touched)."""
    if scope == "all":
        return doc
    findings = doc.get("findings") or []
    kept = [f for f in findings if in_scope(f, scope)]
    return {
        **doc,
        "findings": kept,
        "view_scope": {"scope": scope, "hidden": len(findings) - len(kept)},
    }


def sdk_names(doc: dict[str, Any]) -> dict[str, dict[str, str]]:
    """SDK id → its bilingual name from the report's SDK list (owners carry only English)."""
    return {s["id"]: s.get("name") or {} for s in doc.get("sdks") or [] if s.get("id")}


@dataclass(slots=True)
class SdkInstances:
    key: str  # sdk id, or the owner kind for unnamed third parties
    label: str
    findings: list[dict[str, Any]]


@dataclass(slots=True)
class CheckGroup:
    check_id: str
    findings: list[dict[str, Any]]  # app's own first, then per SDK

    @property
    def first(self) -> dict[str, Any]:
        return self.findings[0]

    @property
    def worst(self) -> str:
        open_ = [f for f in self.findings if not is_suppressed(f)] or self.findings
        return min((f["severity"] for f in open_), key=lambda s: RANK.get(s, 9))

    @property
    def app(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if is_app(f)]

    def sdk_groups(self, lang: str, names: dict[str, dict[str, str]]) -> list[SdkInstances]:
        groups: dict[str, SdkInstances] = {}
        for f in self.findings:
            if is_app(f):
                continue
            owner = f.get("owner") or {}
            key = owner.get("sdk_id") or owner.get("kind") or "unknown"
            if key not in groups:
                groups[key] = SdkInstances(key, owner_label(owner, lang, names), [])
            groups[key].findings.append(f)
        return sorted(groups.values(), key=lambda g: (-len(g.findings), g.label))


def check_groups(findings: list[dict[str, Any]]) -> list[CheckGroup]:
    """One group per check; groups with an open app finding first, then by severity."""
    by_check: dict[str, list[dict[str, Any]]] = {}
    for f in sorted_findings(findings):
        by_check.setdefault(f.get("check_id", ""), []).append(f)
    groups = [
        CheckGroup(cid, sorted(fs, key=lambda f: not is_app(f)))  # stable: keeps severity order
        for cid, fs in by_check.items()
    ]

    def key(g: CheckGroup) -> tuple[Any, ...]:
        all_suppressed = all(is_suppressed(f) for f in g.findings)
        has_app = any(is_app(f) and not is_suppressed(f) for f in g.findings)
        return (all_suppressed, RANK.get(g.worst, 9), not has_app, g.check_id)

    return sorted(groups, key=key)


def app_first(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Open findings, the app's own before SDK code, each part by severity (the "top" list)."""
    ranked = sorted_findings(findings)
    return sorted(
        ranked, key=lambda f: (is_suppressed(f), f.get("severity") == "info", not is_app(f))
    )
