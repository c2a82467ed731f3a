"""The report's PI section for a HarmonyOS package: the system modules its Ark bytecode
imports that read PI (``@ohos:geoLocationManager`` ...), against the permissions it requests.

ABC code is not decoded, so a read is "this module is imported", at medium confidence at
best (data/ohos_pi_modules.json says per module)."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from mobsec.facts.harmony import HarmonyFacts
from mobsec.facts.privacy.platform import PiRead, platform_privacy
from mobsec.report.model import Text

# "@ohos:geoLocationManager", "@ohos.geoLocationManager" (older toolchains), and native
# bindings "@native:ohos.geoLocationManager"
_IMPORT = re.compile(r"^@(?:ohos[:.]|native[:.]ohos\.)(?P<name>[A-Za-z0-9_.]+)$")
NOT_FOR_HARMONY = Text(
    "HarmonyOS package: the scenario rules read Android facts (components, pre-consent "
    "reach, SDK code); only the PI-reading system modules the bytecode imports are listed.",
    "鸿蒙安装包:该场景规则基于 Android 事实(组件、同意前可达性、SDK 代码);仅列出字节码导入的读取个人信息的系统模块。",
)


@cache
def ohos_pi_modules() -> dict[str, dict[str, Any]]:
    doc = json.loads(
        resources.files("mobsec.facts.harmony")
        .joinpath("data/ohos_pi_modules.json")
        .read_text("utf-8")
    )
    return doc["modules"]


def pi_reads(facts: HarmonyFacts) -> list[PiRead]:
    modules = ohos_pi_modules()
    out = []
    for m in facts.modules:
        for abc in m.abc_files:
            for imp in abc.imports:
                match = _IMPORT.match(imp)
                known = modules.get(match.group("name")) if match else None
                if known is not None:
                    out.append(
                        PiRead(
                            known["pi"], imp, abc.path, m.path or "(module)", 0,
                            known["confidence"], known["permission"],
                        )
                    )  # fmt: skip
    return out


def harmony_privacy(facts: HarmonyFacts) -> dict[str, Any]:
    requested = {p["name"] for p in facts.permission_rows()}
    return platform_privacy(pi_reads(facts), requested, {}, [], "ohos1", NOT_FOR_HARMONY)
