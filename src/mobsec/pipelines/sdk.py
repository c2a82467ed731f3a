"""Android SDK pipelines: an ``.aar`` library or a ``.jar`` → class files and manifest →
report sections an SDK reviewer needs before the SDK ships inside apps.

An AAR's ``AndroidManifest.xml`` is plain-text XML that the build merges into every host
app: its permissions and components become the host's. Its code is ``classes.jar`` plus
``libs/*.jar``; native code is ``jni/<abi>/*.so``; ``proguard.txt`` holds the consumer
rules applied to the host's build. For both formats the entry points are the public and
protected methods (an SDK has no components of its own to start from).
"""

from __future__ import annotations

import re
from pathlib import Path

from mobsec.checks.runner import run_checks
from mobsec.checks.scope import scope_findings
from mobsec.diagnostics import Diagnostics, InputError
from mobsec.facts.app import AppFacts
from mobsec.facts.endpoints import find_endpoints
from mobsec.facts.jvm import MAX_SITES_SHOWN, JvmFacts
from mobsec.facts.manifest import Manifest
from mobsec.facts.owners import OwnerResolver, SdkCatalog, detect_sdks
from mobsec.facts.sdk_app import SdkFacts
from mobsec.ingest.apk import ApkPackage
from mobsec.ingest.archive import Archive
from mobsec.ingest.axml import XmlElement, parse_text_xml
from mobsec.ingest.elf import analyze_elf
from mobsec.ingest.jvm import JvmCode
from mobsec.ingest.jvm.todex import to_dex
from mobsec.options import ScanOptions
from mobsec.phases import PhaseRunner
from mobsec.report.model import DetailSection, Report, Text

from ._sdk_checks import sdk_code_checks, sdk_manifest_checks

MANIFEST = "AndroidManifest.xml"
_JNI = re.compile(r"^jni/[^/]+/[^/]+\.so$")
_LIB_JAR = re.compile(r"^libs/[^/]+\.jar$")
# consumer rules that weaken the host app's obfuscation: (pattern, en, zh)
_RULES = (
    (
        re.compile(r"^-dontobfuscate\b"),
        "turns off obfuscation of the whole host app",
        "关闭整个宿主应用的混淆",
    ),
    (
        re.compile(r"^-dontoptimize\b"),
        "turns off optimisation of the whole host app",
        "关闭整个宿主应用的优化",
    ),
    (
        re.compile(r"^-dontshrink\b"),
        "turns off shrinking of the whole host app",
        "关闭整个宿主应用的压缩",
    ),
    (
        re.compile(r"^-keep\w*\s+(?:public\s+)?(?:class|interface|enum)\s+\*\*?\s*(?:\{|$)"),
        "keeps every class of the host app unobfuscated",
        "使宿主应用的所有类都不被混淆",
    ),
    (
        re.compile(r"^-keepattributes\s+\*"),
        "keeps every attribute (debug info, signatures)",
        "保留所有属性(调试信息、签名)",
    ),
)


def scan_jar(
    path: Path,
    archive: Archive | None,
    report: Report,
    diags: Diagnostics,
    phases: PhaseRunner,
    options: ScanOptions,
) -> None:
    assert archive is not None  # detection says jar only for a readable ZIP
    code = JvmCode()
    with phases.phase("ingest.jvm", archive.display_name):
        code.add_jar(archive, "", diags)
    _fill(report, JvmFacts(code), None, diags, phases)
    _run_checks(report, ApkPackage(archive), code, diags, phases, options)


