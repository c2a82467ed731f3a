"""Deciding a scheme's items from one Report JSON document (no Django: the platform and
tests call it with a stored report)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from .schemes import Scheme, SchemeItem

PASS, FAIL, NOT_APPLICABLE, NEEDS_EVIDENCE = "pass", "fail", "not_applicable", "needs_evidence"
RESULTS = (PASS, FAIL, NOT_APPLICABLE, NEEDS_EVIDENCE)
MAX_BASIS_FINDINGS = 20  # per item: enough for a reviewer, bounded for a huge report

# The engine's PI-compliance results (docs/report.md, privacy.scenarios[].result).
_PRIVACY = {
    "violation-suspected": FAIL,
    "compliant-statically": PASS,
    "not-applicable": NOT_APPLICABLE,
    "not-assessed-statically": NEEDS_EVIDENCE,
}


@dataclass
class ItemDecision:
    item_id: str
    result: str
    findings: list[dict[str, Any]] = field(default_factory=list)  # those that fail it
    findings_total: int = 0
    privacy: list[dict[str, Any]] = field(default_factory=list)  # {ref, result}
    why: list[str] = field(default_factory=list)  # short codes: platform, evidence, ...

    def to_json(self) -> dict[str, Any]:
        return {
            "item": self.item_id,
            "result": self.result,
            "findings": self.findings,
            "findings_total": self.findings_total,
            "privacy": self.privacy,
            "why": self.why,
        }


def _finding_ref(f: dict[str, Any]) -> dict[str, Any]:
    loc = f.get("location") or {}
    title = f.get("title") if isinstance(f.get("title"), dict) else {}
    return {
        "check_id": str(f.get("check_id") or ""),
        "severity": str(f.get("severity") or ""),
        "fingerprint": str(f.get("fingerprint") or ""),
        "title": {"en": str(title.get("en") or ""), "zh-CN": str(title.get("zh-CN") or "")},
        "file": str(loc.get("file") or ""),
        "class": str(loc.get("class") or ""),
    }


def _privacy_results(doc: dict[str, Any]) -> dict[tuple[str, str], str]:
    privacy = doc.get("privacy") or {}
    out: dict[tuple[str, str], str] = {}
    for key in ("scenarios", "miit"):
        for s in privacy.get(key) or []:
            if isinstance(s, dict):
                out[(str(s.get("rules") or ""), str(s.get("id") or ""))] = str(s.get("result"))
    return out


def decide_item(
    item: SchemeItem,
    doc: dict[str, Any],
    ignored: Collection[str] = (),
    privacy: dict[tuple[str, str], str] | None = None,
) -> ItemDecision:
    d = ItemDecision(item.id, PASS)
    platform = str((doc.get("package") or {}).get("platform") or "android")
    if platform not in item.platforms:
        d.result, d.why = NOT_APPLICABLE, ["platform"]
        return d
    results: list[str] = []
    if item.findings:
        for f in doc.get("findings") or []:
            if f.get("fingerprint") in ignored:
                continue  # decided a false positive by a tester
            if any(rule.matches(f) for rule in item.findings):
                d.findings_total += 1
                if len(d.findings) < MAX_BASIS_FINDINGS:
                    d.findings.append(_finding_ref(f))
        results.append(FAIL if d.findings_total else PASS)
    if item.privacy:
        known = _privacy_results(doc) if privacy is None else privacy
        for rules, sid in item.privacy:
            raw = known.get((rules, sid))
            result = _PRIVACY.get(raw or "", NEEDS_EVIDENCE)
            d.privacy.append({"ref": f"{rules}:{sid}", "result": raw or "missing"})
            results.append(result)
    if item.evidence:
        results.append(NEEDS_EVIDENCE)
        d.why.append(item.evidence)
    if FAIL in results:
        d.result = FAIL
    elif NEEDS_EVIDENCE in results:
        d.result = NEEDS_EVIDENCE
    elif results and all(r == NOT_APPLICABLE for r in results):
        d.result = NOT_APPLICABLE
    else:
        d.result = PASS
    return d


def decide(
    scheme: Scheme, doc: dict[str, Any], ignored: Collection[str] = ()
) -> list[ItemDecision]:
    """Every item of the scheme decided from the report; ``ignored`` are fingerprints of
    findings a tester decided are false positives."""
    privacy = _privacy_results(doc)
    ignored = set(ignored)
    return [decide_item(item, doc, ignored, privacy) for item in scheme.items]


def conclusion(results: Collection[str]) -> str:
    """The evaluation's conclusion from its final item results: ``fail`` if any item fails,
    ``incomplete`` while evidence is missing, else ``pass``."""
    if FAIL in results:
        return FAIL
    if NEEDS_EVIDENCE in results:
        return "incomplete"
    return PASS
