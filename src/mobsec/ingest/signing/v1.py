"""v1 (JAR) signature verification with Android's rules rather than the JAR spec's.

Android differs from ``jarsigner``: only entries outside META-INF must be signed; the
digest algorithm checked depends on the platform version (before API 18 the
``Digest-Algorithms`` list, defaulting to SHA-1; from 18 the strongest of SHA-512/384/256/1);
every signed entry must be signed by the same set of signers; and an ``.SF`` that names
v2/v3 in ``X-Android-APK-Signed`` while those signatures are missing means the APK was
stripped (API 24+ rejects it).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .algorithms import SDK_GINGERBREAD, SDK_JELLY_BEAN_MR2, SDK_N
from .certs import ParsedCertificate
from .jarmanifest import ManifestParser, Section
from .messages import make_issue
from .model import SchemeResult, SignerInfo
from .pkcs7 import verify_block

MANIFEST = "META-INF/MANIFEST.MF"
MAX_SIGNERS = 10
MAX_META_BYTES = 64 * 1024 * 1024

_CANONICAL = {"MD5": "md5", "SHA": "sha1", "SHA1": "sha1", "SHA-1": "sha1",
              "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}  # fmt: skip
_MIN_SDK_IN_MANIFEST = {"md5": 0, "sha1": 0, "sha256": 0, "sha384": SDK_GINGERBREAD,
                        "sha512": SDK_GINGERBREAD}  # fmt: skip
_JB_MR2_ORDER = (("sha512", "SHA-512"), ("sha384", "SHA-384"), ("sha256", "SHA-256"),
                 ("sha1", "SHA1"))  # fmt: skip


@dataclass
class _Signer:
    block_name: str
    sf_name: str
    info: SignerInfo
    chain: list[ParsedCertificate] = field(default_factory=list)
    sf_bytes: bytes = b""
    sf_entry_names: set[str] = field(default_factory=set)
    ignored: bool = False
    block_entry: Any = None
    sf_entry: Any = None


def digests_to_verify(
    section: Section, suffix: str, min_sdk: int, max_sdk: int
) -> list[tuple[str, bytes]]:
    """The (algorithm, expected digest) pairs Android checks for this section."""
    result: list[tuple[str, bytes]] = []
    if min_sdk < SDK_JELLY_BEAN_MR2:
        algs = section.get("Digest-Algorithms") or "SHA SHA1"
        for alg in algs.split():
            value = section.get(alg + suffix)
            if value is None:
                continue
            canon = _CANONICAL.get(alg.upper())
            if canon is None or _MIN_SDK_IN_MANIFEST[canon] > min_sdk:
                continue
            result.append((canon, _b64(value)))
            break
        if not result:
            return result
    if max_sdk >= SDK_JELLY_BEAN_MR2:
        for canon, attr_prefix in _JB_MR2_ORDER:
            value = section.get(attr_prefix + suffix)
            if value is None:
                continue
            digest = _b64(value)
            if not any(a == canon and d == digest for a, d in result):
                result.append((canon, digest))
            break
    return result


def _b64(value: str) -> bytes:
    try:
        return base64.b64decode(value.strip(), validate=False)
    except (binascii.Error, ValueError):
        return b""


def _is_digest_needed(name: str) -> bool:
    return not name.startswith("META-INF/") and not name.endswith("/")


def verify_v1(
    archive: Any,
    result: SchemeResult,
    min_sdk: int,
    max_sdk: int,
    supported_scheme_names: dict[int, str],
    found_scheme_ids: set[int],
) -> list[_Signer]:
    """Fill ``result`` (v1) and return the signers Android would use."""
    entries = list(archive.entries)
    names = [_name(e) for e in entries]
    manifest_entry = None
    sf_entries: dict[str, Any] = {}
    block_entries: list[Any] = []
    for e, name in zip(entries, names, strict=True):
        if not name.startswith("META-INF/"):
            continue
        if manifest_entry is None and name == MANIFEST:
            manifest_entry = e
        elif name.endswith(".SF"):
            sf_entries.setdefault(name, e)
        elif name.endswith((".RSA", ".DSA", ".EC")):
            block_entries.append(e)
    if manifest_entry is None:
        result.add_error(make_issue("signing.v1.no_manifest"))
        return []
    result.present = True
    manifest_bytes = _read(archive, manifest_entry, result)
    if manifest_bytes is None:
        return []
    parser = ManifestParser(manifest_bytes)
    main = parser.read_section() or Section(0, 0)
    by_name: dict[str, Section] = {}
    for sec in parser.read_all():
        name = sec.name
        if name is None:
            result.add_error(make_issue("signing.v1.unnamed_manifest_section", line=sec.line))
            continue
        if name in by_name:
            result.add_error(make_issue("signing.v1.duplicate_manifest_section", name=name))
            continue
        by_name[name] = sec
    if result.errors:
        return []

    signers: list[_Signer] = []
    for be in block_entries:
        bname = _name(be)
        sf_name = bname[: bname.rfind(".")] + ".SF"
        if sf_name in sf_entries:
            info = SignerInfo(scheme="v1", name=bname)
            signers.append(_Signer(bname, sf_name, info, block_entry=be,
                                   sf_entry=sf_entries[sf_name]))  # fmt: skip
    if not signers:
        result.add_error(make_issue("signing.v1.no_signatures"))
        return []
    if len(signers) > MAX_SIGNERS:
        result.add_error(make_issue("signing.v1.max_signers_exceeded", count=len(signers),
                                    max=MAX_SIGNERS))  # fmt: skip
        return []

    for s in signers:
        block = _read(archive, s.block_entry, result)
        sf = _read(archive, s.sf_entry, result)
        if block is None or sf is None:
            return []
        s.sf_bytes = sf
        verdict = verify_block(block, sf, s.block_name, s.sf_name, min_sdk, max_sdk)
        s.info.signature_algorithms = verdict.algorithms
        if verdict.issue is not None:
            s.info.add_error(verdict.issue)
            result.signers.append(s.info)
            continue
        s.chain = verdict.chain
        s.info.certificates = [c.info for c in verdict.chain]
    if result.contains_errors():
        return []

    remaining: list[_Signer] = []
    for s in signers:
        _verify_sf_against_manifest(s, manifest_bytes, main, by_name, min_sdk, max_sdk,
                                    supported_scheme_names, found_scheme_ids)  # fmt: skip
        if s.ignored:
            result.add_warning(make_issue("signing.v1.missing_version_attr", entry=s.sf_name))
        elif s.info.errors:
            result.signers.append(s.info)
        else:
            remaining.append(s)
    if result.contains_errors():
        return []
    if not remaining:
        result.add_error(make_issue("signing.v1.no_signatures"))
        return []

    apk_signers = _verify_entries(archive, entries, names, by_name, remaining, min_sdk, max_sdk,
                                  result)  # fmt: skip
    if result.contains_errors():
        return []
    protected = {MANIFEST}
    for s in apk_signers:
        protected.update((s.block_name, s.sf_name))
    for name in names:
        if name.startswith("META-INF/") and not name.endswith("/") and name not in protected:
            result.add_warning(make_issue("signing.v1.unprotected_entry", name=name))
    for s in remaining:
        if s in apk_signers:
            s.info.verified = True
            result.signers.append(s.info)
    result.verified = True
    return [s for s in remaining if s in apk_signers]


def _name(entry: Any) -> str:
    raw = getattr(entry, "raw_name", None)
    if isinstance(raw, bytes | bytearray):
        return bytes(raw).decode("utf-8", errors="replace")
    return str(entry.name)


def _read(archive: Any, entry: Any, result: SchemeResult) -> bytes | None:
    data = archive.read(entry, max_bytes=MAX_META_BYTES, android_compat=True)
    if data is None:
        result.add_error(make_issue("signing.v1.unreadable_entry", entry=_name(entry),
                                    reason="see the archive diagnostics"))  # fmt: skip
    return data


def _verify_sf_against_manifest(
    s: _Signer,
    manifest: bytes,
    main: Section,
    by_name: dict[str, Section],
    min_sdk: int,
    max_sdk: int,
    supported: dict[int, str],
    found: set[int],
) -> None:
    info = s.info
    parser = ManifestParser(s.sf_bytes)
    sf_main = parser.read_section() or Section(0, 0)
    if sf_main.get("Signature-Version") is None:
        s.ignored = True
        return
    if max_sdk >= SDK_N:
        _check_stripping(s, sf_main, supported, found)
        if info.errors:
            return
    created_by = sf_main.get("Created-By") or ""
    signtool = "signtool" in created_by
    whole_ok = _verify_manifest_digest(s, sf_main, signtool, manifest, min_sdk, max_sdk)
    if not signtool:
        for alg, expected in digests_to_verify(sf_main, "-Digest-Manifest-Main-Attributes",
                                               min_sdk, max_sdk):  # fmt: skip
            actual = hashlib.new(alg, manifest[main.start : main.start + main.size]).digest()
            if actual != expected:
                info.add_error(make_issue("signing.v1.main_section_digest_mismatch",
                                          entry=s.sf_name, algorithm=alg))  # fmt: skip
    if info.errors:
        return
    seen: set[str] = set()
    for index, sec in enumerate(parser.read_all(), start=1):
        name = sec.name
        if name is None:
            info.add_error(make_issue("signing.v1.unnamed_sf_section", entry=s.sf_name,
                                      index=index))  # fmt: skip
            return
        if name in seen:
            info.add_error(make_issue("signing.v1.duplicate_sf_section", entry=s.sf_name,
                                      name=name))  # fmt: skip
            return
        seen.add(name)
        if whole_ok:
            continue
        msec = by_name.get(name)
        if msec is None:
            info.add_error(make_issue("signing.v1.no_entry_digest_in_sf", entry=s.sf_name,
                                      name=name))  # fmt: skip
            continue
        expected_list = digests_to_verify(sec, "-Digest", min_sdk, max_sdk)
        if not expected_list:
            info.add_error(make_issue("signing.v1.no_entry_digest_in_sf", entry=s.sf_name,
                                      name=name))  # fmt: skip
            continue
        size = msec.size
        end = msec.start + size
        if (
            signtool
            and size >= 2
            and manifest[end - 1 : end] == b"\n"
            and (manifest[end - 2 : end - 1] == b"\n")
        ):
            size -= 1
        for alg, expected in expected_list:
            actual = hashlib.new(alg, manifest[msec.start : msec.start + size]).digest()
            if actual != expected:
                info.add_error(make_issue("signing.v1.section_digest_mismatch",
                                          entry=s.sf_name, algorithm=alg, name=name))  # fmt: skip
    s.sf_entry_names = seen


def _verify_manifest_digest(
    s: _Signer, sf_main: Section, signtool: bool, manifest: bytes, min_sdk: int, max_sdk: int
) -> bool:
    suffix = "-Digest" if signtool else "-Digest-Manifest"
    expected_list = digests_to_verify(sf_main, suffix, min_sdk, max_sdk)
    if not expected_list:
        s.info.add_warning(make_issue("signing.v1.no_manifest_digest_in_sf", entry=s.sf_name))
        return False
    ok = True
    for alg, expected in expected_list:
        if hashlib.new(alg, manifest).digest() != expected:
            s.info.add_warning(make_issue("signing.v1.manifest_digest_mismatch",
                                          entry=s.sf_name, algorithm=alg))  # fmt: skip
            ok = False
    return ok


def _check_stripping(
    s: _Signer, sf_main: Section, supported: dict[int, str], found: set[int]
) -> None:
    value = sf_main.get("X-Android-APK-Signed")
    if value is None:
        if found:
            s.info.add_warning(make_issue("signing.v1.no_apk_sig_strip_protection",
                                          entry=s.sf_name))  # fmt: skip
        return
    if not supported:
        return
    expected: set[int] = set()
    for tok in value.split(","):
        tok = tok.strip()
        if not tok:
            continue
        try:
            scheme_id = int(tok)
        except ValueError:
            continue
        if scheme_id in supported:
            expected.add(scheme_id)
        else:
            s.info.add_warning(make_issue("signing.v1.unknown_apk_sig_scheme_id",
                                          entry=s.sf_name, id=scheme_id))  # fmt: skip
    for scheme_id in sorted(expected):
        if scheme_id not in found:
            s.info.add_error(make_issue("signing.v1.missing_apk_sig_referenced", entry=s.sf_name,
                                        referenced=supported[scheme_id]))  # fmt: skip


def _verify_entries(
    archive: Any,
    entries: list[Any],
    names: list[str],
    by_name: dict[str, Section],
    signers: list[_Signer],
    min_sdk: int,
    max_sdk: int,
    result: SchemeResult,
) -> list[_Signer]:
    first: list[_Signer] | None = None
    first_name = ""
    order = sorted(range(len(entries)), key=lambda i: entries[i].local_header_offset)
    for i in order:
        name = names[i]
        if not _is_digest_needed(name):
            continue
        sec = by_name.get(name)
        if sec is None:
            result.add_error(make_issue("signing.v1.no_entry_digest_in_manifest", name=name))
            continue
        entry_signers = [s for s in signers if name in s.sf_entry_names]
        if not entry_signers:
            result.add_error(make_issue("signing.v1.entry_not_signed", name=name))
            continue
        if first is None:
            first, first_name = entry_signers, name
        elif entry_signers != first:
            result.add_error(make_issue("signing.v1.entry_signers_mismatch", name=name,
                                        first=first_name))  # fmt: skip
            continue
        expected_list = digests_to_verify(sec, "-Digest", min_sdk, max_sdk)
        if not expected_list:
            result.add_error(make_issue("signing.v1.no_entry_digest_in_manifest", name=name))
            continue
        data = _read(archive, entries[i], result)
        if data is None:
            continue
        for alg, expected in expected_list:
            if hashlib.new(alg, data).digest() != expected:
                result.add_error(make_issue("signing.v1.entry_digest_mismatch", name=name,
                                            algorithm=alg))  # fmt: skip
    if first is None:
        result.add_error(make_issue("signing.v1.no_signed_entries"))
        return []
    return list(first)


def signer_certs(signers: Iterable[_Signer]) -> list[ParsedCertificate]:
    return [s.chain[0] for s in signers if s.chain]
