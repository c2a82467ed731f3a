"""iOS pipeline: an IPA read into bundles, then facts, the ``ios.*`` checks and the report.

The common sections get what they can hold (identity in ``app``, SDKs in ``sdks``); the
iOS-only facts go to ``platform_details`` tables: Info.plist, ATS, entitlements, the
provisioning profile, the hardening of every Mach-O, and the bundles the IPA carries.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mobsec.checks.runner import run_checks
from mobsec.diagnostics import Diagnostics
from mobsec.facts.ios import PLATFORM, IosFacts
from mobsec.facts.ios.privacy import ios_privacy
from mobsec.ingest.archive import Archive
from mobsec.ingest.ios.ipa import read_ipa
from mobsec.options import ScanOptions
from mobsec.phases import PhaseRunner
from mobsec.report.model import DetailSection, Report, Text

PI_CATEGORIES = frozenset({"analytics", "social", "push", "location", "attribution", "payment"})


def scan_ipa(
    path: Path,
    archive: Archive | None,
    report: Report,
    diags: Diagnostics,
    phases: PhaseRunner,
    options: ScanOptions,
) -> None:
    assert archive is not None  # detection only says "ipa" for a readable ZIP
    with phases.phase("ingest.ipa"):
        pkg = read_ipa(archive, diags, options.limits)
    facts = IosFacts(pkg, diags, options)
    with phases.phase("facts.ios"):
        report.app = _app(facts)
        report.sdks = [_sdk(s) for s in facts.sdks]
        report.platform_details = details(facts)
    with phases.phase("facts.privacy"):
        report.privacy = ios_privacy(facts)
    with phases.phase("checks"):
        report.findings = run_checks(
            facts, diags, phases.timings, phases.progress, platform=PLATFORM
        )


def _app(facts: IosFacts) -> dict[str, Any] | None:
    s = facts.app_summary()
    if s is None:
        return None
    build = s["build"]
    return {
        "package": s["bundle_id"],
        "version_code": int(build) if build and build.isdigit() and len(build) < 12 else None,
        "version_name": s["version"],
        "label": s["name"],
        "min_sdk": None,
        "target_sdk": None,
    }


def _sdk(s: dict[str, Any]) -> dict[str, Any]:
    """An iOS SDK in the common SDK shape: evidence (frameworks, bundles, classes) stands
    where Android lists classes and packages."""
    name = Text(s["name"]["en"], s["name"]["zh-CN"]).to_json()
    category = s["category"]
    return {
        "id": s["id"],
        "name": name,
        "vendor": name,
        "category": category,
        "purpose": {"en": category, "zh-CN": category},
        "packages": [],
        "pi_related": category in PI_CATEGORIES,
        "website": "",
        "class_count": len(s["evidence"]),
        "sample_classes": s["evidence"],
        "packages_seen": s["evidence"],
        "version": None,
    }


def details(facts: IosFacts) -> list[DetailSection]:
    """The iOS tables of ``platform_details`` (ids ``ios.*``)."""
    sec = facts.ios_section()
    app = facts.app
    out = []
    summary = facts.app_summary() or {}
    ident = DetailSection("ios.app", Text("iOS app", "iOS 应用"))
    for key in ("bundle_id", "name", "version", "build", "min_os", "platform", "sdk"):
        ident.add(key, summary.get(key))
    ident.add("app_root", sec["app_root"])
    if sec["nested_in"]:
        ident.add("nested_in", sec["nested_in"])
    out.append(ident)

    info = sec["info_plist"]
    plist = DetailSection("ios.info_plist", Text("Info.plist", "Info.plist"))
    plist.add("path", info["path"]).add("format", info["format"])
    plist.add("CFBundleURLSchemes", info["url_schemes"])
    plist.add("LSApplicationQueriesSchemes", info["queried_schemes"])
    plist.add("UIBackgroundModes", info["background_modes"])
    for key, text in info["usage_descriptions"].items():
        plist.add(key, text)
    plist.add("UIDeviceFamily", info["device_family"])
    plist.add("UIFileSharingEnabled", info["file_sharing"])
    out.append(plist)

    ats = sec["ats"]
    t = DetailSection("ios.ats", Text("App Transport Security", "App Transport Security(ATS)"))
    t.add("declared", ats["declared"])
    t.add("NSAllowsArbitraryLoads", ats["allows_arbitrary_loads"])
    t.add("NSAllowsArbitraryLoadsInWebContent", ats["allows_arbitrary_loads_in_web_content"])
    t.add("NSAllowsArbitraryLoadsForMedia", ats["allows_arbitrary_loads_for_media"])
    t.add("NSAllowsLocalNetworking", ats["allows_local_networking"])
    for e in ats["exception_domains"]:
        t.add(f"NSExceptionDomains.{e['domain']}", e)
    out.append(t)

    ents = DetailSection("ios.entitlements", Text("Entitlements", "授权(Entitlements)"))
    for key, value in sorted((sec["entitlements"] or {}).items()):
        ents.add(key, value)
    out.append(ents)

    prof = sec["profile"]
    if prof is not None:
        p = DetailSection("ios.profile", Text("Provisioning profile", "描述文件"))
        for key in ("path", "name", "kind", "team_name", "team_ids", "app_id_name", "created",
                    "expires", "get_task_allow", "provisions_all_devices", "device_count",
                    "signed_by"):  # fmt: skip
            p.add(key, prof[key])
        p.add("certificates", [c["subject"] for c in prof["certificates"]])
        out.append(p)

    hard = DetailSection(
        "ios.binaries", Text("Mach-O binaries: hardening", "Mach-O 二进制:安全加固")
    )
    for b in sec["binaries"]:
        hard.add(
            b["path"],
            {
                "architectures": b["architectures"],
                "encrypted": b["encrypted"],
                "pie": b["pie"],
                "stack_canary": b["stack_canary"],
                "arc": b["arc"],
                "code_signature": b["code_signature"],
                "swift": b["swift"],
                "imported_symbols": max((s["imported_symbols"] for s in b["slices"]), default=0),
                "symbols": max((s["symbols"] for s in b["slices"]), default=0),
            },
        )
    out.append(hard)

    if app is not None and facts.pkg.nested:
        nested = DetailSection("ios.bundles", Text("Nested bundles", "嵌套的包"))
        for b in facts.pkg.nested:
            nested.add(b.root, {"kind": b.kind, "bundle_id": b.bundle_id})
        out.append(nested)
    libs = sorted({lib for b in sec["binaries"] for lib in b["libraries"]})
    if libs:
        out.append(
            DetailSection(
                "ios.libraries", Text("Linked frameworks and libraries", "链接的框架和库")
            ).add("libraries", libs)
        )
    if sec["hosts"]:
        out.append(
            DetailSection("ios.hosts", Text("Hosts in the code", "代码中的主机")).add(
                "hosts", sec["hosts"][:200]
            )
        )
    return out
