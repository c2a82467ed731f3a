"""PKCS#7 SignedData of a v1 signature block (.RSA/.DSA/.EC), checked the Android way.

Android differs from textbook CMS in ways that decide verdicts: before API 24 only the
first SignerInfo counts; signed attributes are signed as found (only the tag byte changes
from [0] to SET), content type is checked only from API 24; signed attributes are refused
entirely below API 19. ``asn1crypto`` parses the BER; ``cryptography`` checks signatures.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from asn1crypto import cms, core

from mobsec.diagnostics import FormatError

from .algorithms import (
    DIGEST_OIDS,
    SDK_KITKAT,
    SDK_N,
    SIGNATURE_OIDS,
    VerifyError,
    unsupported_levels,
    v1_sig_name,
    verify_signature,
)
from .certs import ASN1_ERRORS, ParsedCertificate, key_usage_allows_signing, parse_certificate
from .messages import Issue, make_issue

OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
MAX_CERTS = 100
MAX_SIGNER_INFOS = 100


@dataclass
class BlockVerdict:
    """Outcome for one signature block: the signing chain, or the issue that failed it."""

    chain: list[ParsedCertificate]
    issue: Issue | None
    algorithms: list[str]


class _ParseError(Exception):
    pass


class _VerifyException(Exception):
    pass


def verify_block(
    block: bytes, sf: bytes, block_name: str, sf_name: str, min_sdk: int, max_sdk: int
) -> BlockVerdict:
    try:
        ci = cms.ContentInfo.load(block)
        if ci["content_type"].dotted != OID_SIGNED_DATA:
            raise _ParseError("ContentInfo is not SignedData")
        sd = ci["content"]
        signer_infos = list(sd["signer_infos"])
        e_content_type = sd["encap_content_info"]["content_type"].dotted
    except ASN1_ERRORS as e:
        return _issue("signing.v1.parse_exception", entry=block_name, reason=str(e)[:200])
    except _ParseError as e:
        return _issue("signing.v1.parse_exception", entry=block_name, reason=str(e))
    if not signer_infos:
        return _issue("signing.v1.no_signers", entry=block_name)
    to_try = signer_infos[:1] if min_sdk < SDK_N else signer_infos[:MAX_SIGNER_INFOS]
    try:
        certs = _certificates(sd)
    except (_ParseError, FormatError) as e:
        return _issue("signing.v1.parse_exception", entry=block_name, reason=str(e))
    first: ParsedCertificate | None = None
    algs: list[str] = []
    for si in to_try:
        try:
            signer, unsupported = _verify_signer_info(certs, si, sf, e_content_type, min_sdk,
                                                      max_sdk, block_name)  # fmt: skip
        except _ParseError as e:
            return _issue("signing.v1.parse_exception", entry=block_name, reason=str(e))
        except _VerifyException as e:
            return _issue("signing.v1.verify_exception", entry=block_name, reason=str(e))
        if unsupported is not None:
            return BlockVerdict([], unsupported, algs)
        if signer is not None and first is None:
            first = signer
            algs.append(_alg_label(si))
    if first is None:
        return _issue("signing.v1.did_not_verify", entry=block_name, sf=sf_name)
    return BlockVerdict(_chain(certs, first), None, algs)


def _issue(code: str, **params: object) -> BlockVerdict:
    return BlockVerdict([], make_issue(code, **params), [])


def _alg_label(si: cms.SignerInfo) -> str:
    d = DIGEST_OIDS.get(si["digest_algorithm"]["algorithm"].dotted, "?")
    s = v1_sig_name(si["signature_algorithm"]["algorithm"].dotted) or "?"
    return f"{d}/{s}"


def _certificates(sd: cms.SignedData) -> list[ParsedCertificate]:
    out: list[ParsedCertificate] = []
    try:
        choices = list(sd["certificates"]) if sd["certificates"].native is not None else []
    except ASN1_ERRORS as e:
        raise _ParseError(f"certificates: {e}") from e
    for choice in choices[:MAX_CERTS]:
        try:
            if choice.name != "certificate":
                continue
            der = choice.chosen.dump()
        except ASN1_ERRORS as e:
            raise _ParseError(f"certificate: {e}") from e
        out.append(parse_certificate(der))
    return out


def _find_cert(
    certs: list[ParsedCertificate], sid: cms.SignerIdentifier
) -> ParsedCertificate | None:
    try:
        if sid.name == "issuer_and_serial_number":
            issuer = sid.chosen["issuer"]
            serial = sid.chosen["serial_number"].native
            for c in certs:
                tbs = c.asn1["tbs_certificate"]
                if tbs["serial_number"].native == serial and tbs["issuer"] == issuer:
                    return c
        else:
            ski = sid.chosen.native
            for c in certs:
                if c.asn1.key_identifier == ski:
                    return c
    except ASN1_ERRORS as e:
        raise _ParseError(f"SignerInfo.sid: {e}") from e
    return None


def _verify_signer_info(
    certs: list[ParsedCertificate],
    si: cms.SignerInfo,
    sf: bytes,
    e_content_type: str,
    min_sdk: int,
    max_sdk: int,
    block_name: str,
) -> tuple[ParsedCertificate | None, Issue | None]:
    try:
        digest_oid = si["digest_algorithm"]["algorithm"].dotted
        sig_oid = si["signature_algorithm"]["algorithm"].dotted
        signature = si["signature"].native
        signed_attrs = si["signed_attrs"]
        sid = si["sid"]
    except ASN1_ERRORS as e:
        raise _ParseError(f"SignerInfo: {e}") from e
    digest = DIGEST_OIDS.get(digest_oid)
    sig_name = v1_sig_name(sig_oid)
    missing = unsupported_levels(digest, sig_name, min_sdk, max_sdk)
    if missing or digest is None:
        levels = ", ".join(f"{a}" if a == b else f"{a}+" if b >= 2**31 - 1 else f"{a}-{b}"
                           for a, b in missing)  # fmt: skip
        issue = make_issue(
            "signing.v1.unsupported_sig_alg",
            entry=block_name,
            digest=digest_oid,
            signature=sig_oid,
            levels=levels,
        )
        return None, issue
    cert = _find_cert(certs, sid)
    if cert is None:
        raise _VerifyException("signing certificate referenced in SignerInfo not in SignedData")
    if not key_usage_allows_signing(cert):
        raise _VerifyException("signing certificate keyUsage forbids digital signatures")
    key_type, sig_hash = SIGNATURE_OIDS[sig_oid]
    hash_name = sig_hash or digest
    if isinstance(signed_attrs, core.Void) or signed_attrs.native is None:
        data = sf
    else:
        if min_sdk < SDK_KITKAT:
            raise _VerifyException("signed attributes are unsafe on API levels below 19")
        attrs = _signed_attributes(signed_attrs)
        if max_sdk >= SDK_N:
            ctype = _single(attrs, OID_CONTENT_TYPE)
            if ctype is None:
                raise _VerifyException("no content type in signed attributes")
            if not isinstance(ctype, core.ObjectIdentifier) or ctype.dotted != e_content_type:
                return None, None
        md = _single(attrs, OID_MESSAGE_DIGEST)
        if md is None:
            raise _VerifyException("no content digest in signed attributes")
        md_bytes = md.native if isinstance(md, core.OctetString) else None
        if md_bytes != hashlib.new(digest, sf).digest():
            return None, None
        raw = signed_attrs.dump()
        data = b"\x31" + raw[1:]
    if cert.public_key is None:
        raise _VerifyException("unsupported public key")
    try:
        ok = verify_signature(cert.public_key, key_type, hash_name, signature, data)
    except VerifyError as e:
        raise _VerifyException(str(e)) from e
    return (cert if ok else None), None


def _signed_attributes(signed_attrs: cms.CMSAttributes) -> dict[str, list[core.Asn1Value]]:
    out: dict[str, list[core.Asn1Value]] = {}
    try:
        for attr in signed_attrs:
            oid = attr["type"].dotted
            if oid in out:
                raise _ParseError(f"duplicate signed attribute {oid}")
            out[oid] = list(attr["values"])
    except ASN1_ERRORS as e:
        raise _VerifyException(f"failed to parse signed attributes: {e}") from e
    return out


def _single(attrs: dict[str, list[core.Asn1Value]], oid: str) -> core.Asn1Value | None:
    values = attrs.get(oid)
    if not values:
        return None
    if len(values) > 1:
        raise _ParseError(f"attribute {oid} has multiple values")
    v = values[0]
    try:
        if isinstance(v, core.Any):
            v = v.parse()
        _ = v.native
    except ASN1_ERRORS as e:
        raise _ParseError(f"attribute {oid}: {e}") from e
    return v


def _chain(certs: list[ParsedCertificate], leaf: ParsedCertificate) -> list[ParsedCertificate]:
    """Leaf first, then issuers found in the bag (apksig's getCertificateChain)."""
    chain = [leaf]
    unused = [c for c in certs if c is not leaf]
    root = leaf
    for _ in range(len(unused)):
        subj, iss = root.asn1.subject, root.asn1.issuer
        if subj == iss:
            break
        nxt = next((c for c in unused if c.asn1.subject == iss), None)
        if nxt is None:
            break
        unused.remove(nxt)
        chain.append(nxt)
        root = nxt
    return chain
