"""One Android app made of several parts: split-APK sets (.apks, .xapk, .apkm) and App Bundles.

A split set is a ZIP of APKs (a base APK plus configuration splits for ABI, density and
language, and feature splits); an AAB is one ZIP with a directory per module
(``base/manifest/AndroidManifest.xml`` in proto form, ``base/dex/``, ``base/lib/``,
``base/res/``, ``base/root/``...). Either way the device runs the union, so mobsec reads
the union into one :class:`~mobsec.ingest.apk.ApkPackage`: the base's manifest and
resources, the DEX files of every part in load order, every part's native libraries and
hidden code. Facts and checks then see one app.

Names. Facts and checks look files up by their path inside an APK (``assets/``,
``res/layout/``, ``lib/<abi>/``), so :class:`ArchiveView` presents every part's files under
those APK-layout names: the base's first, another part's file under the same name only if
that name is still free (otherwise under its location). Every file also has a *location*
saying where it really is, used in findings and reports:

* split sets: ``<APK in the set>!/<path in that APK>``, e.g.
  ``splits/base-arm64_v8a.apk!/lib/arm64-v8a/libx.so`` (the ``!/`` of nested code);
* AAB: the path inside the bundle, e.g. ``base/dex/classes.dex``, ``runtime/lib/x86/libx.so``.

:meth:`ArchiveView.locate` turns a view name into its location; DEX files and native
libraries are named by location from the start.

Hostile input: each APK of a set is read through the container's bounded reader and opened
as an in-memory archive with the same limits; at most :data:`MAX_PARTS` parts; a part that
is not an APK (e.g. a split set inside a split set) is named and not opened further, so
nesting never goes deeper than one level.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from mobsec.diagnostics import Diagnostics, InputError
from mobsec.ingest.apk import ApkPackage, dex_entry_names, verify_signatures
from mobsec.ingest.archive import Archive, ZipEntry
from mobsec.ingest.arsc import ResourceTable, parse_arsc
from mobsec.ingest.axml import ANDROID_NS, XmlElement, parse_axml
from mobsec.ingest.dex import DexSet
from mobsec.ingest.elf import analyze_elf
from mobsec.ingest.nested import EntryRef, find_nested_code
from mobsec.ingest.signing import SchemeResult
from mobsec.ingest.signing.v1 import verify_v1
from mobsec.limits import Limits
from mobsec.phases import PhaseRunner

MAX_PARTS = 100  # real sets have a few dozen at most (ABIs x densities x languages)
MAX_INDEX_BYTES = 1024 * 1024  # manifest.json / info.json
JAR_MIN_SDK = 24  # digest algorithms accepted for a bundle's JAR signature (a modern JVM's)
_NATIVE_LIB = re.compile(r"^lib/([^/]+)/[^/]+\.so$")
_BASE_NAME = re.compile(r"(^|/)(base|base-master|universal)\.apk$")
_AAB_MANIFEST = re.compile(r"^([^/]+)/manifest/AndroidManifest\.xml$")
# AAB module directory -> where the same file sits in the APK built from it.
_AAB_DIRS = {"manifest": "", "dex": "", "root": ""}


@dataclass(slots=True)
class Part:
    """One APK of a split set, or one module of an AAB."""

    name: str  # "splits/base-master.apk", "config.arm64_v8a.apk", or the AAB module "base"
    archive: Archive  # the split APK itself, or (AAB) the whole bundle
    # APK-layout name -> (entry in ``archive``, location)
    files: dict[str, tuple[ZipEntry, str]] = field(default_factory=dict)
    size: int = 0
    manifest: XmlElement | None = None
    split: str = ""  # the manifest's split="" ("" for the base)
    kind: str = ""  # "base" | "config" | "feature" | "module"
    signer: str = ""  # split APKs: "base" | "same" (as the base) | "other" | "unverified"
    owns_archive: bool = False

    def location(self, apk_name: str) -> str:
        hit = self.files.get(apk_name)
        if hit is not None:
            return hit[1]
        if self.archive.display_name == self.name:  # a split APK: "<apk>!/<path>"
            return f"{self.name}!/{apk_name}"
        return f"{self.name}/{apk_name}"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "split": self.split,
            "size": self.size,
            "signer": self.signer,
        }


class ArchiveView:
    """The files of several parts as one read-only archive under APK-layout names.

    Offers what facts, checks and the nested-code scan use of
    :class:`~mobsec.ingest.archive.Archive`: ``entries``, ``names()``, ``get()``,
    ``read()``, ``head()`` and ``display_name``. ``get`` also accepts a location.
    """

    def __init__(self, parts: list[Part], display_name: str) -> None:
        self.display_name = display_name
        self.entries: list[ZipEntry] = []
        self._by_name: dict[str, ZipEntry] = {}
        self._by_location: dict[str, ZipEntry] = {}
        self._source: dict[int, tuple[Archive, ZipEntry, str]] = {}
        self._base = parts[0] if parts else None
        self._located = tuple(
            p.name + ("!/" if p.archive.display_name == p.name else "/") for p in parts
        )
        for part in parts:
            for apk_name, (entry, location) in part.files.items():
                name = apk_name if apk_name not in self._by_name else location
                if name in self._by_name:
                    continue
                view = dataclasses.replace(entry, name=name)
                self.entries.append(view)
                self._by_name[name] = view
                self._by_location.setdefault(location, view)
                self._source[id(view)] = (part.archive, entry, location)

    def names(self) -> list[str]:
        return list(self._by_name)

    def get(self, name: str) -> ZipEntry | None:
        return self._by_name.get(name) or self._by_location.get(name)

    def locate(self, name: str) -> str:
        """Where a view name (or a location, returned as is) really is in the package."""
        if not name or name in self._by_location or name.startswith(self._located):
            return name  # the package itself, or already a location (DEX files, libraries)
        head, sep, rest = name.partition("!/")  # code nested inside a file: locate the file
        entry = self._by_name.get(head)
        if entry is None:  # a file the base would have (resources.arsc in an AAB): the base's
            return self._base.location(name) if self._base is not None else name
        return self._source[id(entry)][2] + sep + rest

    def _resolve(self, entry_or_name: ZipEntry | str) -> tuple[Archive, ZipEntry] | None:
        entry = self.get(entry_or_name) if isinstance(entry_or_name, str) else entry_or_name
        src = self._source.get(id(entry)) if entry is not None else None
        return (src[0], src[1]) if src is not None else None

    def read(
        self,
        entry_or_name: ZipEntry | str,
        max_bytes: int | None = None,
        *,
        android_compat: bool = False,
    ) -> bytes | None:
        hit = self._resolve(entry_or_name)
        if hit is None:
            return None
        return hit[0].read(hit[1], max_bytes, android_compat=android_compat)

    def head(self, entry_or_name: ZipEntry | str, n: int) -> bytes | None:
        hit = self._resolve(entry_or_name)
        return hit[0].head(hit[1], n) if hit is not None else None

    def alias_of(self, entry: ZipEntry) -> ZipEntry | None:
        """The earlier view entry with the same bytes (records sharing a local header in
        the same part), as :meth:`Archive.alias_of`, so such entries are read once."""
        src = self._source.get(id(entry))
        if src is None:
            return None
        archive, original, location = src
        first = archive.alias_of(original)
        if first is None:
            return None
        prefix = location[: len(location) - len(original.name)]
        return self._by_location.get(prefix + first.name)


@dataclass(slots=True)
class Bundle:
    """The app read from all its parts, and the parts themselves (for the report)."""

    package: ApkPackage
    view: ArchiveView
    parts: list[Part]
    # What the package says about itself besides the parts: "<file>: <key>" -> value
    # (XAPK manifest.json, APKM info.json, the AAB's upload-key JAR signature).
    index: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        for p in self.parts:
            if p.owns_archive:
                p.archive.close()


# ---------------------------------------------------------------------------- split sets


def split_set_members(container: Archive, fmt: str) -> list[str]:
    """The APKs of a set that make up the app, in the container's order.

    bundletool ``.apks``: ``splits/*.apk`` (split mode) or ``universal.apk``; a set with
    only ``standalones/`` (pre-Lollipop) is read through its first standalone APK, since each
    is a whole app. XAPK / APKM: the APKs at the root.
    """
    apks = [n for n in container.names() if n.lower().endswith(".apk")]
    if fmt == "apks":
        splits = [n for n in apks if n.startswith("splits/")]
        if splits:
            return splits
        root = [n for n in apks if "/" not in n]
        if root:
            return root
        return [n for n in apks if n.startswith("standalones/")][:1]
    return [n for n in apks if "/" not in n]


def read_split_set(
    container: Archive,
    fmt: str,
    diags: Diagnostics,
    phases: PhaseRunner,
    limits: Limits,
    threads: int,
) -> Bundle | None:
    members = split_set_members(container, fmt)
    # The likely base first, so that it is read whatever else the memory budget leaves out.
    members.sort(key=lambda n: (not _BASE_NAME.search(n), -_declared_size(container, n)))
    if len(members) > MAX_PARTS:
        diags.warning(
            "bundle.too_many_parts",
            "",
            f"The set holds {len(members)} APKs; only the first {MAX_PARTS} are read",
            f"该集合包含 {len(members)} 个 APK,只读取前 {MAX_PARTS} 个",
            count=len(members),
        )
        members = members[:MAX_PARTS]
    parts: list[Part] = []
    budget = limits.max_split_set_bytes
    with phases.phase("ingest.splits"):
        for name in members:
            part = _open_split(container, name, diags, limits, budget)
            if part is not None:
                parts.append(part)
                budget -= part.size
    index = _read_index(container, fmt, diags)
    return _assemble(parts, container.display_name, diags, phases, limits, threads, index)


def _declared_size(container: Archive, name: str) -> int:
    entry = container.get(name)
    return entry.uncompressed_size if entry is not None else 0


def _open_split(
    container: Archive, name: str, diags: Diagnostics, limits: Limits, budget: int
) -> Part | None:
    entry = container.get(name)
    if entry is None or entry.uncompressed_size > budget:
        diags.error(
            "bundle.set_too_large",
            name,
            f"{name} is not read: the APKs of the set exceed "
            f"{limits.max_split_set_bytes} bytes together (Limits.max_split_set_bytes)",
            f"未读取 {name}:集合中的 APK 合计超过 {limits.max_split_set_bytes} 字节",
        )
        return None
    data = container.read(entry, max(budget, 0))  # sizes can lie: the read is capped too
    if data is None:
        return None  # the container's reader said why
    try:
        archive = Archive.open(data, diags, limits, display_name=name)
    except InputError as e:
        d = e.diagnostic
        diags.error(
            "bundle.part_unreadable",
            name,
            f"{name} in the set is not a readable APK: {d.en}",
            f"集合中的 {name} 不是可读取的 APK:{d.zh}",
            cause=d.code,
        )
        return None
    if archive.get("AndroidManifest.xml") is None:
        from mobsec.ingest.detect import classify_archive

        what = classify_archive(archive)
        diags.error(
            "bundle.part_not_apk",
            name,
            f"{name} in the set is not an APK but {what.en}; it is not opened further",
            f"集合中的 {name} 不是 APK,而是{what.zh};不再继续打开",
            looks_like=what.kind or what.format,
        )
        archive.close()
        return None
    part = Part(name, archive, size=len(data), owns_archive=True)
    for entry in archive.entries:
        if not entry.is_dir and archive.get(entry.name) is entry:
            part.files[entry.name] = (entry, f"{name}!/{entry.name}")
    return part


def _read_index(container: Archive, fmt: str, diags: Diagnostics) -> dict[str, Any]:
    """The set's own index (XAPK manifest.json, APKM info.json): what it claims."""
    name = {"xapk": "manifest.json", "apkm": "info.json"}.get(fmt)
    if name is None or container.get(name) is None:
        return {}
    data = container.read(name, MAX_INDEX_BYTES)
    try:
        doc = json.loads(data or b"")
    except (ValueError, RecursionError):
        doc = None
    if not isinstance(doc, dict):
        diags.warning(
            "bundle.index_invalid",
            name,
            f"{name} is not a JSON object; the set is read from its APKs alone",
            f"{name} 不是 JSON 对象;仅根据其中的 APK 读取",
        )
        return {}
    keys = ("package_name", "pname", "version_code", "versioncode", "version_name", "name")
    # Attacker-written: only short scalars go into the report.
    out = {f"{name}: {k}": _short(doc[k]) for k in keys if isinstance(doc.get(k), str | int)}
    splits = doc.get("split_apks")
    if isinstance(splits, list):
        files = [s.get("file") for s in splits[:MAX_PARTS] if isinstance(s, dict)]
        out[f"{name}: split_apks"] = [_short(f) for f in files if isinstance(f, str)]
    return out


def _short(value: str | int) -> str | int:
    return value[:200] if isinstance(value, str) else value


# ---------------------------------------------------------------------------------- AAB


def read_aab(
    archive: Archive, diags: Diagnostics, phases: PhaseRunner, limits: Limits, threads: int
) -> Bundle | None:
    modules: dict[str, Part] = {}
    for n in archive.names():
        m = _AAB_MANIFEST.match(n)
        if m and len(modules) < MAX_PARTS:
            modules[m.group(1)] = Part(m.group(1), archive)
    for entry in archive.entries:
        module, _, rest = entry.name.partition("/")
        part = modules.get(module)
        if part is None or entry.is_dir or archive.get(entry.name) is not entry:
            continue
        top, _, below = rest.partition("/")
        apk_name = below if top in _AAB_DIRS and below else rest
        part.files.setdefault(apk_name, (entry, entry.name))
        part.size += entry.uncompressed_size
    parts = sorted(modules.values(), key=lambda p: (p.name != "base", p.name))
    bundle = _assemble(parts, archive.display_name, diags, phases, limits, threads, {})
    if bundle is not None and archive.get("META-INF/MANIFEST.MF") is not None:
        with phases.phase("ingest.signing"):
            signature = _jar_signature(archive)
            bundle.index["META-INF: upload signature (JAR)"] = signature
            if not signature["verified"]:
                codes = ", ".join(signature["errors"]) or "no signer"
                diags.warning(
                    "bundle.signature_invalid",
                    "META-INF/MANIFEST.MF",
                    f"The bundle's JAR signature does not verify ({codes}): it was changed "
                    "after signing, or signed badly",
                    f"该 App Bundle 的 JAR 签名校验不通过({codes}):签名后被修改,或签名有误",
                    errors=signature["errors"],
                )
    return bundle


def _jar_signature(archive: Archive) -> dict[str, Any]:
    """The bundle's own JAR signature (its upload key), verified as a JAR (digests of every
    entry, the .SF over the manifest, the signature block) like ``keytool -printcert
    -jarfile``. Not the report's ``signing``: the store re-signs the APKs it builds from the
    bundle, so this key is not what devices verify."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import pkcs7

    result = SchemeResult("v1")
    verify_v1(archive, result, JAR_MIN_SDK, 2**31 - 1, {}, set())
    blocks = [n for n in archive.names() if re.fullmatch(r"META-INF/[^/]+\.(RSA|DSA|EC)", n, re.I)]
    out: dict[str, Any] = {
        "verified": result.verified,
        "errors": sorted(set(result.errors))[:8],
        "signature_files": blocks[:8],
        "subject": None,
        "sha256": None,
    }
    data = archive.read(blocks[0], MAX_INDEX_BYTES) if blocks else None
    try:  # who signed, even when the signature no longer verifies
        certs = pkcs7.load_der_pkcs7_certificates(data) if data else []
    except ValueError:
        certs = []
    if certs:
        with warnings.catch_warnings():  # e.g. "C=86": a malformed name is still shown
            warnings.simplefilter("ignore")
            out["subject"] = certs[0].subject.rfc4514_string()
        out["sha256"] = certs[0].fingerprint(hashes.SHA256()).hex()
    return out


# ----------------------------------------------------------------------- the union of parts


def _assemble(
    parts: list[Part],
    display_name: str,
    diags: Diagnostics,
    phases: PhaseRunner,
    limits: Limits,
    threads: int,
    index: dict[str, Any],
) -> Bundle | None:
    with phases.phase("ingest.manifest"):
        for part in parts:
            entry = part.files.get("AndroidManifest.xml")
            data = part.archive.read(entry[0]) if entry else None
            if data is not None:
                part.manifest = parse_axml(data, part.location("AndroidManifest.xml"), diags)
            _classify(part)
    bases = [p for p in parts if p.kind == "base"]
    if not bases:
        diags.error(
            "bundle.no_base",
            "",
            "No base APK/module in the package: the app cannot be installed from it",
            "安装包中没有基础 APK/模块:无法由其安装应用",
        )
        if not parts:
            return None
    elif len(bases) > 1:
        diags.warning(
            "bundle.several_bases",
            "",
            f"{len(bases)} base APKs ({', '.join(p.name for p in bases[:5])}); "
            f"{bases[0].name} is analysed as the base",
            f"有 {len(bases)} 个基础 APK;以 {bases[0].name} 作为基础分析",
        )
    base = bases[0] if bases else parts[0]
    ordered = [base] + [p for p in parts if p is not base]
    view = ArchiveView(ordered, display_name)
    pkg = ApkPackage(archive=view, manifest_xml=base.manifest)  # type: ignore[arg-type]

    with phases.phase("ingest.resources"):
        pkg.resources = _resources(base, diags)
        if pkg.resources is not None:
            for part in ordered[1:]:  # splits' and modules' values, as the device overlays them
                table = _resources(part, diags)
                if table is not None:
                    pkg.resources.merge(table)
    if base.owns_archive:  # a split APK: verify it as Android will (every split the same)
        with phases.phase("ingest.signing"):
            found = Diagnostics()
            pkg.signing = verify_signatures(pkg, base.archive, found)
            for d in found:  # the verifier names files inside the APK: say which APK
                where = base.location(d.file) if d.file else base.name
                diags.add_diagnostic(dataclasses.replace(d, file=where))
            _check_split_signers(pkg, ordered, diags)
    with phases.phase("ingest.dex"):
        files = []
        for part in ordered:
            for name in dex_entry_names([n for n in part.files if "/" not in n], diags):
                data = part.archive.read(part.files[name][0])
                if data is not None:
                    files.append((part.location(name), data))
        pkg.dex = DexSet.parse(files, diags, limits, workers=threads or os.cpu_count() or 1)
    with phases.phase("ingest.native"):
        for part in ordered:
            for name, (entry, location) in part.files.items():
                if _NATIVE_LIB.match(name):
                    data = part.archive.read(entry)
                    lib = analyze_elf(data, location, diags, limits) if data else None
                    if lib is not None:
                        pkg.native_libraries.append(lib)
    with phases.phase("ingest.nested"):
        for part in ordered:
            for n in find_nested_code(_entry_refs(part), diags, limits):
                head, sep, rest = n.path.partition("!/")
                n.path = part.location(head) + sep + rest
                pkg.nested_code.append(n)
    return Bundle(pkg, view, parts, index)


def _check_split_signers(pkg: ApkPackage, parts: list[Part], diags: Diagnostics) -> None:
    """Android installs a split only when it verifies and is signed by the base's key; a set
    from a download site may carry a swapped split (say, its native code) that would not."""
    base_keys = {c.sha256 for c in pkg.signing.signers} if pkg.signing else set()
    parts[0].signer = "base"
    for part in parts[1:]:
        if not part.owns_archive:
            continue
        found = verify_signatures(pkg, part.archive, Diagnostics())
        keys = {c.sha256 for c in found.signers} if found.verified else set()
        part.signer = "unverified" if not keys else "same" if keys == base_keys else "other"
        if part.signer == "same":
            continue
        why_en, why_zh = {
            "unverified": ("its signature does not verify", "其签名校验不通过"),
            "other": ("it is signed by another key than the base", "其签名密钥与基础 APK 不同"),
        }[part.signer]
        diags.warning(
            "bundle.split_signature",
            part.name,
            f"{part.name}: {why_en}; Android would refuse to install the set, and the split may "
            "have been replaced after signing",
            f"{part.name}:{why_zh};Android 会拒绝安装该集合,此拆分包可能在签名后被替换",
            signer=part.signer,
        )


def _classify(part: Part) -> None:
    root = part.manifest
    split = root.attr("split", "") if root is not None else None
    part.split = str(split.value() or "") if split is not None else ""
    if not part.split:
        part.kind = "base" if part.name in ("base",) or part.owns_archive else "module"
        return
    feature = root.attr("isFeatureSplit", ANDROID_NS) if root is not None else None
    is_feature = feature is not None and feature.value() is True
    part.kind = "feature" if is_feature or not part.split.startswith("config.") else "config"


def _resources(part: Part, diags: Diagnostics) -> ResourceTable | None:
    for name in ("resources.arsc", "resources.pb"):
        hit = part.files.get(name)
        if hit is None:
            continue
        data = part.archive.read(hit[0])
        if data is None:
            return None
        if name == "resources.arsc":
            return parse_arsc(data, hit[1], diags)
        from mobsec.ingest.aapt2_proto import parse_resources_pb

        return parse_resources_pb(data, hit[1], diags)
    return None


def _entry_refs(part: Part) -> Iterator[EntryRef]:
    archive = part.archive
    for name, (entry, _location) in part.files.items():
        yield EntryRef(
            name,
            entry.uncompressed_size,
            lambda n, e=entry: archive.head(e, n),
            lambda m, e=entry: archive.read(e, max_bytes=m),
        )
