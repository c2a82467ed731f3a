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


# Code checks run on the SDK's class files (translated to DEX, see mobsec.ingest.jvm.todex),
# by family (docs/sdk-code-checks.md): each module is imported, and every check it
# registers runs, apart from the app-level ones below.
CODE_MODULES = {
    "crypto": ("ciphers", "digests", "keys", "keystore", "pbe", "randomness"),
    "network": (
        "tls_apis",
        "trust_manager",
        "cleartext_url",
        "server_sockets",
        "plain_sockets",
        "pinning",
    ),
    "webview": ("settings", "bridge", "clients", "intent_scheme", "untrusted_load"),
    "storage": (
        "file_modes",
        "logging",
        "sql",
        "external",
        "clipboard",
        "credentials",
        "temp_files",
        "keystroke_log",
    ),
    "secrets": ("hardcoded",),
    "icc": ("broadcasts", "intents", "components", "activity_hijack"),
    "code": ("dynamic_loading", "protections", "external_native_load"),
    "privacy": ("collection",),
}
# Need the host app around them (its manifest, resources or all of its code).
NOT_ON_SDKS = frozenset(
    {
        "android.icc.fragment-injection",  # judges the app's exported PreferenceActivity
    }
)


def sdk_code_checks() -> list[Check]:
    names = {f"mobsec.checks.{family}.{m}" for family, mods in CODE_MODULES.items() for m in mods}
    for module in sorted(names):
        importlib.import_module(module)
    return [
        c for c in REGISTRY.values() if c.run.__module__ in names and c.meta.id not in NOT_ON_SDKS
    ]


def sdk_manifest_checks() -> list[Check]:
    for module in MODULES:
        importlib.import_module(module)
    return [REGISTRY[i] for i in HOST_LEVEL_CHECKS]
