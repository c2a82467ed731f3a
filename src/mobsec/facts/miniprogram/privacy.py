"""The report's PI section for a mini-program: who collects what, from the wx.* calls.

The "who collects what" part has the same shape as an APK's (PI types with their accesses,
collectors, the authorisation scopes that guard them). The 191 scenarios are written for
Android facts (components, pre-consent reach, SDK code); for a mini-program each is listed
as not assessed statically, with that reason, rather than guessed.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from mobsec.facts.miniprogram import MiniProgramFacts, wx_pi_catalog
from mobsec.facts.privacy._scenarios import CATEGORIES, SCENARIOS_191
from mobsec.facts.privacy.assessment import NOT_ASSESSED, RESULTS, ScenarioResult
from mobsec.facts.privacy.catalog import load_pi_catalog
from mobsec.report.model import Text

MAX_ACCESSES_PER_TYPE = 50
NOT_FOR_MINIPROGRAMS = Text(
    "Mini-program package: the scenario rules read Android facts (components, pre-consent "
    "reach, SDK code); only the PI reads of wx.* APIs are listed for mini-programs.",
    "小程序包:该场景规则基于 Android 事实(组件、同意前可达性、SDK 代码);小程序仅列出通过 wx.* 接口读取的个人信息。",
)


def miniprogram_privacy(facts: MiniProgramFacts) -> dict[str, Any]:
    catalog = load_pi_catalog()
    local = wx_pi_catalog()["local_pi_types"]
    declared = set(facts.config.permissions) if facts.config else set()
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    scopes: dict[str, set[str]] = defaultdict(set)
    for call, api in facts.pi_calls():
        if api.scope:
            scopes[api.pi_type].add(api.scope)
        if len(by_type[api.pi_type]) < MAX_ACCESSES_PER_TYPE:
            by_type[api.pi_type].append(
                {
                    "source": call.callee,
                    "how": "call",
                    "confidence": "high" if call.parsed else "medium",
                    "detail": call.module,
                    "file": call.file,
                    "class": call.module,
                    "method": call.callee,
                    "offset": call.line,
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
            t = local[tid]
            head = {k: t[k] for k in ("name", "group", "sensitive", "necessary_category")}
        needed = sorted(scopes[tid])
        pi_types.append(
            {
                "id": tid,
                **head,
                "collectors": ["app"],
                "by_app": True,
                "permissions_needed": needed,
                "permissions_declared": [s for s in needed if s in declared],
                "accesses": accesses,
            }
        )
    scope_types: dict[str, set[str]] = defaultdict(set)
    for tid, ss in scopes.items():
        for s in ss:
            scope_types[s].add(tid)
    scenarios = [
        ScenarioResult(
            sid,
            "191",
            CATEGORIES[int(sid[0])],
            Text(en, zh),
            tag,
            NOT_ASSESSED,
            reason=NOT_FOR_MINIPROGRAMS,
        ).to_json()
        for sid, tag, zh, en, _how in SCENARIOS_191
    ]
    summary = dict.fromkeys(RESULTS, 0)
    summary[NOT_ASSESSED] = len(scenarios)
    return {
        "app_type": None,
        "collection": {
            "catalog_version": f"{catalog.version}+wx{wx_pi_catalog()['version']}",
            "pi_types": pi_types,
            "collectors": [
                {
                    "key": "app",
                    "kind": "app",
                    "sdk": None,
                    "sdk_name": None,
                    "vendor": None,
                    "package": None,
                    "pi_types": sorted(by_type),
                    "hosts": facts.hosts(),
                }
            ]
            if by_type
            else [],
            "permissions": [
                {"permission": s, "pi_types": sorted(t)} for s, t in sorted(scope_types.items())
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
