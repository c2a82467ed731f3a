"""The report's PI section for packages without Android facts (iOS, HarmonyOS, mini-programs).

"Who collects what" has the same shape as an APK's: PI types (from the PI catalog, or the
platform's own types) with the places that read them, the collector (the app), and the
permissions or authorisation scopes that guard them. The 191 scenarios are written for
Android facts (components, pre-consent reach, SDK code): for these packages each is listed
as not assessed statically, with that reason, rather than guessed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from mobsec.facts.privacy._scenarios import CATEGORIES, SCENARIOS_191
from mobsec.facts.privacy.assessment import NOT_ASSESSED, RESULTS, ScenarioResult
from mobsec.facts.privacy.catalog import load_pi_catalog
from mobsec.report.model import Text

MAX_ACCESSES_PER_TYPE = 50


@dataclass(frozen=True, slots=True)
class PiRead:
    """One place that reads (or opens access to) one PI type."""

    pi_type: str
    source: str  # "wx.getLocation", "@ohos:geoLocationManager"
    file: str
    where: str  # module / class the read is in
    line: int  # line (JS) or 0 when there is none
    confidence: str  # high | medium | low
    guard: str | None = None  # permission or scope that guards it
    how: str = "call"  # "linked" (iOS framework only), "declared" (iOS usage description)


def platform_privacy(
    reads: list[PiRead],
    declared_guards: set[str],
    local_types: dict[str, dict[str, Any]],
    hosts: list[str],
    catalog_suffix: str,
    reason: Text,
) -> dict[str, Any]:
    catalog = load_pi_catalog()
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    guards: dict[str, set[str]] = defaultdict(set)
    for r in reads:
        if r.guard:
            guards[r.pi_type].add(r.guard)
        if len(by_type[r.pi_type]) < MAX_ACCESSES_PER_TYPE:
            by_type[r.pi_type].append(
                {
                    "source": r.source,
                    "how": r.how,
                    "confidence": r.confidence,
                    "detail": r.where,
                    "file": r.file,
                    "class": r.where,
                    "method": r.source,
                    "offset": r.line,
                    "owner": {"kind": "app", "sdk": None, "package": ""},
                    "flows": [],
                }
            )
    pi_types = []
    for tid, accesses in sorted(by_type.items()):
        known = catalog.types.get(tid)
        if known is not None:
            head = {
                "name": known.name.to_json(),
                "group": known.group,
                "sensitive": known.sensitive,
                "necessary_category": known.necessary_category,
            }
        else:
            t = local_types[tid]
            head = {k: t[k] for k in ("name", "group", "sensitive", "necessary_category")}
        needed = sorted(guards[tid])
        pi_types.append(
            {
                "id": tid,
                **head,
                "collectors": ["app"],
                "by_app": True,
                "permissions_needed": needed,
                "permissions_declared": [g for g in needed if g in declared_guards],
                "accesses": accesses,
            }
        )
    guard_types: dict[str, set[str]] = defaultdict(set)
    for tid, gs in guards.items():
        for g in gs:
            guard_types[g].add(tid)
    scenarios = [
        ScenarioResult(
            sid, "191", CATEGORIES[int(sid[0])], Text(en, zh), tag, NOT_ASSESSED, reason=reason
        ).to_json()
        for sid, tag, zh, en, _how in SCENARIOS_191
    ]
    summary = dict.fromkeys(RESULTS, 0)
    summary[NOT_ASSESSED] = len(scenarios)
    collectors = [
        {
            "key": "app",
            "kind": "app",
            "sdk": None,
            "sdk_name": None,
            "vendor": None,
            "package": None,
            "pi_types": sorted(by_type),
            "hosts": hosts,
        }
    ]
    return {
        "app_type": None,
        "collection": {
            "catalog_version": f"{catalog.version}+{catalog_suffix}",
            "pi_types": pi_types,
            "collectors": collectors if by_type else [],
            "permissions": [
                {"permission": g, "pi_types": sorted(t)} for g, t in sorted(guard_types.items())
            ],
        },
        "pre_consent_access": [],
        "policy_in_app": [],
        "auto_start": [],
        "policy": None,
        "policy_comparison": None,
        "scenarios": scenarios,
        "miit": [],
        "summary": summary,
    }
