"""The report's PI section for an IPA: the iOS APIs that read PI, found in the app's own
executables (main app and extensions), and the usage descriptions that guard them.

Mach-O code is not disassembled, so a read is shown by what the linker left: the class or
function imported (``_OBJC_CLASS_$_CLLocationManager``, ``_CNCopyCurrentNetworkInfo``), the
selectors the code sends (``advertisingIdentifier``), the system framework linked. How sure
each is follows data/ios_pi_apis.json. The guards are the ``NS…UsageDescription`` keys: iOS
ends an app that asks for the data without one, so a read with none declared is shown as
such. A usage description with no read found is listed too (the app says it will ask).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from mobsec.facts.ios import IosFacts
from mobsec.facts.privacy.platform import PiRead, platform_privacy
from mobsec.ingest.ios.ipa import Bundle
from mobsec.report.model import Text

INFO_PLIST = "Info.plist"
NOT_FOR_IOS = Text(
    "iOS package: the scenario rules read Android facts (components, pre-consent reach, SDK "
    "code); for an IPA the PI-reading APIs its executables import or call and the usage "
    "descriptions of Info.plist are listed.",
    "iOS 安装包:该场景规则基于 Android 事实(组件、同意前可达性、SDK 代码);IPA 仅列出其可执行文件导入或调用的"
    "读取个人信息的接口,以及 Info.plist 中的权限用途说明。",
)


@cache
def ios_pi_apis() -> dict[str, Any]:
    return json.loads(
        resources.files("mobsec.facts.ios").joinpath("data/ios_pi_apis.json").read_text("utf-8")
    )


def pi_reads(facts: IosFacts) -> list[PiRead]:
    catalog = ios_pi_apis()
    declared = set(facts.usage_descriptions)
    out: list[PiRead] = []
    for bundle in facts.pkg.bundles:
        if bundle.kind == "framework" or bundle.binary is None:
            continue  # the app's own code; frameworks are SDKs (the SDK section names them)
        out += _bundle_reads(bundle, catalog["apis"], declared, bool(facts.queried_schemes))
    for key, pi in catalog["usage_descriptions"].items():
        if key in declared:
            out.append(PiRead(pi, key, facts.info_path, INFO_PLIST, 0, "low", key, "declared"))
    return out


def _bundle_reads(
    bundle: Bundle, apis: list[dict[str, Any]], declared: set[str], queries: bool
) -> list[PiRead]:
    binary = bundle.binary
    assert binary is not None
    imports = binary.imports()
    selectors = set(binary.selectors)
    primary = binary.primary
    frameworks = {
        lib.rsplit("/", 1)[-1]
        for lib in (primary.libraries + primary.weak_libraries if primary else [])
    }
    where = bundle.root.rstrip("/").rsplit("/", 1)[-1] or bundle.root
    out = []
    for api in apis:
        if api.get("needs_queried_schemes") and not queries:
            continue
        symbols = [s for s in api["symbols"] if s in imports]
        sels = [s for s in api["selectors"] if s in selectors]
        guard = _guard(api["guards"], declared)
        if symbols and (sels or not api["selectors"]):
            source, confidence, how = symbols[0], "high", "call"
        elif symbols or sels:
            source, confidence, how = (symbols or sels)[0], "medium", "call"
        elif api["framework"] and api["framework"] in frameworks:
            source, confidence, how = f"{api['framework']}.framework", "low", "linked"
        else:
            continue
        out.append(PiRead(api["pi"], source, binary.path, where, 0, confidence, guard, how))
    return out


def _guard(guards: list[str], declared: set[str]) -> str | None:
    """The usage description that guards the read: the one declared, else the usual one."""
    return next((g for g in guards if g in declared), guards[0] if guards else None)


def ios_privacy(facts: IosFacts) -> dict[str, Any]:
    catalog = ios_pi_apis()
    return platform_privacy(
        pi_reads(facts),
        set(facts.usage_descriptions),
        catalog["local_pi_types"],
        facts.hosts,
        f"ios{catalog['version']}",
        NOT_FOR_IOS,
    )
