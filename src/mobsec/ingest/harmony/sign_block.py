"""The OpenHarmony ``<hap sign block>``: where a HAP/APP keeps its signature and profile.

Layout (hapsigner, signing block version 3), right before the ZIP central directory:

    sub-block headers   blockCount x {u32 type, u32 length, u32 offset}   (offset from block start)
    sub-block payloads
    head (32 bytes)     {i32 blockCount, i64 blockSize, 16-byte magic "<hap sign block>", i32 version}

``blockSize`` counts the whole block, head included. Sub-block types: 0x20000000 the
signature (CMS SignedData over the digests), 0x20000002 the provisioning profile (CMS
SignedData whose content is the profile JSON), 0x20000003 code-signing properties.
Every number is checked against the file before it is used; a block that does not fit is a
diagnostic, never an exception. The sub-blocks' bytes are kept so that
:mod:`mobsec.ingest.harmony.sign_verify` can check the digest, signature and chain.
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from asn1crypto import cms, x509

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.harmony.sign_verify import SignVerification

MAGIC = b"<hap sign block>"
MAGIC_OLD = b"HAP Sig Block 42"
HEAD_SIZE = 32
SUB_HEAD_SIZE = 12
MAX_SUB_BLOCKS = 64  # hapsigner writes 2-3; anything near this is hostile
MAX_PROFILE_JSON = 1 << 20
MAX_CERTIFICATES = 16
_ASN1_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError)
TYPE_SIGNATURE = 0x20000000
TYPE_PROOF_ROTATION = 0x20000001
TYPE_PROFILE = 0x20000002
TYPE_PROPERTY = 0x20000003
TYPE_NAMES = {
    TYPE_SIGNATURE: "signature",
    TYPE_PROOF_ROTATION: "proof-of-rotation",
    TYPE_PROFILE: "profile",
    TYPE_PROPERTY: "code-signing-properties",
}
SIGN_BLOCK_FILE = "<hap sign block>"


@dataclass(slots=True)
class Certificate:
    subject: str
    issuer: str
    serial: str
    not_before: str
    not_after: str
    key_algorithm: str
    sha256: str
    self_signed: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "serial": self.serial,
            "not_before": self.not_before,
            "not_after": self.not_after,
            "key_algorithm": self.key_algorithm,
            "sha256": self.sha256,
            "self_signed": self.self_signed,
        }


@dataclass(slots=True)
class Profile:
    """The provisioning profile's facts that matter for a review."""

    type: str | None  # "debug" | "release"
    bundle_name: str | None
    apl: str | None  # "normal" | "system_basic" | "system_core"
    app_feature: str | None  # "hos_normal_app" | "hos_system_app"
    developer_id: str | None
    not_before: int | None
    not_after: int | None
    device_ids: int  # how many debug devices the profile allows
    restricted_permissions: list[str] = field(default_factory=list)
    issuer: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "bundle_name": self.bundle_name,
            "apl": self.apl,
            "app_feature": self.app_feature,
            "developer_id": self.developer_id,
            "not_before": _iso(self.not_before),
            "not_after": _iso(self.not_after),
            "debug_device_count": self.device_ids,
            "restricted_permissions": self.restricted_permissions,
            "issuer": self.issuer,
        }


@dataclass(slots=True)
class HapSigning:
    present: bool
    version: int | None = None
    blocks: list[str] = field(default_factory=list)  # sub-block kinds in file order
    certificates: list[Certificate] = field(default_factory=list)  # signature CMS chain
    profile_certificates: list[Certificate] = field(default_factory=list)
    profile: Profile | None = None
    digest_algorithm: str | None = None
    signature_algorithm: str | None = None
    block_size: int = 0  # the whole block, head included: it starts at cd_offset - block_size
    signature_blob: bytes | None = field(default=None, repr=False)
    other_blobs: list[bytes] = field(default_factory=list, repr=False)  # file order
    profile_blob: bytes | None = field(default=None, repr=False)
    verification: SignVerification | None = None

    @property
    def verified(self) -> bool:
        return self.verification is not None and self.verification.verified

    @property
    def signer(self) -> Certificate | None:
        """The leaf: the certificate nobody else in the chain was issued by."""
        issuers = {c.issuer for c in self.certificates}
        leaves = [c for c in self.certificates if c.subject not in issuers or c.self_signed]
        leaves = [c for c in leaves if not c.self_signed] or leaves
        return leaves[0] if leaves else None

    def to_json(self) -> dict[str, Any]:
        return {
            "scheme": "hap-sign-block",
            "present": self.present,
            "version": self.version,
            "blocks": self.blocks,
            "verified": self.verified,
            "verification": self.verification.to_json() if self.verification else None,
            "digest_algorithm": self.digest_algorithm,
            "signature_algorithm": self.signature_algorithm,
            "certificates": [c.to_json() for c in self.certificates],
            "profile": self.profile.to_json() if self.profile else None,
            "profile_certificates": [c.to_json() for c in self.profile_certificates],
        }