def scan_aar(
    path: Path,
    archive: Archive | None,
    report: Report,
    diags: Diagnostics,
    phases: PhaseRunner,
    options: ScanOptions,
) -> None:
    assert archive is not None  # detection says aar only for a readable ZIP
    with phases.phase("ingest.aar", MANIFEST):
        root = _read_manifest(archive, diags, options)
    pkg = ApkPackage(archive, manifest_xml=root)
    manifest = AppFacts(pkg, diags, options).manifest
    code = JvmCode()
    with phases.phase("ingest.jvm"):
        jars = ["classes.jar", *sorted(n for n in archive.names() if _LIB_JAR.match(n))]
        for name in jars:
            _add_nested_jar(code, archive, name, diags, options)
    with phases.phase("ingest.native"):
        for name in sorted(n for n in archive.names() if _JNI.match(n)):
            data = archive.read(name)
            lib = analyze_elf(data, name, diags, options.limits) if data else None
            if lib is not None:
                report.native_libraries.append(lib.to_json())
    if manifest is not None:
        report.manifest = manifest.to_json()
        report.app = {
            "package": manifest.package or None,
            "version_code": manifest.version_code,
            "version_name": manifest.version_name,
            "label": None,
            "min_sdk": manifest.min_sdk,
            "target_sdk": manifest.target_sdk,
        }
    _fill(report, JvmFacts(code), manifest, diags, phases)
    report.platform_details += _aar_sections(archive, diags)
    _run_checks(report, pkg, code, diags, phases, options)


def _run_checks(
    report: Report,
    pkg: ApkPackage,
    code: JvmCode,
    diags: Diagnostics,
    phases: PhaseRunner,
    options: ScanOptions,
) -> None:
    """The code checks on the class files (translated to DEX) and, for an AAR, the
    manifest checks that hold for what it adds to host apps; scoped as for an APK, with
    the SDK's public API as the entry points."""
    with phases.phase("ingest.jvm_to_dex"):
        translation = to_dex(code, diags, options.limits)
    pkg.dex = translation.dex
    facts = SdkFacts(pkg, diags, options)
    summary = next(d for d in report.platform_details if d.id == "sdk.code")
    summary.add("methods_translated_to_dex", translation.translated)
    summary.add("methods_not_translated", translation.untranslated)
    with phases.phase("facts.endpoints"):  # the report's hosts/e-mails, as for an APK
        report.endpoints = find_endpoints(facts)
    with phases.phase("checks"):
        checks = sdk_code_checks()
        if facts.manifest is not None:
            checks += sdk_manifest_checks()
        findings = run_checks(facts, diags, phases.timings, phases.progress, checks=checks)
    with phases.phase("facts.reachability"):
        scoped = scope_findings(facts, findings, options.include_unreachable)
    report.findings = scoped.findings
    report.unreachable_findings = scoped.unreachable
    report.protections = scoped.protections


def _read_manifest(archive: Archive, diags: Diagnostics, options: ScanOptions) -> XmlElement | None:
    if archive.get(MANIFEST) is None:
        diags.error(
            "aar.no_manifest",
            MANIFEST,
            "the AAR has no AndroidManifest.xml",
            "AAR 中没有 AndroidManifest.xml",
        )
        return None
    data = archive.read(MANIFEST, options.limits.max_xml_size)
    return parse_text_xml(data, MANIFEST, diags) if data else None


def _add_nested_jar(
    code: JvmCode, archive: Archive, name: str, diags: Diagnostics, options: ScanOptions
) -> None:
    if archive.get(name) is None:
        if name == "classes.jar":
            diags.warning(
                "aar.no_classes_jar", name, "the AAR has no classes.jar", "AAR 中没有 classes.jar"
            )
        return
    data = archive.read(name)
    if data is None:
        return  # the archive reader said why
    try:
        inner = Archive.open(data, diags, options.limits, display_name=name)
    except InputError as e:
        diags.error(
            "aar.bad_jar",
            name,
            f"not a readable JAR: {e.diagnostic.en}",
            f"不是可读取的 JAR:{e.diagnostic.zh}",
        )
        return
    with inner:
        code.add_jar(inner, f"{name}!/", diags)


