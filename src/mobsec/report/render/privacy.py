"""The personal-information (PI) compliance section, as every renderer shows it.

The Report JSON's ``privacy`` section (see docs/report.md) is built for machines: PI types
point at collector keys, policy comparisons list PI ids. People need it joined up — "which
PI is read, by whom (the app or which SDK), with which permission, talking to which
hosts", and the 31 scenarios of the 191 认定方法 grouped by their 6 categories. This module
does that joining once, from the document alone, so HTML/PDF, terminal and SARIF agree.
Everything here is read defensively: a stored report from an older version may lack keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mobsec.report.render.messages import pick, t

RESULTS = (
    "violation-suspected",
    "compliant-statically",
    "not-assessed-statically",
    "not-applicable",
)
# Result → severity-like badge class of the report CSS (red / green / grey / light grey).
RESULT_STYLE = {
    "violation-suspected": "sev-high",
    "compliant-statically": "sev-none",
    "not-assessed-statically": "sev-info",
    "not-applicable": "sev-na",
}


@dataclass(slots=True)
class CollectionRow:
    """One line of the who-collects-what table: one PI type read by one collector."""

    pi_id: str
    pi_name: str
    sensitive: bool
    collector: str  # human label: "app code", "SDK Umeng", "unknown third party (com.x)"
    collector_key: str
    permissions_needed: list[str]
    permissions_declared: list[str]
    hosts: list[str]
    accesses: int  # read sites of this PI type in this collector's code


@dataclass(slots=True)
class ScenarioGroup:
    """The scenarios of one 191 category (or the MIIT items), in document order."""

    label: str
    scenarios: list[dict[str, Any]] = field(default_factory=list)


def privacy_of(doc: dict[str, Any]) -> dict[str, Any] | None:
    """The ``privacy`` section, or None (no manifest, or a report older than the section)."""
    priv = doc.get("privacy")
    return priv if isinstance(priv, dict) else None


def collector_label(collector: dict[str, Any] | None, lang: str) -> str:
    c = collector or {}
    kind = c.get("kind") or "unknown"
    if kind == "app":
        return t("owner.app", lang)
    if kind == "sdk":
        return t("owner.sdk", lang, name=pick(c.get("sdk_name"), lang) or c.get("sdk") or "?")
    if kind == "unknown-third-party":
        return f"{t('owner.unknown-third-party', lang)} ({c.get('package') or '?'})"
    return t("owner.unknown", lang)


def _owner_key(owner: dict[str, Any] | None) -> str:
    """The collector key of an access's owner, as collection.py builds it."""
    o = owner or {}
    kind = o.get("kind") or "unknown"
    if kind == "sdk" and o.get("sdk"):
        return f"sdk:{o['sdk']}"
    if kind == "unknown-third-party":
        return f"unknown-third-party:{o.get('package') or ''}"
    return kind


def pi_names(priv: dict[str, Any], lang: str) -> dict[str, str]:
    """PI type id → its name in ``lang`` (for comparisons that list ids only).

    Names come from the report first; PI declared in a policy but never read is not in the
    report's collection, so its name comes from the bundled PI catalog (ids are stable).
    """
    from mobsec.facts.privacy.catalog import load_pi_catalog

    names = {k: pick(v.name.to_json(), lang) for k, v in load_pi_catalog().types.items()}
    for p in (priv.get("collection") or {}).get("pi_types") or []:
        names[p.get("id", "")] = pick(p.get("name"), lang) or p.get("id", "")
    return names


def collection_rows(priv: dict[str, Any], lang: str) -> list[CollectionRow]:
    """Who collects what: one row per (PI type, collector), sensitive PI first."""
    col = priv.get("collection") or {}
    collectors = {c.get("key"): c for c in col.get("collectors") or [] if isinstance(c, dict)}
    rows = []
    for p in col.get("pi_types") or []:
        per_key: dict[str, int] = {}
        for a in p.get("accesses") or []:
            key = _owner_key(a.get("owner"))
            per_key[key] = per_key.get(key, 0) + 1
        for key in p.get("collectors") or []:
            c = collectors.get(key)
            rows.append(
                CollectionRow(
                    pi_id=p.get("id", ""),
                    pi_name=pick(p.get("name"), lang) or p.get("id", ""),
                    sensitive=bool(p.get("sensitive")),
                    collector=collector_label(c, lang) if c else key,
                    collector_key=key,
                    permissions_needed=list(p.get("permissions_needed") or []),
                    permissions_declared=list(p.get("permissions_declared") or []),
                    hosts=list((c or {}).get("hosts") or []),
                    accesses=per_key.get(key, 0),
                )
            )
    return sorted(rows, key=lambda r: (not r.sensitive, r.pi_id, r.collector_key != "app"))


def collectors_by_pi(priv: dict[str, Any], lang: str) -> list[tuple[str, list[str]]]:
    """[(PI name, [collector labels])] — the one-line "who collects what" of the terminal."""
    out: dict[str, list[str]] = {}
    for r in collection_rows(priv, lang):
        out.setdefault(r.pi_name, []).append(r.collector)
    return list(out.items())


def scenario_groups(priv: dict[str, Any], lang: str) -> list[ScenarioGroup]:
    """The 191 scenarios by category (1–6, document order), then the MIIT items."""
    groups: dict[str, ScenarioGroup] = {}
    for s in priv.get("scenarios") or []:
        label = pick(s.get("category"), lang) or t("privacy.category.other", lang)
        number = str(s.get("id", "")).split(".", 1)[0]
        key = f"{number}. {label}" if number.isdigit() else label
        groups.setdefault(key, ScenarioGroup(key)).scenarios.append(s)
    result = list(groups.values())
    miit = list(priv.get("miit") or [])
    if miit:
        result.append(ScenarioGroup(t("privacy.miit", lang), miit))
    return result