def _iso(ts: int | None) -> str | None:
    if ts is None:
        return None
    try:
        return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return None


def read_sign_block(
    buf: bytes | memoryview, cd_offset: int, diags: Diagnostics, where: str = ""
) -> HapSigning:
    """The signing block ending at ``cd_offset`` (the central directory's real start)."""
    file = f"{where}!/{SIGN_BLOCK_FILE}" if where else SIGN_BLOCK_FILE
    if not HEAD_SIZE <= cd_offset <= len(buf):
        return HapSigning(present=False)
    head = bytes(buf[cd_offset - HEAD_SIZE : cd_offset])
    count, size = struct.unpack_from("<iq", head, 0)
    magic = head[12:28]
    (version,) = struct.unpack_from("<i", head, 28)
    if magic not in (MAGIC, MAGIC_OLD):
        return HapSigning(present=False)
    signing = HapSigning(present=True, version=version, block_size=size)
    start = cd_offset - size
    if size < HEAD_SIZE or start < 0 or not 0 < count <= MAX_SUB_BLOCKS:
        diags.error(
            "hap.sign_block_malformed",
            file,
            f"Signing block head is inconsistent (size {size}, {count} sub-blocks)",
            f"签名块头部不一致(大小 {size},{count} 个子块)",
            size=size,
            count=count,
        )
        return signing
    if count * SUB_HEAD_SIZE > size - HEAD_SIZE:
        diags.error(
            "hap.sign_block_malformed",
            file,
            f"{count} sub-block headers do not fit in a {size}-byte block",
            f"{count} 个子块头放不进 {size} 字节的签名块",
        )
        return signing
    for i in range(count):
        btype, length, offset = struct.unpack_from("<III", buf, start + i * SUB_HEAD_SIZE)
        kind = TYPE_NAMES.get(btype, f"0x{btype:08x}")
        signing.blocks.append(kind)
        if offset + length > size - HEAD_SIZE or offset < count * SUB_HEAD_SIZE:
            diags.error(
                "hap.sign_block_out_of_range",
                file,
                f"Sub-block {kind} ({length} bytes at {offset}) lies outside the signing block",
                f"子块 {kind}({offset} 处 {length} 字节)超出签名块范围",
                kind=kind,
                offset=offset,
                length=length,
            )
            continue
        blob = bytes(buf[start + offset : start + offset + length])
        if btype == TYPE_SIGNATURE:
            signing.signature_blob = blob
            _read_signature(blob, signing, diags, file)
        else:
            signing.other_blobs.append(blob)
        if btype == TYPE_PROFILE:
            signing.profile_blob = blob
            _read_profile(blob, signing, diags, file)
    return signing


def _load_signed_data(blob: bytes, diags: Diagnostics, file: str, what: str) -> Any | None:
    try:
        info = cms.ContentInfo.load(blob, strict=False)
        if info["content_type"].native != "signed_data":
            raise ValueError(f"content type {info['content_type'].native}")
        sd = info["content"]
        sd["signer_infos"].native  # noqa: B018 - parsed lazily: fail here, inside the try
        return sd
    except _ASN1_ERRORS as e:
        diags.error(
            "hap.cms_malformed",
            file,
            f"The {what} is not a readable CMS SignedData: {_first_line(e)}",
            f"{what} 不是可解析的 CMS SignedData:{_first_line(e)}",
            part=what,
        )
        return None


