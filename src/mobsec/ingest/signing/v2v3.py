"""APK Signature Scheme v2, v3 and v3.1 signers: parse, check signatures, check digests.

The three schemes share one record layout (v3 adds an SDK range per signer and a
proof-of-rotation lineage), so one parser serves all, following the rules of apksig's
``V2SchemeVerifier``/``V3SchemeVerifier``: the strongest algorithm per platform version is
the one checked, unknown algorithms and attributes are ignored with a warning, and the
first problem of a signer ends that signer's verification.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization

from mobsec.diagnostics import FormatError

from . import digests
from .algorithms import (
    SDK_MAX,
    SIG_ALGORITHMS,
    ContentDigest,
    SigAlgorithm,
    VerifyError,
    verify_signature,
)
from .block import Reader
from .certs import ParsedCertificate, parse_certificate
from .lineage import Lineage, parse_lineage
from .messages import make_issue
from .model import SchemeResult, SignerInfo

MAX_SIGNERS = 10
STRIPPING_PROTECTION_ATTR_ID = 0xBEEFF00D
PROOF_OF_ROTATION_ATTR_ID = 0x3BA06F8C
ROTATION_MIN_SDK_ATTR_ID = 0x559F8B02
ROTATION_ON_DEV_RELEASE_ATTR_ID = 0xC2A6B3BA
SCHEME_IDS = {"v2": 2, "v3": 3, "v3.1": 31}
SCHEME_NAMES = {2: "APK Signature Scheme v2", 3: "APK Signature Scheme v3"}


class _SignerFailed(Exception):
    """Stop checking this signer; the issue is already recorded."""


@dataclass
class ParsedSigner:
    info: SignerInfo
    certs: list[ParsedCertificate] = field(default_factory=list)
    content_digests: dict[int, bytes] = field(default_factory=dict)  # sig alg id -> digest
    verified_algorithms: list[SigAlgorithm] = field(default_factory=list)
    lineage: Lineage | None = None
    stripping_ids: set[int] = field(default_factory=set)
    rotation_min_sdk_attr: int | None = None


@dataclass
class SchemeContext:
    """What a scheme check needs to know about the platform range and other schemes."""

    min_sdk: int
    max_sdk: int
    supported_scheme_names: dict[int, str]
    found_scheme_ids: set[int]


def signatures_to_verify(
    algs: list[SigAlgorithm], min_sdk: int, max_sdk: int
) -> list[SigAlgorithm] | None:
    """apksig's rule: per platform version the strongest supported algorithm is checked.

    Returns None when some version in ``min_sdk..max_sdk`` has no supported algorithm.
    """
    best: dict[int, SigAlgorithm] = {}
    lowest = SDK_MAX + 1
    for a in algs:
        if a.min_sdk > max_sdk:
            continue
        lowest = min(lowest, a.min_sdk)
        cur = best.get(a.min_sdk)
        if cur is None or a.content_digest.strength > cur.content_digest.strength:
            best[a.min_sdk] = a
    if not best or min_sdk < lowest:
        return None
    return sorted(best.values(), key=lambda a: a.id)


def parse_scheme_block(
    scheme: str, value: memoryview, ctx: SchemeContext, result: SchemeResult
) -> list[ParsedSigner]:
    """Parse and cryptographically check every signer of one scheme block."""
    parsed: list[ParsedSigner] = []
    try:
        signers = Reader(value).lp_reader()
    except FormatError:
        result.add_error(make_issue("signing.scheme.malformed_signers", scheme=scheme))
        return parsed
    if not signers.has_remaining():
        result.add_error(make_issue("signing.scheme.no_signers", scheme=scheme))
        return parsed
    count = 0
    while signers.has_remaining():
        count += 1
        if count > MAX_SIGNERS:
            result.add_error(
                make_issue(
                    "signing.scheme.max_signers_exceeded", scheme=scheme, count=count,
                    max=MAX_SIGNERS,
                )
            )  # fmt: skip
            return parsed
        ps = ParsedSigner(SignerInfo(scheme=scheme))
        result.signers.append(ps.info)
        parsed.append(ps)
        try:
            _parse_signer(scheme, signers.lp_reader(), ctx, ps)
        except FormatError:
            ps.info.add_error(make_issue("signing.scheme.malformed_signer", scheme=scheme,
                                         index=count))  # fmt: skip
            return parsed
        except _SignerFailed:
            pass
    return parsed


def _fail(ps: ParsedSigner, code: str, **params: object) -> _SignerFailed:
    ps.info.add_error(make_issue(code, scheme=ps.info.scheme, **params))
    return _SignerFailed()


def _parse_signer(scheme: str, r: Reader, ctx: SchemeContext, ps: ParsedSigner) -> None:
    info = ps.info
    is_v3 = scheme != "v2"
    signed_data = r.lp()
    min_sdk, max_sdk = ctx.min_sdk, ctx.max_sdk
    if is_v3:
        info.min_sdk = r.i32()
        info.max_sdk = r.i32()
        if info.min_sdk < 0 or info.min_sdk > info.max_sdk:
            info.add_error(make_issue("signing.scheme.invalid_sdk_versions", scheme=scheme,
                                      min_sdk=info.min_sdk, max_sdk=info.max_sdk))  # fmt: skip
        min_sdk, max_sdk = info.min_sdk, info.max_sdk
    sigs_r = r.lp_reader()
    public_key_bytes = bytes(r.lp())

    sig_records: list[tuple[int, bytes]] = []
    supported: list[tuple[SigAlgorithm, bytes]] = []
    index = 0
    while sigs_r.has_remaining():
        index += 1
        try:
            sr = sigs_r.lp_reader()
            alg_id = sr.u32()
            sig = bytes(sr.lp())
        except FormatError:
            raise _fail(ps, "signing.scheme.malformed_signature", index=index) from None
        sig_records.append((alg_id, sig))
        alg = SIG_ALGORITHMS.get(alg_id)
        if alg is None:
            info.add_warning(make_issue("signing.scheme.unknown_sig_algorithm", scheme=scheme,
                                        id=alg_id))  # fmt: skip
            continue
        supported.append((alg, sig))
    if not sig_records:
        raise _fail(ps, "signing.scheme.no_signatures")
    info.signature_algorithms = [
        SIG_ALGORITHMS[i].name if i in SIG_ALGORITHMS else f"0x{i:04x}" for i, _ in sig_records
    ]
    chosen = signatures_to_verify([a for a, _ in supported], min_sdk, max_sdk)
    if chosen is None:
        raise _fail(ps, "signing.scheme.no_supported_signatures", min_sdk=min_sdk,
                    max_sdk=max_sdk)  # fmt: skip

    try:
        key = serialization.load_der_public_key(public_key_bytes)
    except (ValueError, TypeError) as e:
        raise _fail(ps, "signing.scheme.malformed_public_key", reason=str(e)) from None
    except UnsupportedAlgorithm as e:
        raise _fail(ps, "signing.scheme.malformed_public_key", reason=type(e).__name__) from None
    for alg in chosen:
        sig = next(s for a, s in supported if a is alg)
        try:
            ok = verify_signature(key, alg.key, alg.hash_name, sig, signed_data, alg.pss_salt)
        except VerifyError as e:
            raise _fail(ps, "signing.scheme.verify_exception", algorithm=alg.name,
                        reason=str(e)) from None  # fmt: skip
        if not ok:
            raise _fail(ps, "signing.scheme.did_not_verify", algorithm=alg.name)
        ps.verified_algorithms.append(alg)

    try:
        _parse_signed_data(scheme, Reader(signed_data), ps, sig_records, public_key_bytes, ctx)
    except FormatError:
        raise _fail(ps, "signing.scheme.malformed_signed_data") from None


def _parse_signed_data(
    scheme: str,
    sd: Reader,
    ps: ParsedSigner,
    sig_records: list[tuple[int, bytes]],
    public_key_bytes: bytes,
    ctx: SchemeContext,
) -> None:
    info = ps.info
    digests_r = sd.lp_reader()
    certs_r = sd.lp_reader()
    if scheme != "v2":
        signed_min, signed_max = sd.i32(), sd.i32()
        if signed_min != info.min_sdk or signed_max != info.max_sdk:
            raise _fail(ps, "signing.scheme.sdk_version_mismatch")
    attrs_r = sd.lp_reader()

    index = 0
    while certs_r.has_remaining():
        index += 1
        der = bytes(certs_r.lp())
        try:
            pc = parse_certificate(der)
        except FormatError as e:
            raise _fail(ps, "signing.scheme.malformed_certificate", index=index,
                        reason=e.en) from None  # fmt: skip
        ps.certs.append(pc)
        info.certificates.append(pc.info)
    if not ps.certs:
        raise _fail(ps, "signing.scheme.no_certificates")
    if ps.certs[0].spki_der != public_key_bytes:
        raise _fail(ps, "signing.scheme.public_key_mismatch")

    index = 0
    digest_ids: list[int] = []
    while digests_r.has_remaining():
        index += 1
        try:
            dr = digests_r.lp_reader()
            alg_id = dr.u32()
            ps.content_digests.setdefault(alg_id, bytes(dr.lp()))
            digest_ids.append(alg_id)
        except FormatError:
            raise _fail(ps, "signing.scheme.malformed_digest", index=index) from None
    if [i for i, _ in sig_records] != digest_ids:
        raise _fail(ps, "signing.scheme.sig_alg_mismatch")

    index = 0
    while attrs_r.has_remaining():
        index += 1
        try:
            ar = attrs_r.lp_reader()
            attr_id = ar.u32()
            value = ar.rest()
        except FormatError:
            raise _fail(ps, "signing.scheme.malformed_additional_attribute", index=index) from None
        _handle_attribute(scheme, attr_id, value, ps, ctx)


def _handle_attribute(
    scheme: str, attr_id: int, value: memoryview, ps: ParsedSigner, ctx: SchemeContext
) -> None:
    info = ps.info
    if scheme == "v2" and attr_id == STRIPPING_PROTECTION_ATTR_ID:
        if len(value) < 4:
            raise _fail(ps, "signing.scheme.malformed_additional_attribute", index=attr_id)
        found = struct.unpack_from("<i", value, 0)[0]
        if found in ctx.supported_scheme_names:
            ps.stripping_ids.add(found)
        else:
            info.add_warning(make_issue("signing.scheme.unknown_apk_sig_scheme_id", scheme=scheme,
                                        id=found))  # fmt: skip
        return
    if scheme != "v2" and attr_id == PROOF_OF_ROTATION_ATTR_ID:
        try:
            ps.lineage = parse_lineage(value)
        except FormatError as e:
            raise _fail(ps, e.code, reason=e.en) from None
        newest = ps.lineage.certs[-1] if ps.lineage.certs else None
        if newest is None or newest.info.der != ps.certs[0].info.der:
            raise _fail(ps, "signing.scheme.por_cert_mismatch")
        info.lineage = [c.info for c in ps.lineage.certs]
        return
    if scheme == "v3" and attr_id == ROTATION_MIN_SDK_ATTR_ID:
        if len(value) >= 4:
            ps.rotation_min_sdk_attr = struct.unpack_from("<i", value, 0)[0]
        return
    if scheme != "v2" and attr_id == ROTATION_ON_DEV_RELEASE_ATTR_ID:
        if scheme == "v3":
            info.add_warning(make_issue("signing.scheme.dev_release_attr_on_v3", scheme=scheme))
        else:
            info.rotation_targets_dev_release = True
        return
    info.add_warning(make_issue("signing.scheme.unknown_additional_attribute", scheme=scheme,
                                id=attr_id))  # fmt: skip


def check_content_digests(
    scheme: str,
    signers: list[ParsedSigner],
    result: SchemeResult,
    compute: Callable[[ContentDigest], bytes | None],
) -> None:
    """Compare each signer's digest records with the APK, for the algorithms it verified."""
    for ps in signers:
        if ps.info.errors:
            continue
        for alg in ps.verified_algorithms:
            expected = ps.content_digests.get(alg.id)
            actual = compute(alg.content_digest)
            if actual is None:
                ps.info.add_error(make_issue("signing.scheme.digest_uncomputable", scheme=scheme,
                                             reason=alg.content_digest.value))  # fmt: skip
                break
            if expected != actual:
                ps.info.add_error(make_issue("signing.scheme.apk_digest_did_not_verify",
                                             scheme=scheme, algorithm=alg.name))  # fmt: skip
                break


def make_digest_computer(
    entries: memoryview, cd: memoryview, eocd: memoryview, block_offset: int
) -> Callable[[ContentDigest], bytes | None]:
    """Memoised content-digest function: each algorithm runs over the APK at most once."""
    cache: dict[ContentDigest, bytes | None] = {}
    signed_eocd = digests.modified_eocd(eocd, block_offset)

    def compute(kind: ContentDigest) -> bytes | None:
        if kind not in cache:
            if kind is ContentDigest.VERITY_CHUNKED_SHA256 and len(entries) % 4096:
                cache[kind] = None  # verity needs the block 4 KiB-aligned
            else:
                cache[kind] = digests.compute(kind, entries, cd, signed_eocd)
        return cache[kind]

    return compute
