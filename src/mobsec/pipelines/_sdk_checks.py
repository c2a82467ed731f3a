"""The Android manifest checks that still hold for an SDK's manifest, run on it unchanged.

An AAR's manifest is merged into every host app: its components, intent filters and
permissions arrive as declared, so the component-level checks judge them as they would
in an APK. App-level flags (allowBackup, debuggable, cleartext, minSdk, sharedUserId,
testOnly) are the host's to set and are not run: a library's defaults are not the app's.
Only the modules of these checks are imported (loading every Android check costs about a
second, the whole budget of an SDK scan).
"""

from __future__ import annotations

import importlib

from mobsec.checks.registry import REGISTRY, Check

MODULES = (
    "mobsec.checks.manifest.exported",
    "mobsec.checks.manifest.intent_filters",
    "mobsec.checks.manifest.permissions",
    "mobsec.checks.manifest.tasks",
)
HOST_LEVEL_CHECKS = (
    "android.manifest.exported-activity",
    "android.manifest.exported-service",
    "android.manifest.exported-receiver",
    "android.manifest.exported-provider",
    "android.manifest.deeplink-custom-scheme",
    "android.manifest.applink-unverified",
    "android.manifest.high-intent-priority",
    "android.manifest.secret-code",
    "android.manifest.data-sms-receiver",
    "android.manifest.weak-custom-permission",
    "android.manifest.provider-grant-uri-permissions",
    "android.manifest.provider-path-permission-only",
    "android.manifest.task-affinity",
    "android.manifest.task-reparenting",
)


def sdk_manifest_checks() -> list[Check]:
    for module in MODULES:
        importlib.import_module(module)
    return [REGISTRY[i] for i in HOST_LEVEL_CHECKS]