PRINT_EVIDENCE = 4  # evidence items per scenario on paper; the HTML and JSON keep them all


def _pending(s: dict[str, Any]) -> bool:
    return s.get("result") == "not-assessed-statically" and not s.get("evidence")


def print_scenario_groups(
    priv: dict[str, Any], lang: str
) -> tuple[list[ScenarioGroup], list[tuple[str, list[dict[str, Any]]]]]:
    """The scenarios for paper: (groups, pending). Groups hold the scenarios with a result or
    evidence, at most PRINT_EVIDENCE items each; pending lists the ones left to a manual or
    dynamic assessment without evidence once per reason (the same reason printed fifteen
    times took pages of the PDF and most of its layout time)."""
    groups = []
    for g in scenario_groups(priv, lang):
        kept = [
            {
                **s,
                "evidence": list(s.get("evidence") or [])[:PRINT_EVIDENCE],
                "evidence_total": max(s.get("evidence_total") or 0, len(s.get("evidence") or [])),
            }
            for s in g.scenarios
            if not _pending(s)
        ]
        if kept:
            groups.append(ScenarioGroup(g.label, kept))
    pending: dict[str, list[dict[str, Any]]] = {}
    for g in scenario_groups(priv, lang):
        for s in g.scenarios:
            if _pending(s):
                pending.setdefault(pick(s.get("reason"), lang), []).append(s)
    return groups, list(pending.items())


def result_counts(priv: dict[str, Any]) -> dict[str, int]:
    """Scenarios (the 31 of the 191) per result; the document's summary when present."""
    summary = priv.get("summary")
    if isinstance(summary, dict):
        return {r: int(summary.get(r) or 0) for r in RESULTS}
    counts = dict.fromkeys(RESULTS, 0)
    for s in priv.get("scenarios") or []:
        if s.get("result") in counts:
            counts[s["result"]] += 1
    return counts


def result_label(result: str, lang: str) -> str:
    key = f"privacy.result.{result}"
    return t(key, lang) if result in RESULTS else result


def evidence_location(loc: dict[str, Any] | None) -> str:
    """Where a piece of evidence is: "classes.dex · com.x.Y.m() @0x1b", a component, or ""."""
    if not isinstance(loc, dict):
        return ""
    parts = [loc.get("file") or ""]
    where = loc.get("class") or loc.get("component") or loc.get("where") or ""
    if loc.get("method"):
        where = f"{where}.{loc['method']}" if where else loc["method"]
    if where:
        parts.append(str(where))
    if isinstance(loc.get("offset"), int):
        parts.append(f"@0x{loc['offset']:x}")
    if isinstance(loc.get("line"), int):
        parts.append(f"line {loc['line']}")
    return " · ".join(str(p) for p in parts if p)


def policy_rows(priv: dict[str, Any], lang: str) -> list[tuple[str, str, list[str]]]:
    """The policy comparison as (kind label, item name, policy sentences) rows; [] without one.

    Observed-but-undeclared PI has no sentence (that is the point); declared-but-unobserved
    PI shows the policy sentences that declare it, so a reviewer can judge the wording.
    """
    cmp = priv.get("policy_comparison")
    if not isinstance(cmp, dict):
        return []
    names = pi_names(priv, lang)
    policy = priv.get("policy") or {}
    sentences = {p.get("id"): list(p.get("sentences") or []) for p in policy.get("pi_types") or []}
    sdk_sentences = {p.get("id"): list(p.get("sentences") or []) for p in policy.get("sdks") or []}
    rows: list[tuple[str, str, list[str]]] = []
    for pi in cmp.get("observed_but_undeclared_pi") or []:
        rows.append((t("privacy.cmp.undeclared", lang), names.get(pi, pi), []))
    for pi in cmp.get("declared_but_unobserved_pi") or []:
        rows.append((t("privacy.cmp.unobserved", lang), names.get(pi, pi), sentences.get(pi, [])))
    for sdk in cmp.get("pi_reading_sdks_not_named") or []:
        rows.append((t("privacy.cmp.sdk_not_named", lang), sdk, []))
    for sdk in cmp.get("named_sdks") or []:
        rows.append((t("privacy.cmp.sdk_named", lang), sdk, sdk_sentences.get(sdk, [])))
    return rows


def sarif_properties(priv: dict[str, Any]) -> dict[str, Any]:
    """The assessment summary for SARIF's run property bag (ids and results, no prose)."""
    app_type = priv.get("app_type") or None
    return {
        "appType": app_type.get("id") if isinstance(app_type, dict) else None,
        "summary": result_counts(priv),
        "scenarios": [
            {
                "id": s.get("id"),
                "rules": s.get("rules"),
                "result": s.get("result"),
                "heuristic": bool(s.get("heuristic")),
                "needsReview": bool(s.get("needs_review")),
                "evidenceCount": s.get("evidence_total", len(s.get("evidence") or [])),
            }
            for s in list(priv.get("scenarios") or []) + list(priv.get("miit") or [])
        ],
        "collection": [
            {
                "piType": p.get("id"),
                "sensitive": bool(p.get("sensitive")),
                "collectors": list(p.get("collectors") or []),
                "permissionsDeclared": list(p.get("permissions_declared") or []),
            }
            for p in (priv.get("collection") or {}).get("pi_types") or []
        ],
        "policyComparison": priv.get("policy_comparison"),
    }
