"""The machine-readable certificate: JSON canonicalised with RFC 8785 (JCS), signed with Ed25519.

A certificate file is the JCS form of::

    {"certificate": {...what is certified...},
     "signature": {"algorithm": "Ed25519", "canonicalization": "RFC8785",
                   "key_id": "<sha256 of the raw public key, 16 hex>", "value": "<base64>"}}

The signature covers the JCS bytes of ``certificate``. The file itself must be in JCS form
and the base64 in its canonical spelling: then no byte of the file can change (whitespace,
key order, an escape, a padding bit) without verification failing, which is what a holder
of a printed hash or a regulator comparing files expects.

Verification needs only the issuer's public key (PEM): no platform, no network.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FORMAT = "mobsec-certificate/1"
ALGORITHM = "Ed25519"
CANONICALIZATION = "RFC8785"
MAX_BYTES = 256 * 1024  # a certificate is a few KiB; a bigger file is not one of ours


def canonical(value: Any) -> bytes:
    """RFC 8785 JSON Canonicalization Scheme bytes of ``value``."""
    return rfc8785.dumps(value)


def key_id(public: Ed25519PublicKey) -> str:
    """Short stable id of a public key (the same as the platform's key custody)."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(certificate: dict[str, Any], private: Ed25519PrivateKey) -> bytes:
    """The signed certificate file (JCS bytes)."""
    signature = private.sign(canonical(certificate))
    return canonical(
        {
            "certificate": certificate,
            "signature": {
                "algorithm": ALGORITHM,
                "canonicalization": CANONICALIZATION,
                "key_id": key_id(private.public_key()),
                "value": base64.b64encode(signature).decode("ascii"),
            },
        }
    )


@dataclass
class Verification:
    """The outcome: ``valid`` only when the signature holds and the date is in the period."""

    signature_ok: bool
    problems: list[tuple[str, str]] = field(default_factory=list)  # (en, zh-CN)
    certificate: dict[str, Any] | None = None
    in_validity_period: bool | None = None

    @property
    def valid(self) -> bool:
        return self.signature_ok and bool(self.in_validity_period) and not self.problems


def _fail(problem: tuple[str, str], certificate: dict | None = None) -> Verification:
    return Verification(False, [problem], certificate)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"key {k!r} given twice")
        out[k] = v
    return out


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM, or ValueError with the reason."""
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as e:
        raise ValueError(f"not a PEM public key ({e})") from e
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def verify(data: bytes, public: Ed25519PublicKey, now: datetime | None = None) -> Verification:
    """Check a certificate file against the issuer's public key, offline."""
    if len(data) > MAX_BYTES:
        return _fail(("the file is too large to be a certificate", "文件过大,不是证书"))
    try:
        doc = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        return _fail((f"not a JSON certificate ({e})", f"不是 JSON 格式的证书({e})"))
    if not isinstance(doc, dict) or set(doc) != {"certificate", "signature"}:
        return _fail(("not a certificate: needs exactly certificate and signature", "不是证书文件"))
    cert, sig = doc["certificate"], doc["signature"]
    if not isinstance(cert, dict) or not isinstance(sig, dict):
        return _fail(
            ("certificate and signature must be objects", "certificate 与 signature 必须是对象")
        )
    try:
        if canonical(doc) != data:
            return _fail(
                (
                    "the file is not in canonical (RFC 8785) form: it was changed after signing",
                    "文件不是规范化(RFC 8785)形式:签发后被修改过",
                ),
                cert,
            )
    except (rfc8785.CanonicalizationError, ValueError, TypeError) as e:
        return _fail((f"cannot canonicalise ({e})", f"无法规范化({e})"), cert)
    if sig.get("algorithm") != ALGORITHM or sig.get("canonicalization") != CANONICALIZATION:
        return _fail(("unsupported signature algorithm", "不支持的签名算法"), cert)
    if sig.get("key_id") != key_id(public):
        return _fail(
            (
                f"signed with key {sig.get('key_id')!r}, not with the given public key "
                f"({key_id(public)})",
                f"签名密钥为 {sig.get('key_id')!r},与所给公钥({key_id(public)})不符",
            ),
            cert,
        )
    value = sig.get("value")
    try:
        raw = base64.b64decode(value if isinstance(value, str) else "", validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if not raw or base64.b64encode(raw).decode("ascii") != value:
        return _fail(
            ("the signature value is not canonical base64", "签名值不是规范的 base64"), cert
        )
    try:
        public.verify(raw, canonical(cert))
    except InvalidSignature:
        return _fail(("the signature does not match the content", "签名与内容不符"), cert)
    result = Verification(True, [], cert)
    result.in_validity_period = _in_period(cert, now or datetime.now(UTC), result)
    return result


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else None


def _in_period(cert: dict[str, Any], now: datetime, result: Verification) -> bool:
    start, end = _parse_time(cert.get("valid_from")), _parse_time(cert.get("valid_until"))
    if start is None or end is None:
        result.problems.append(("no validity period", "缺少有效期"))
        return False
    if now < start:
        result.problems.append(("not yet valid", "尚未生效"))
        return False
    if now > end:
        result.problems.append(
            (f"expired on {cert['valid_until']}", f"已于 {cert['valid_until']} 过期")
        )
        return False
    return True


def utc_text(t: datetime) -> str:
    """Times in certificates: UTC, whole seconds, 'Z' (one spelling, so JCS is stable)."""
    return t.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
