"""Cryptographic verification of a ``<hap sign block>``: the package digest, the signer's
signature over it, and the certificate chain that came with it.

What OpenHarmony's signing tool signs (hapsigner ``SignHap::Sign`` / the device's
``HapSigningBlockUtils::VerifyHapIntegrity``): the file is cut into three parts, the ZIP
entries before the signing block, the central directory, and the end record with its
central-directory offset replaced by the signing block's offset. Each part is cut into
1 MiB chunks, each chunk hashed as ``H(0xa5 || le32 len || chunk)``; the package digest is
``H(0x5a || le32 count || chunk hashes || every other sub-block's bytes in file order)``
(profile, code-signing properties, proof of rotation: changing the profile breaks the
signature too). The signature sub-block is a CMS SignedData whose content is
``le32 version, le32 count, {le32 size, le32 algorithm, le32 length, digest}``; its signer
signs that content (through signed attributes when present).

The chain is verified link by link with the certificates the block carries (``cryptography``
parses certificates whose extensions ``asn1crypto`` rejects, e.g. the signing tool's test
kit). Whether the top of the chain is a root a device trusts (Huawei's or OpenHarmony's) is
reported, not decided: no trust store ships with the scanner.
"""

from __future__ import annotations

import hashlib
import itertools
import struct
import warnings
from dataclasses import dataclass, field
from typing import Any

from asn1crypto import cms, core
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm

from mobsec.ingest.signing.algorithms import (
    DIGEST_OIDS,
    SIGNATURE_OIDS,
    VerifyError,
    verify_signature,
)

CHUNK = 1 << 20
# signature algorithm ids of the digest record (hapsigner SignatureAlgorithm), low nibble
_DIGEST_OF_ALGORITHM = {
    1: "sha256",
    4: "sha256",
    2: "sha384",
    5: "sha384",
    3: "sha512",
    6: "sha512",
}
_OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
_OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
_MAX_CERTS = 16
_MAX_SIGNERS = 8
_ASN1_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError)


@dataclass(slots=True)
class Problem:
    code: str
    en: str
    zh: str


@dataclass(slots=True)
class SignVerification:
    """Each step's outcome: True passed, False failed, None could not be checked."""

    digest: bool | None = None
    signature: bool | None = None
    chain: bool | None = None
    profile_signature: bool | None = None
    digest_algorithm: str | None = None
    chain_subjects: list[str] = field(default_factory=list)  # signer first
    root_self_signed: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return bool(self.digest and self.signature and self.chain)

    def to_json(self) -> dict[str, Any]:
        return {
            "digest": self.digest,
            "signature": self.signature,
            "chain": self.chain,
            "profile_signature": self.profile_signature,
            "digest_algorithm": self.digest_algorithm,
            "chain_subjects": self.chain_subjects,
            "root_self_signed": self.root_self_signed,
            "problems": [{"code": p.code, "en": p.en, "zh": p.zh} for p in self.problems],
        }

    def fail(self, code: str, en: str, zh: str) -> None:
        self.problems.append(Problem(code, en, zh))


def verify_sign_block(
    file: memoryview,
    block_start: int,
    cd_offset: int,
    eocd_offset: int,
    signature: bytes | None,
    others: list[bytes],
    profile: bytes | None,
) -> SignVerification:
    """Verify a signing block occupying ``file[block_start:cd_offset]``.

    ``others`` are the non-signature sub-blocks' bytes in file order; ``profile`` the
    profile sub-block (also among ``others``), whose own CMS signature is checked too.
    """
    v = SignVerification()
    if signature is None:
        v.fail("hap.signature_missing", "The signing block has no signature sub-block",
               "签名块中没有签名子块")  # fmt: skip
        return v
    content, certs = _check_cms(signature, v, "signature")
    if content is not None:
        _check_digest(file, block_start, cd_offset, eocd_offset, others, content, v)
    if certs:
        _check_chain(certs, v)
    if profile is not None:
        pv = SignVerification()
        _check_cms(profile, pv, "profile")
        v.profile_signature = pv.signature
        v.problems += [Problem(p.code, p.en, p.zh) for p in pv.problems]
    return v


# --- the package digest ---------------------------------------------------------------