def _read_signature(blob: bytes, signing: HapSigning, diags: Diagnostics, file: str) -> None:
    sd = _load_signed_data(blob, diags, file, "signature")
    if sd is None:
        return
    signing.certificates = _certificates(sd, diags, file)
    infos = sd["signer_infos"]
    if len(infos):
        signing.digest_algorithm = infos[0]["digest_algorithm"]["algorithm"].native
        signing.signature_algorithm = infos[0]["signature_algorithm"]["algorithm"].native


def _read_profile(blob: bytes, signing: HapSigning, diags: Diagnostics, file: str) -> None:
    sd = _load_signed_data(blob, diags, file, "profile")
    if sd is None:
        return
    signing.profile_certificates = _certificates(sd, diags, file)
    try:
        content = sd["encap_content_info"]["content"].native
    except _ASN1_ERRORS:
        content = None
    if not isinstance(content, bytes) or len(content) > MAX_PROFILE_JSON:
        diags.error(
            "hap.profile_malformed", file, "Profile has no JSON content", "描述文件没有 JSON 内容"
        )
        return
    try:
        doc = json.loads(content.decode("utf-8"))
        if not isinstance(doc, dict):
            raise ValueError("not an object")
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        diags.error(
            "hap.profile_malformed",
            file,
            f"Profile JSON unreadable: {e}",
            f"描述文件 JSON 无法解析:{e}",
        )
        return
    signing.profile = _profile(doc)


def _profile(doc: dict[str, Any]) -> Profile:
    def obj(v: Any) -> dict[str, Any]:
        return v if isinstance(v, dict) else {}

    def text(v: Any) -> str | None:
        return v if isinstance(v, str) else None

    def num(v: Any) -> int | None:
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    info, validity = obj(doc.get("bundle-info")), obj(doc.get("validity"))
    devices = obj(doc.get("debug-info")).get("device-ids")
    restricted = obj(doc.get("permissions")).get("restricted-permissions")
    return Profile(
        type=text(doc.get("type")),
        bundle_name=text(info.get("bundle-name")),
        apl=text(info.get("apl")),
        app_feature=text(info.get("app-feature")),
        developer_id=text(info.get("developer-id")),
        not_before=num(validity.get("not-before")),
        not_after=num(validity.get("not-after")),
        device_ids=len(devices) if isinstance(devices, list) else 0,
        restricted_permissions=[p for p in restricted or [] if isinstance(p, str) and p]
        if isinstance(restricted, list)
        else [],
        issuer=text(doc.get("issuer")),
    )


def _certificates(sd: Any, diags: Diagnostics, file: str) -> list[Certificate]:
    out = []
    try:
        choices = list(sd["certificates"] or [])
    except _ASN1_ERRORS:
        choices = []
    for choice in choices[:MAX_CERTIFICATES]:
        try:
            cert = choice.chosen
            if not isinstance(cert, x509.Certificate):
                continue
            out.append(_certificate(cert))
        except _ASN1_ERRORS as e:
            # asn1crypto parses extensions strictly; one odd extension must not hide the
            # rest of the chain
            diags.warning(
                "hap.certificate_malformed",
                file,
                f"A certificate in the signing block could not be fully read: {_first_line(e)}",
                f"签名块中的一个证书无法完整解析:{_first_line(e)}",
            )
    return out


def _certificate(cert: x509.Certificate) -> Certificate:
    tbs = cert["tbs_certificate"]
    validity = tbs["validity"]
    subject, issuer = tbs["subject"], tbs["issuer"]
    return Certificate(
        subject=subject.human_friendly,
        issuer=issuer.human_friendly,
        serial=format(tbs["serial_number"].native, "x"),
        not_before=validity["not_before"].native.isoformat(),
        not_after=validity["not_after"].native.isoformat(),
        key_algorithm=tbs["subject_public_key_info"]["algorithm"]["algorithm"].native,
        sha256=hashlib.sha256(cert.dump()).hexdigest(),
        self_signed=subject.dump() == issuer.dump(),
    )


def _first_line(e: BaseException) -> str:
    return str(e).splitlines()[0] if str(e) else type(e).__name__
