"""The report's PI section for a mini-program: the wx.* calls that read PI."""

from __future__ import annotations

from typing import Any

from mobsec.facts.miniprogram import MiniProgramFacts, wx_pi_catalog
from mobsec.facts.privacy.platform import PiRead, platform_privacy
from mobsec.report.model import Text

NOT_FOR_MINIPROGRAMS = Text(
    "Mini-program package: the scenario rules read Android facts (components, pre-consent "
    "reach, SDK code); only the PI reads of wx.* APIs are listed for mini-programs.",
    "小程序包:该场景规则基于 Android 事实(组件、同意前可达性、SDK 代码);小程序仅列出通过 wx.* 接口读取的个人信息。",
)


def miniprogram_privacy(facts: MiniProgramFacts) -> dict[str, Any]:
    reads = [
        PiRead(
            api.pi_type,
            call.callee,
            call.file,
            call.module,
            call.line,
            "high" if call.parsed else "medium",
            api.scope,
        )
        for call, api in facts.pi_calls()
    ]
    catalog = wx_pi_catalog()
    return platform_privacy(
        reads,
        set(facts.config.permissions) if facts.config else set(),
        catalog["local_pi_types"],
        facts.hosts(),
        f"wx{catalog['version']}",
        NOT_FOR_MINIPROGRAMS,
    )
