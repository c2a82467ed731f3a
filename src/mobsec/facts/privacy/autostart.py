"""Receivers that let the system start the app by itself (MIIT 164号文: 频繁自启动和关联启动).

A manifest receiver for boot, user-present, connectivity or package events wakes the app's
process without the user opening it ("self-start"); package events of other apps let one
app start another ("associated start"). The static fact is the capability; how often it
happens needs a run.

A receiver counts only for the actions Android still delivers to it: from targetSdk 26 most
implicit system broadcasts (power, unlock, Wi-Fi, package events...) no longer reach
manifest receivers (see :mod:`mobsec.facts.broadcast_delivery`), so such a receiver is no
way to start the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mobsec.facts.broadcast_delivery import reaches_manifest_receiver

if TYPE_CHECKING:
    from mobsec.facts.manifest import Component, Manifest

SELF_START_ACTIONS = {
    "android.intent.action.BOOT_COMPLETED": "boot",
    "android.intent.action.LOCKED_BOOT_COMPLETED": "boot",
    "android.intent.action.QUICKBOOT_POWERON": "boot",
    "com.htc.intent.action.QUICKBOOT_POWERON": "boot",
    "android.intent.action.REBOOT": "boot",
    "android.intent.action.USER_PRESENT": "unlock",
    "android.net.conn.CONNECTIVITY_CHANGE": "network",
    "android.net.wifi.STATE_CHANGE": "network",
    "android.net.wifi.WIFI_STATE_CHANGED": "network",
    "android.intent.action.ACTION_POWER_CONNECTED": "power",
    "android.intent.action.ACTION_POWER_DISCONNECTED": "power",
    "android.intent.action.PACKAGE_ADDED": "package",
    "android.intent.action.PACKAGE_REMOVED": "package",
    "android.intent.action.PACKAGE_REPLACED": "package",
    "android.intent.action.MEDIA_MOUNTED": "media",
}


@dataclass(frozen=True, slots=True)
class AutoStart:
    component: Component
    actions: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "component": self.component.name,
            "line": self.component.line,
            "actions": list(self.actions),
            "triggers": sorted({SELF_START_ACTIONS[a] for a in self.actions}),
        }


def auto_start_receivers(manifest: Manifest | None) -> list[AutoStart]:
    if manifest is None:
        return []
    out = []
    for c in manifest.components_of("receiver"):
        if not c.enabled:
            continue
        actions = sorted(
            {
                a
                for f in c.intent_filters
                for a in f.actions
                if a in SELF_START_ACTIONS and reaches_manifest_receiver(a, manifest.target_sdk)
            }
        )
        if actions:
            out.append(AutoStart(c, tuple(actions)))
    return out
