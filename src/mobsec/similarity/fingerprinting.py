"""Build an :class:`AppFingerprint` from an Android package (APK, split set or AAB).

The package is read by the same readers as a scan (:mod:`mobsec.ingest`), and the facts a
scan computes supply the rest: the manifest (package, labels, permissions), the signature
verification, the SDK detection and the class owners (which code is the app's own).
Problems in the package become diagnostics inside the fingerprint; only a file that is no
readable Android package raises :class:`FingerprintError`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mobsec.diagnostics import Diagnostics, InputError
from mobsec.facts.app import AppFacts
from mobsec.ingest.apk import MANIFEST, RESOURCES, ApkPackage, read_apk
from mobsec.ingest.archive import Archive
from mobsec.ingest.axml import ANDROID_NS
from mobsec.ingest.bundle import read_aab, read_split_set
from mobsec.ingest.detect import classify_archive
from mobsec.limits import DEFAULT_LIMITS, Limits
from mobsec.phases import PhaseRunner
from mobsec.similarity.codeprints import code_prints, platform_prefixes
from mobsec.similarity.icons import icon_hashes
from mobsec.similarity.model import AppFingerprint, FingerprintError, Label

if TYPE_CHECKING:
    from mobsec.ingest.apk import ApkPackage as _Pkg

MAX_LABELS = 32
MAX_RESOURCE_FILES = 20_000
MAX_RESOURCE_FILE_BYTES = 16 << 20
MAX_RESOURCE_BYTES_TOTAL = 512 << 20
# Rebuilt by every repackaging tool, so never evidence of shared resources.
_NOT_RESOURCES = (MANIFEST, RESOURCES)


@dataclass(slots=True)
class FingerprintOptions:
    limits: Limits | None = None
    threads: int = 1
    code: bool = True  # per-method code fingerprints (the slow part)


def fingerprint(
    path: str | os.PathLike[str], options: FingerprintOptions | None = None
) -> AppFingerprint:
    """The fingerprint of the package at ``path``; FingerprintError if it is none."""
    options = options or FingerprintOptions()
    limits = options.limits or DEFAULT_LIMITS
    path = Path(path)
    sha256, size = _identify(path)
    diags = Diagnostics()
    phases = PhaseRunner(diags, None)
    try:
        archive = Archive.open(path, diags, limits, display_name=path.name)
    except InputError as e:
        raise FingerprintError(
            f"{path.name}: not a readable package: {e}",
            f"{path.name}:无法读取的安装包:{e}",
        ) from e
    try:
        fmt = classify_archive(archive).format
        if fmt == "apk":
            pkg = read_apk(archive, diags, phases, limits, options.threads)
            return _build(path, sha256, size, fmt, pkg, diags, options)
        if fmt in ("apks", "xapk", "apkm", "aab"):
            if fmt == "aab":
                bundle = read_aab(archive, diags, phases, limits, options.threads)
            else:
                bundle = read_split_set(archive, fmt, diags, phases, limits, options.threads)
            if bundle is None:
                raise FingerprintError(
                    f"{path.name}: the {fmt} set has no readable base APK",
                    f"{path.name}:该 {fmt} 集合中没有可读取的基础 APK",
                )
            try:
                return _build(path, sha256, size, fmt, bundle.package, diags, options)
            finally:
                bundle.close()
        raise FingerprintError(
            f"{path.name}: similarity compares Android packages; this is {fmt}",
            f"{path.name}:相似性比对仅支持 Android 安装包;该文件为 {fmt}",
            "similarity.unsupported_format",
        )
    finally:
        archive.close()


def _identify(path: Path) -> tuple[str, int]:
    if not path.is_file():
        raise FingerprintError(
            f"{path}: not found or not a regular file",
            f"{path}:文件不存在或不是普通文件",
            "input.not_found",
        )
    digest, size = hashlib.sha256(), 0
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError as e:
        raise FingerprintError(f"{path}: cannot read: {e}", f"{path}:无法读取:{e}") from e
    return digest.hexdigest(), size


def _build(
    path: Path,
    sha256: str,
    size: int,
    fmt: str,
    pkg: ApkPackage,
    diags: Diagnostics,
    options: FingerprintOptions,
) -> AppFingerprint:
    facts = AppFacts(pkg, diags)
    fp = AppFingerprint(file_name=path.name, sha256=sha256, size=size, format=fmt)
    manifest = facts.manifest
    if manifest is None:
        raise FingerprintError(
            f"{path.name}: no readable AndroidManifest.xml",
            f"{path.name}:没有可读取的 AndroidManifest.xml",
        )
    fp.package = manifest.package or ""
    fp.version_name = manifest.version_name
    fp.version_code = manifest.version_code
    fp.labels = _labels(pkg, manifest.application.label)
    fp.permissions = sorted(set(manifest.permission_names()))
    if pkg.signing is not None:
        fp.signature_verified = bool(pkg.signing.verified)
        certs = {c.sha256.lower() for c in pkg.signing.signers}
        if not certs:  # not verified: still say which certificate the package carries
            certs = {
                signer.certificates[0].sha256.lower()
                for scheme in pkg.signing.schemes.values()
                for signer in scheme.signers
                if signer.certificates
            }
        fp.certificates = sorted(certs)
    fp.icon = icon_hashes(pkg, diags)
    for found in facts.sdks:
        fp.sdks[found.sdk.id] = found.sdk.name.get("en", found.sdk.id)
        fp.sdk_names_zh[found.sdk.id] = found.sdk.name.get("zh-CN", fp.sdks[found.sdk.id])
    fp.resources = _resource_digests(pkg, diags)
    if options.code:
        prefixes = platform_prefixes(facts.sdk_catalog.platform_packages)
        fp.code = code_prints(facts.code, facts.owners, prefixes, diags)
    fp.diagnostics = [
        {"level": d.level.value, "code": d.code, "file": d.file, "en": d.en, "zh": d.zh}
        for d in list(diags)[:50]
    ]
    return fp


def _labels(pkg: _Pkg, default: str | None) -> list[Label]:
    """The application label in every configuration (zh, en...), default first."""
    out: list[Label] = [Label(default, "")] if default else []
    root = pkg.manifest_xml
    app = next(root.iter("application"), None) if root is not None else None
    attr = app.attr("label", ANDROID_NS) if app is not None else None
    if attr is None or not attr.is_reference() or pkg.resources is None:
        return out
    for config, value in pkg.resources.values(attr.data):
        text = value.value()
        if isinstance(text, str) and text.strip() and len(out) < MAX_LABELS:
            label = Label(text.strip()[:200], config)
            if not any(x.text == label.text and x.config == config for x in out):
                out.append(label)
    return out


def _resource_digests(pkg: ApkPackage, diags: Diagnostics) -> dict[str, str]:
    """SHA-256 of each resource and asset file (FSquaDRA compares these), bounded."""
    archive = pkg.archive
    out: dict[str, str] = {}
    total = 0
    for entry in archive.entries:
        name = entry.name
        if (
            name.endswith("/")
            or name.startswith("META-INF/")
            or name in _NOT_RESOURCES
            or (name.startswith("classes") and name.endswith(".dex"))
            or archive.get(name) is not entry
        ):
            continue
        if len(out) >= MAX_RESOURCE_FILES or total >= MAX_RESOURCE_BYTES_TOTAL:
            diags.warning(
                "similarity.resources_truncated",
                name,
                f"Resource digests stopped at {len(out)} files; the rest are not compared",
                f"资源摘要在 {len(out)} 个文件处停止,其余文件未参与比较",
            )
            break
        if entry.uncompressed_size > MAX_RESOURCE_FILE_BYTES:
            continue
        data = archive.read(entry, max_bytes=MAX_RESOURCE_FILE_BYTES)
        if data is None:
            continue
        total += len(data)
        out[name] = hashlib.sha256(data).hexdigest()[:32]
    return out
