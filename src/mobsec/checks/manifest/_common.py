"""What the manifest checks share: the standard areas they cite and how strong a permission is.

Kept out of the check modules (the leading underscore keeps ``load_all`` from treating it as
one) so every manifest check reasons about permissions the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mobsec.facts.manifest import Component, Manifest, platform_permissions

# GB/T 34975-2017 areas cited by the manifest and signing checks (one spelling for the area).
# Component kind -> (English, Chinese) words for messages.
COMPONENT_KIND_TEXT = {
    "activity": ("activity", "Activity"),
    "activity-alias": ("activity alias", "Activity 别名"),
    "service": ("service", "Service"),
    "receiver": ("broadcast receiver", "广播接收器"),
    "provider": ("content provider", "内容提供器"),
}
GBT_SIGNING = "5.3.1 安装包签名安全 / package signing"
GBT_COMPONENTS = "5.3.2 组件安全 / components"
GBT_PERMISSIONS = "5.3.3 权限安全 / permissions"
GBT_DEBUGGING = "5.3.4 应用调试安全 / debugging"
GBT_PLATFORM = "5.3.5 运行环境安全 / platform version"
GBT_BACKUP = "5.2.3 数据备份安全 / data backup"
GBT_COMMUNICATION = "5.4.2 通信安全 / communication"

Strength = Literal["none", "normal", "dangerous", "signature", "unknown"]

# Permissions defined by widely installed apps, not by the platform, whose level is known:
# Google Play services declares both with protectionLevel="signature".
_KNOWN_THIRD_PARTY = {
    "com.google.android.c2dm.permission.SEND": "signature",
    "com.google.android.gms.permission.BIND_NETWORK_TASK_SERVICE": "signature",
}
_SIGNATURE_WORDS = {"signature", "signatureOrSystem", "system", "knownSigner"}


@dataclass(frozen=True, slots=True)
class Protection:
    """How well one permission keeps other apps out, and where its level came from."""

    permission: str | None
    strength: Strength
    level: str | None  # the protectionLevel text as declared, when known
    source: str  # "none", "app", "platform", "known-app", "undefined"

    @property
    def protects(self) -> bool:
        return self.strength == "signature"

    def describe(self) -> tuple[str, str]:
        """(en, zh) phrase for a finding message."""
        p = self.permission
        if self.strength == "none":
            return "no permission", "未设置权限"
        if self.strength == "unknown":
            return (
                f"permission {p}, which neither this app nor the platform defines (the app "
                f"that defines it first decides its protection level)",
                f"权限 {p},该权限既非本应用也非系统定义(最先定义它的应用决定其保护级别)",
            )
        return (
            f"permission {p} with protection level {self.level}",
            f"保护级别为 {self.level} 的权限 {p}",
        )


def strength_of_level(level: str) -> Strength:
    """``"signature|privileged"`` -> ``"signature"``; ``"normal"`` -> ``"normal"``."""
    words = {w.strip() for w in level.split("|")}
    if words & _SIGNATURE_WORDS:
        return "signature"
    if "dangerous" in words:
        return "dangerous"
    return "normal"


def protection(manifest: Manifest, permission: str | None) -> Protection:
    """Strength of ``permission``: this app's ``<permission>`` wins, then the platform's."""
    if not permission:
        return Protection(None, "none", None, "none")
    for own in manifest.permissions:
        if own.name == permission:
            level = own.protection_level
            return Protection(permission, strength_of_level(level), level, "app")
    level = platform_permissions().get(permission)
    if level is not None:
        return Protection(permission, strength_of_level(level), level, "platform")
    level = _KNOWN_THIRD_PARTY.get(permission)
    if level is not None:
        return Protection(permission, strength_of_level(level), level, "known-app")
    return Protection(permission, "unknown", None, "undefined")


def is_launcher(manifest: Manifest, component: Component) -> bool:
    # Per component, not a scan of launcher_activities: checks ask for every component.
    return component.is_launcher()


def exported_how(component: Component, target_sdk: int) -> tuple[str, str]:
    """(en, zh) phrase saying why Android exports ``component``."""
    if component.exported_reason == "intent-filter":
        return (
            f"exported implicitly (it has an intent filter and targetSdkVersion {target_sdk} < 31)",
            f"因含有 intent-filter 且 targetSdkVersion {target_sdk} < 31 而被隐式导出",
        )
    if component.exported_reason == "provider-sdk":
        return (
            f"exported by default (targetSdkVersion {target_sdk} <= 16)",
            f"因 targetSdkVersion {target_sdk} <= 16 而默认导出",
        )
    return 'exported (android:exported="true")', '已导出(android:exported="true")'