def _fill(
    report: Report,
    facts: JvmFacts,
    manifest: Manifest | None,
    diags: Diagnostics,
    phases: PhaseRunner,
) -> None:
    with phases.phase("facts.sdks"):  # SDKs of the catalog inside this one (itself too)
        found = detect_sdks(facts.code.classes.keys(), OwnerResolver(SdkCatalog.load(), ""))
        report.sdks = [{**f.to_json(), "version": None} for f in found]
    with phases.phase("facts.jvm"):
        summary = DetailSection("sdk.code", Text("SDK code (class files)", "SDK 代码(类文件)"))
        for key, value in facts.summary().items():
            summary.add(key, value)
        report.platform_details.append(summary)
        if manifest is not None:
            report.platform_details += _host_sections(manifest)
    with phases.phase("facts.privacy"):
        declared = {p.name for p in manifest.uses_permissions} if manifest else None
        report.platform_details.append(_pi_section(facts, declared))
    with phases.phase("facts.hosts"):
        hosts = DetailSection("sdk.hosts", Text("Hosts the SDK talks to", "SDK 访问的主机"))
        for host, urls in facts.hosts().items():
            hosts.add(host, urls)
        report.platform_details.append(hosts)


def _host_sections(m: Manifest) -> list[DetailSection]:
    """What the manifest merger adds to every host app."""
    perms = DetailSection(
        "sdk.host_permissions",
        Text("Permissions added to every host app", "合入每个宿主应用的权限"),
    )
    for p in m.uses_permissions:
        value: dict[str, object] = {}
        if p.max_sdk is not None:
            value["max_sdk"] = p.max_sdk
        if p.sdk23_only:
            value["uses-permission-sdk-23"] = True
        if p.protection_level:
            value["protection_level"] = p.protection_level
        perms.add(p.name, value or True)
    comps = DetailSection(
        "sdk.host_components",
        Text("Components added to every host app", "合入每个宿主应用的组件"),
    )
    for c in m.components:
        comps.add(
            c.name,
            {
                "kind": c.kind,
                "exported": c.exported,
                "exported_reason": c.exported_reason,
                "permission": c.permission,
                "actions": sorted({a for f in c.intent_filters for a in f.actions}),
            },
        )
    return [perms, comps]


def _pi_section(facts: JvmFacts, declared: set[str] | None) -> DetailSection:
    """``declared``: the AAR manifest's permissions (None for a JAR, which has none); a PI
    permission the SDK does not declare must come from the host app's manifest."""
    pi = DetailSection("sdk.pi", Text("Personal information the SDK reads", "SDK 读取的个人信息"))
    for src, sites in facts.pi_reads:
        extra = {}
        if declared is not None:
            extra["declared_by_sdk"] = [p.name for p in src.permissions if p.name in declared]
        pi.add(
            src.name.en,
            {
                **extra,
                "pi_type": src.pi_type,
                "source": src.id,
                "sites": len(sites),
                "reachable_from_api": sum(1 for s in sites if facts.is_reachable(s)),
                "where": [s.where() for s in sites[:MAX_SITES_SHOWN]],
                "permissions": [p.name for p in src.permissions],
            },
        )
    return pi


def _aar_sections(archive: Archive, diags: Diagnostics) -> list[DetailSection]:
    sec = DetailSection("sdk.aar", Text("AAR contents", "AAR 内容"))
    names = archive.names()
    sec.add("native libraries", sorted(n for n in names if _JNI.match(n)))
    sec.add("libs", sorted(n for n in names if _LIB_JAR.match(n)))
    r_txt = archive.read("R.txt") if archive.get("R.txt") else None
    if r_txt is not None:
        sec.add("R.txt resources", sum(1 for line in r_txt.splitlines() if line.strip()))
    rules = archive.read("proguard.txt") if archive.get("proguard.txt") else None
    if rules is not None:
        sec.add("proguard.txt", _consumer_rules(rules, diags))
    return [sec]


def _consumer_rules(raw: bytes, diags: Diagnostics) -> list[str]:
    """Consumer rules that weaken every host app's obfuscation, as info diagnostics."""
    found = []
    for n, line in enumerate(raw.decode("utf-8", "replace").splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        for pattern, en, zh in _RULES:
            if pattern.match(text):
                found.append(text)
                diags.info(
                    "aar.consumer_rule",
                    "proguard.txt",
                    f"consumer rule {text!r} (line {n}) {en}",
                    f"消费者混淆规则 {text!r}(第 {n} 行){zh}",
                    line=n,
                )
    return found