def _check_digest(
    file: memoryview,
    block_start: int,
    cd_offset: int,
    eocd_offset: int,
    others: list[bytes],
    content: bytes,
    v: SignVerification,
) -> None:
    record = _digest_record(content)
    if record is None:
        v.digest = False
        v.fail("hap.digest_record_malformed",
               "The signed content is not a digest record (version, count, algorithm, digest)",
               "签名内容不是摘要记录(版本、数量、算法、摘要)")  # fmt: skip
        return
    algorithm, expected = record
    name = _DIGEST_OF_ALGORITHM.get(algorithm & 0xF)
    if name is None or len(expected) != hashlib.new(name).digest_size:
        v.fail("hap.digest_algorithm_unknown", f"Unknown digest algorithm 0x{algorithm:x}",
               f"未知的摘要算法 0x{algorithm:x}")  # fmt: skip
        return
    v.digest_algorithm = name
    if not 0 <= block_start <= cd_offset <= eocd_offset <= len(file) or eocd_offset + 22 > len(
        file
    ):
        v.digest = False
        v.fail("hap.digest_layout", "The ZIP parts around the signing block are inconsistent",
               "签名块前后的 ZIP 各部分不一致")  # fmt: skip
        return
    eocd = bytearray(file[eocd_offset:])
    struct.pack_into("<I", eocd, 16, block_start)  # as signed: CD offset = the block's offset
    chunks: list[bytes] = []
    for part in (file[:block_start], file[cd_offset:eocd_offset], memoryview(eocd)):
        for i in range(0, len(part), CHUNK):
            piece = part[i : i + CHUNK]
            h = hashlib.new(name, b"\xa5" + struct.pack("<i", len(piece)))
            h.update(piece)
            chunks.append(h.digest())
    top = hashlib.new(name, b"\x5a" + struct.pack("<i", len(chunks)))
    for c in chunks:
        top.update(c)
    for block in others:
        top.update(block)
    v.digest = top.digest() == expected
    if not v.digest:
        v.fail("hap.digest_mismatch",
               "The package's contents do not match the signed digest: it was changed after signing",
               "安装包内容与签名摘要不符:签名后被修改过")  # fmt: skip


def _digest_record(content: bytes) -> tuple[int, bytes] | None:
    if len(content) < 20:
        return None
    _version, count, _size, algorithm, length = struct.unpack_from("<iiiii", content)
    if count < 1 or not 0 < length <= len(content) - 20:
        return None
    return algorithm, content[20 : 20 + length]


# --- CMS SignedData: the signer's signature ----------------------------------------------


def _check_cms(
    blob: bytes, v: SignVerification, what: str
) -> tuple[bytes | None, list[x509.Certificate]]:
    """The signed content and certificates; ``v.signature`` says whether a signer verified."""
    try:
        info = cms.ContentInfo.load(blob, strict=False)
        sd = info["content"]
        content = sd["encap_content_info"]["content"].native
        e_type = sd["encap_content_info"]["content_type"].dotted
        signers = list(sd["signer_infos"])[:_MAX_SIGNERS]
        raw_certs = [c.chosen.dump() for c in list(sd["certificates"] or [])[:_MAX_CERTS]]
    except _ASN1_ERRORS as e:
        v.signature = False
        v.fail(f"hap.{what}_unreadable", f"The {what} CMS cannot be read: {_line(e)}",
               f"{what} 的 CMS 无法解析:{_line(e)}")  # fmt: skip
        return None, []
    if not isinstance(content, bytes):
        v.signature = False
        v.fail(f"hap.{what}_no_content", f"The {what} CMS carries no signed content",
               f"{what} 的 CMS 不含被签名的内容")  # fmt: skip
        return None, []
    certs = []
    for der in raw_certs:
        try:
            with warnings.catch_warnings():  # Java-made certificates with a NULL parameter
                warnings.simplefilter("ignore")
                certs.append(x509.load_der_x509_certificate(der))
        except ValueError:
            continue  # a certificate nobody can parse cannot be the signer or an issuer
    reason = "no SignerInfo"
    for si in signers:
        ok, reason = _check_signer(si, content, e_type, certs)
        if ok:
            v.signature = True
            break
    else:
        v.signature = False
        v.fail(f"hap.{what}_signature_invalid",
               f"The {what}'s CMS signature does not verify ({reason})",
               f"{what} 的 CMS 签名校验失败({reason})")  # fmt: skip
    if what == "signature":
        signer = _signer_cert(signers, certs)
        # the chain starts at the signer; without one, at whatever the block carries
        return content, ([signer] + [c for c in certs if c is not signer]) if signer else certs
    return content, certs


