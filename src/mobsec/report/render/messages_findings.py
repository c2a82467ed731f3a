"""Labels of the grouped findings, the code scope and the check areas (en, zh-CN).

Merged into ``messages.MESSAGES``; kept apart so the findings view can grow without every
renderer's edits meeting in one file.
"""

from __future__ import annotations

from typing import Final

FINDINGS_MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # one label per check area ("<platform>.<area>.<name>" ids; the platform is not repeated)
    "area.manifest": ("Manifest configuration", "清单配置"),
    "area.config": ("App configuration", "应用配置"),
    "area.permissions": ("Permissions", "权限"),
    "area.crypto": ("Cryptography", "密码学"),
    "area.network": ("Network security", "网络安全"),
    "area.webview": ("WebView", "WebView"),
    "area.storage": ("Data storage", "数据存储"),
    "area.icc": ("Inter-component communication", "组件间通信"),
    "area.native": ("Native code", "原生代码"),
    "area.signing": ("Signing", "签名"),
    "area.secrets": ("Secrets", "敏感凭据"),
    "area.privacy": ("Privacy / personal information", "隐私与个人信息"),
    "area.code": ("Code security", "代码安全"),
    "area.ui": ("User interface", "界面安全"),
    "area.files": ("Files in the package", "安装包内文件"),
    "area.binary": ("Binary hardening", "二进制加固"),
    "area.platform": ("Platform APIs", "平台接口"),
    "area.resilience": ("Resilience (anti-tampering)", "抗逆向与防篡改"),
    "scope.label": ("Code", "代码范围"),
    "scope.all": ("all code", "全部代码"),
    "scope.app": ("app's own code", "应用自身代码"),
    "scope.sdk": ("SDK code", "SDK 代码"),
    "risk.why.sdk": (
        "{n} of the {total} open findings ({severe} of {severe_total} at high or above) are "
        "in third-party SDK code.",
        "{total} 个待处理发现中有 {n} 个（高危及以上 {severe_total} 个中有 {severe} 个）位于第三方 "
        "SDK 代码中。",
    ),
    "risk.why.scope.app": (
        "Only the app's own code is shown (--scope app); {n} finding(s) in SDK code are not.",
        "仅显示应用自身代码（--scope app）；SDK 代码中的 {n} 个发现未显示。",
    ),
    "risk.why.scope.sdk": (
        "Only SDK code is shown (--scope sdk); {n} finding(s) in the app's own code are not.",
        "仅显示 SDK 代码（--scope sdk）；应用自身代码中的 {n} 个发现未显示。",
    ),
    "group.instances": ("{n} place(s)", "{n} 处"),
    "group.app": ("In the app's own code", "应用自身代码"),
    "group.sdk_instances": ("{name}: {n} place(s)", "{name}：{n} 处"),
    "group.more": ("… and {n} more place(s)", "……另有 {n} 处"),
    "summary.top_more": ("… +{n} more checks", "……另有 {n} 项检测"),
    "summary.places": (
        "{n} place(s): {app} in app code, {sdk} in SDKs",
        "{n} 处：应用自身 {app}，SDK {sdk}",
    ),
}
