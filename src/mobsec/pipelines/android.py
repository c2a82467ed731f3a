"""Android pipelines: an APK, a split-APK set (.apks/.xapk/.apkm) or an App Bundle read
into an ApkPackage, then facts, checks and the report.

:func:`fill_android_report` is the part every Android format shares (facts → checks →
report sections) once its input has been read into an :class:`ApkPackage`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mobsec.checks.registry import load_all
from mobsec.checks.runner import run_checks
from mobsec.checks.scope import scope_findings
from mobsec.diagnostics import Diagnostics
from mobsec.facts.app import AppFacts
from mobsec.facts.endpoints import find_endpoints
from mobsec.facts.icon import app_icon
from mobsec.facts.inventory import android_inventory
from mobsec.facts.privacy.assessment import assess_privacy
from mobsec.facts.privacy.collection import attach_flows
from mobsec.ingest.apk import ApkPackage, read_apk
from mobsec.ingest.archive import Archive
from mobsec.options import ScanOptions
from mobsec.phases import PhaseRunner
from mobsec.report.model import DetailSection, Report, Text

if TYPE_CHECKING:
    from mobsec.ingest.bundle import Bundle


def scan_apk(
    path: Path,
    archive: Archive | None,
    report: Report,
    diags: Diagnostics,
    phases: PhaseRunner,
    options: ScanOptions,
) -> None:
    assert archive is not None  # detection only says "apk" for a readable ZIP
    pkg = read_apk(archive, diags, phases, options.limits, options.threads)
    fill_android_report(report, pkg, diags, phases, options)


def fill_android_report(
    report: Report,
    pkg: ApkPackage,
    diags: Diagnostics,
    phases: PhaseRunner,
    options: ScanOptions,
) -> AppFacts:
    facts = AppFacts(pkg, diags, options)
    with phases.phase("facts.manifest", "AndroidManifest.xml"):
        manifest = facts.manifest
        if manifest is not None:
            report.manifest = manifest.to_json()
            report.app = facts.app_summary()
            icon = app_icon(pkg)
            if icon is not None:
                report.app["icon"] = icon
    if pkg.signing is not None:
        report.signing = pkg.signing.to_json()
    with phases.phase("facts.code"):
        report.code = facts.code_summary()
    with phases.phase("facts.sdks"):
        report.sdks = facts.sdks_json()
    with phases.phase("facts.endpoints"):
        report.endpoints = find_endpoints(facts)
    report.native_libraries = [lib.to_json() for lib in pkg.native_libraries]
    report.nested_code = [n.to_json() for n in pkg.nested_code]
    with phases.phase("facts.inventory"):
        report.inventory = android_inventory(facts, report.endpoints)
    with phases.phase("checks"):
        checks = None
        if options.rule_packs:  # data rules run as checks, next to the built-in ones
            checks = [*load_all("android").values()]
            checks += [c for pack in options.rule_packs for c in pack.checks()]
        findings = run_checks(
            facts,
            diags,
            phases.timings,
            phases.progress,
            checks,
            max_per_check=options.limits.max_findings_per_check,
        )
    if options.facts_dir is not None:
        with phases.phase("facts.store"):
            _store_facts(facts, report, diags, options)
    with phases.phase("facts.reachability"):  # open findings, unreachable, protections
        scoped = scope_findings(facts, findings, options.include_unreachable)
        report.findings = scoped.findings
        report.unreachable_findings = scoped.unreachable
        report.protections = scoped.protections
    if manifest is not None:
        with phases.phase("facts.taint"):
            _attach_pi_flows(facts, diags)
        with phases.phase("facts.privacy"):
            report.privacy = assess_privacy(facts).to_json()
    return facts


def _store_facts(facts: AppFacts, report: Report, diags: Diagnostics, options: ScanOptions) -> None:
    from mobsec.rules.stored import FactsTooLarge, save, snapshot

    assert options.facts_dir is not None
    doc = snapshot(facts, report.package.sha256)
    try:
        save(options.facts_dir, doc, options.limits.max_stored_facts_bytes)
    except FactsTooLarge as e:
        diags.warning(
            "facts.too_large",
            "",
            f"The facts for rule-only re-scans were not stored: {e}",
            f"未保存供规则重扫使用的事实数据:{e.zh}",
        )
    except OSError as e:
        diags.warning(
            "facts.store_failed",
            "",
            f"The facts for rule-only re-scans could not be stored: {e}",
            f"无法保存供规则重扫使用的事实数据:{e}",
        )


def _attach_pi_flows(facts: AppFacts, diags: Diagnostics) -> None:
    """Where the PI the app reads goes (taint analysis), shown with each read."""
    result = facts.pi_flow_analysis
    attach_flows(facts.pi_collection, result.leaks)
    if not result.complete:
        diags.warning(
            "taint.incomplete",
            "",
            f"PI data-flow analysis stopped early ({result.incomplete_reason}); "
            "flows may be missing",
            f"个人信息数据流分析提前结束({result.incomplete_reason}),可能遗漏数据流",
        )


def scan_bundle(
    path: Path,
    archive: Archive | None,
    report: Report,
    diags: Diagnostics,
    phases: PhaseRunner,
    options: ScanOptions,
) -> None:
    """One app made of several parts: .apks (bundletool), .xapk and .apkm split sets (a base
    APK and its splits) and .aab App Bundles (modules), read as their union."""
    from mobsec.ingest.bundle import read_aab, read_split_set  # not needed for a plain APK

    assert archive is not None
    fmt = report.package.format
    if fmt == "aab":
        bundle = read_aab(archive, diags, phases, options.limits, options.threads)
    else:
        bundle = read_split_set(archive, fmt, diags, phases, options.limits, options.threads)
    if bundle is None:
        return
    try:
        fill_android_report(report, bundle.package, diags, phases, options)
        for f in report.findings:  # view names → the split/module the file comes from
            f.location.file = bundle.view.locate(f.location.file)
        report.platform_details.append(bundle_details(bundle, diags))
    finally:
        bundle.close()


def bundle_details(bundle: Bundle, diags: Diagnostics) -> DetailSection:
    """The parts of the app, and what the set's own index claims (checked against them)."""
    section = DetailSection(
        "android.bundle",
        Text("Base and splits / modules", "基础包与拆分包 / 模块"),
    )
    for part in bundle.parts:
        facts = part.to_json()  # data, not prose: the same in every language
        del facts["name"]
        section.add(part.name, facts)
    manifest = bundle.package.manifest_xml
    package = manifest.attr("package", "") if manifest is not None else None
    package_name = package.value() if package is not None else None
    for key, value in bundle.index.items():
        section.add(key, value)
        index_file, _, field = key.partition(": ")
        if field in ("package_name", "pname") and package_name and value != package_name:
            diags.warning(
                "bundle.index_mismatch",
                index_file,
                f"The set's index names package {value!r} but its base APK is {package_name!r}",
                f"集合索引声明的包名为 {value!r},但基础 APK 为 {package_name!r}",
            )
    return section