def _check_signer(
    si: cms.SignerInfo, content: bytes, e_type: str, certs: list[x509.Certificate]
) -> tuple[bool, str]:
    try:
        digest = DIGEST_OIDS.get(si["digest_algorithm"]["algorithm"].dotted)
        key_type, sig_hash = SIGNATURE_OIDS.get(
            si["signature_algorithm"]["algorithm"].dotted, (None, None)
        )
        signature = si["signature"].native
        attrs = si["signed_attrs"]
        cert = _find(si["sid"], certs)
    except _ASN1_ERRORS as e:
        return False, _line(e)
    if digest is None or key_type is None:
        return False, "unsupported algorithm"
    if cert is None:
        return False, "signer certificate not in the block"
    data: bytes = content
    if not isinstance(attrs, core.Void) and len(attrs):
        try:
            values = {a["type"].dotted: list(a["values"]) for a in attrs}
            md = values.get(_OID_MESSAGE_DIGEST, [None])[0]
            ctype = values.get(_OID_CONTENT_TYPE, [None])[0]
            md_bytes = md.native if md is not None else None
            ctype_oid = ctype.dotted if isinstance(ctype, core.ObjectIdentifier) else None
        except _ASN1_ERRORS as e:
            return False, _line(e)
        if md_bytes != hashlib.new(digest, content).digest():
            return False, "message digest attribute does not match the content"
        if ctype_oid is not None and ctype_oid != e_type:
            return False, "content type attribute does not match"
        data = b"\x31" + attrs.dump()[1:]  # signed as a SET, stored with an implicit tag
    try:
        ok = verify_signature(cert.public_key(), key_type, sig_hash or digest, signature, data)
    except (VerifyError, UnsupportedAlgorithm, ValueError) as e:
        return False, _line(e)
    return ok, "" if ok else "signature does not match the signer's key"


def _find(sid: cms.SignerIdentifier, certs: list[x509.Certificate]) -> x509.Certificate | None:
    if sid.name == "issuer_and_serial_number":
        serial = sid.chosen["serial_number"].native
        issuer = sid.chosen["issuer"].dump()
        same = [c for c in certs if c.serial_number == serial]
        exact = [c for c in same if c.issuer.public_bytes() == issuer]
        return (exact or same or [None])[0]
    ski = sid.chosen.native
    for c in certs:
        try:
            if c.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest == ski:
                return c
        except (x509.ExtensionNotFound, ValueError):
            continue
    return None


def _signer_cert(signers: list[Any], certs: list[x509.Certificate]) -> x509.Certificate | None:
    for si in signers:
        try:
            found = _find(si["sid"], certs)
        except _ASN1_ERRORS:
            continue
        if found is not None:
            return found
    return None


# --- the certificate chain ---------------------------------------------------------------


def _check_chain(certs: list[x509.Certificate], v: SignVerification) -> None:
    try:
        _walk_chain(certs, v)
    except (ValueError, KeyError, TypeError) as e:  # names are parsed on first use
        v.chain = False
        v.fail("hap.chain_unreadable", f"A certificate of the chain is unreadable: {_line(e)}",
               f"证书链中的某个证书无法解析:{_line(e)}")  # fmt: skip


def _walk_chain(certs: list[x509.Certificate], v: SignVerification) -> None:
    """Signer first; each certificate must be signed by the next one the block carries."""
    chain = [certs[0]]
    left = certs[1:]
    while chain[-1].issuer != chain[-1].subject:
        parent = next((c for c in left if c.subject == chain[-1].issuer), None)
        if parent is None:
            break
        left.remove(parent)
        chain.append(parent)
    v.chain_subjects = [c.subject.rfc4514_string() for c in chain]
    links = list(itertools.pairwise(chain))
    top = chain[-1]
    v.root_self_signed = top.issuer == top.subject
    if v.root_self_signed:
        links.append((top, top))
    v.chain = True
    for child, parent in links:
        try:
            child.verify_directly_issued_by(parent)
        except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm) as e:
            v.chain = False
            v.fail("hap.chain_invalid",
                   f"Certificate {child.subject.rfc4514_string()} is not validly signed by "
                   f"{parent.subject.rfc4514_string()}: {_line(e)}",
                   f"证书 {child.subject.rfc4514_string()} 并非由 "
                   f"{parent.subject.rfc4514_string()} 有效签发:{_line(e)}")  # fmt: skip
            return


def _line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0][:200] if text else type(e).__name__
