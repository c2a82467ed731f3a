"""Turn an APK file into an :class:`ApkPackage`: every format inside it read once.

Which entries matter and in which order is Android's knowledge, kept here; the parsing of
each format lives in its own module. Every reader gets the same Diagnostics collector and
the phase runner, so a broken part is reported by name and the others are still read.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.archive import Archive
from mobsec.ingest.arsc import ResourceTable, parse_arsc
from mobsec.ingest.axml import ANDROID_NS, XmlElement, parse_axml
from mobsec.ingest.dex import DexSet
from mobsec.ingest.elf import NativeLibrary, analyze_elf
from mobsec.ingest.nested import NestedCode, find_nested_code_in_archive
from mobsec.ingest.signing import SigningReport, verify_apk_signatures
from mobsec.limits import Limits
from mobsec.phases import PhaseRunner

MANIFEST = "AndroidManifest.xml"
RESOURCES = "resources.arsc"
# Android loads classes.dex, classes2.dex, classes3.dex, ... and stops at the first gap.
_DEX_NAME = re.compile(r"^classes(\d*)\.dex$")
_NATIVE_LIB = re.compile(r"^lib/([^/]+)/[^/]+\.so$")


@dataclass(slots=True)
class ApkPackage:
    archive: Archive
    manifest_xml: XmlElement | None = None
    resources: ResourceTable | None = None
    dex: DexSet = field(default_factory=lambda: DexSet([], Diagnostics()))
    native_libraries: list[NativeLibrary] = field(default_factory=list)
    nested_code: list[NestedCode] = field(default_factory=list)
    signing: SigningReport | None = None


def dex_entry_names(names: list[str], diags: Diagnostics) -> list[str]:
    """The DEX files Android would load, in load order; others are reported, not dropped."""
    numbered: dict[int, str] = {}
    for n in names:
        m = _DEX_NAME.match(n)
        if m:
            numbered[int(m.group(1) or 1)] = n
    order: list[str] = []
    i = 1
    while i in numbered:
        order.append(numbered.pop(i))
        i += 1
    for idx, n in sorted(numbered.items()):
        diags.warning(
            "apk.dex_not_loaded",
            n,
            f"{n} is not loaded by Android: classes{i}.dex is missing before it",
            f"{n} 不会被 Android 加载:其前面缺少 classes{i}.dex",
            index=idx,
        )
        order.append(n)  # still analysed: a packer may load it itself
    return order


def read_apk(
    archive: Archive, diags: Diagnostics, phases: PhaseRunner, limits: Limits, threads: int
) -> ApkPackage:
    pkg = ApkPackage(archive=archive)
    names = archive.names()

    with phases.phase("ingest.manifest", MANIFEST):
        data = archive.read(MANIFEST, max_bytes=limits.max_xml_size)  # not inflated past it
        if data is None:
            if archive.get(MANIFEST) is None:
                diags.error(
                    "apk.no_manifest",
                    MANIFEST,
                    "The package has no AndroidManifest.xml: it is not an installable APK",
                    "安装包中没有 AndroidManifest.xml:不是可安装的 APK",
                )
        else:
            pkg.manifest_xml = parse_axml(data, MANIFEST, diags)

    with phases.phase("ingest.resources", RESOURCES):
        if archive.get(RESOURCES) is not None:
            data = archive.read(RESOURCES)
            if data is not None:
                pkg.resources = parse_arsc(data, RESOURCES, diags)

    with phases.phase("ingest.signing"):
        pkg.signing = verify_signatures(pkg, archive, diags)

    with phases.phase("ingest.dex"):
        dex_names = [n for n in dex_entry_names(names, diags) if not _dex_alias(archive, n, diags)]
        workers = threads or os.cpu_count() or 1
        # Each worker reads a DEX just before parsing it: bytes of a DEX that fails to parse
        # are freed at once, so peak memory follows the largest files, not their sum.
        pkg.dex = DexSet.load(
            dex_names,
            lambda n: archive.read(n, max_bytes=limits.max_dex_size),
            diags,
            limits,
            workers=workers,
        )

    with phases.phase("ingest.native"):
        for entry in archive.entries:
            if _NATIVE_LIB.match(entry.name) and archive.get(entry.name) is entry:
                data = archive.read(entry)
                if data is not None:
                    lib = analyze_elf(data, entry.name, diags, limits)
                    if lib is not None:
                        pkg.native_libraries.append(lib)

    with phases.phase("ingest.nested"):
        pkg.nested_code = find_nested_code_in_archive(archive, diags, limits)
    return pkg


def verify_signatures(pkg: ApkPackage, archive: Archive, diags: Diagnostics) -> SigningReport:
    """Verify ``archive`` (the APK, or the base APK of a split set) with the SDK levels of
    ``pkg``'s manifest, as the platform does."""
    return verify_apk_signatures(
        archive,
        diags,
        min_sdk=_min_sdk(pkg),
        target_sdk=_manifest_int(pkg, "uses-sdk", "targetSdkVersion"),
        target_sandbox_version=_manifest_int(pkg, None, "targetSandboxVersion"),
    )


def _dex_alias(archive: Archive, name: str, diags: Diagnostics) -> bool:
    """True (and a warning) for a DEX entry whose record points at another's local header."""
    entry = archive.get(name)
    first = archive.alias_of(entry) if entry is not None else None
    if first is None:
        return False
    diags.warning(
        "apk.dex_alias",
        name,
        f"{name} shares its data with {first.name} (same local header); analysed once",
        f"{name} 与 {first.name} 共用同一本地文件头的数据；只分析一次",
        same_as=first.name,
    )
    return True


def _manifest_int(pkg: ApkPackage, tag: str | None, attr: str) -> int | None:
    """An integer attribute of the root (tag None) or of the first ``tag`` element."""
    root = pkg.manifest_xml
    if root is None:
        return None
    el = root if tag is None else next(root.iter(tag), None)
    a = el.attr(attr, ANDROID_NS) if el is not None else None
    value = a.value(pkg.resources) if a is not None else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _min_sdk(pkg: ApkPackage) -> int:
    """minSdkVersion as the signature verifier needs it (before the manifest model exists)."""
    root = pkg.manifest_xml
    if root is None:
        return 1
    for el in root.iter("uses-sdk"):
        attr = el.attr("minSdkVersion", ANDROID_NS)
        if attr is None:
            return 1
        value = attr.value(pkg.resources)
        if isinstance(value, int):
            return max(1, value)
        if isinstance(value, str) and value.isdigit():
            return max(1, int(value))
        return 1  # a codename ("Q") means a preview build: treat as the lowest level
    return 1
