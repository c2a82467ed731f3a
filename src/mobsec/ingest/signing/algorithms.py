"""Signature algorithms of APK Signature Scheme v2/v3 and of v1 (PKCS#7), with the API
levels from which Android supports each — the facts apksig encodes, kept as data.

Also the one place that calls ``cryptography`` to check a signature, so every scheme maps
library exceptions to verdicts the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

SDK_GINGERBREAD = 9
SDK_JELLY_BEAN_MR2 = 18
SDK_KITKAT = 19
SDK_N = 24
SDK_O = 26
SDK_P = 28
SDK_R = 30
SDK_T = 33  # first release that reads the v3.1 block
SDK_MAX = 2**31 - 1


class ContentDigest(Enum):
    """How the APK contents are digested; order of members = strength (apksig's order)."""

    CHUNKED_SHA256 = "chunked-sha256"
    VERITY_CHUNKED_SHA256 = "verity-chunked-sha256"
    CHUNKED_SHA512 = "chunked-sha512"

    @property
    def strength(self) -> int:
        return _STRENGTH[self]


_STRENGTH = {
    ContentDigest.CHUNKED_SHA256: 0,
    ContentDigest.VERITY_CHUNKED_SHA256: 1,
    ContentDigest.CHUNKED_SHA512: 2,
}


@dataclass(frozen=True)
class SigAlgorithm:
    id: int
    name: str
    key: str  # "RSA" | "EC" | "DSA"
    hash_name: str  # "sha256" | "sha512"
    pss_salt: int | None  # RSA-PSS salt length, None for PKCS#1 v1.5 / ECDSA / DSA
    content_digest: ContentDigest
    min_sdk: int


SIG_ALGORITHMS: dict[int, SigAlgorithm] = {
    a.id: a
    for a in (
        SigAlgorithm(0x0101, "RSA_PSS_WITH_SHA256", "RSA", "sha256", 32,
                     ContentDigest.CHUNKED_SHA256, SDK_N),
        SigAlgorithm(0x0102, "RSA_PSS_WITH_SHA512", "RSA", "sha512", 64,
                     ContentDigest.CHUNKED_SHA512, SDK_N),
        SigAlgorithm(0x0103, "RSA_PKCS1_V1_5_WITH_SHA256", "RSA", "sha256", None,
                     ContentDigest.CHUNKED_SHA256, SDK_N),
        SigAlgorithm(0x0104, "RSA_PKCS1_V1_5_WITH_SHA512", "RSA", "sha512", None,
                     ContentDigest.CHUNKED_SHA512, SDK_N),
        SigAlgorithm(0x0201, "ECDSA_WITH_SHA256", "EC", "sha256", None,
                     ContentDigest.CHUNKED_SHA256, SDK_N),
        SigAlgorithm(0x0202, "ECDSA_WITH_SHA512", "EC", "sha512", None,
                     ContentDigest.CHUNKED_SHA512, SDK_N),
        SigAlgorithm(0x0301, "DSA_WITH_SHA256", "DSA", "sha256", None,
                     ContentDigest.CHUNKED_SHA256, SDK_N),
        SigAlgorithm(0x0421, "VERITY_RSA_PKCS1_V1_5_WITH_SHA256", "RSA", "sha256", None,
                     ContentDigest.VERITY_CHUNKED_SHA256, SDK_P),
        SigAlgorithm(0x0423, "VERITY_ECDSA_WITH_SHA256", "EC", "sha256", None,
                     ContentDigest.VERITY_CHUNKED_SHA256, SDK_P),
        SigAlgorithm(0x0425, "VERITY_DSA_WITH_SHA256", "DSA", "sha256", None,
                     ContentDigest.VERITY_CHUNKED_SHA256, SDK_P),
    )
}  # fmt: skip

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "md5": hashes.MD5,
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class VerifyError(Exception):
    """The signature could not be checked at all (wrong key type, bad parameters)."""


def verify_signature(
    key: PublicKeyTypes | None,
    key_type: str,
    hash_name: str,
    signature: bytes,
    data: bytes | memoryview,
    pss_salt: int | None = None,
) -> bool:
    """True if ``signature`` verifies; False if it does not; VerifyError if uncheckable."""
    h = _HASHES[hash_name]()
    try:
        if key_type == "RSA":
            if not isinstance(key, rsa.RSAPublicKey):
                raise VerifyError("public key is not an RSA key")
            pad: padding.AsymmetricPadding = (
                padding.PKCS1v15()
                if pss_salt is None
                else padding.PSS(mgf=padding.MGF1(_HASHES[hash_name]()), salt_length=pss_salt)
            )
            key.verify(signature, data, pad, h)
        elif key_type == "EC":
            if not isinstance(key, ec.EllipticCurvePublicKey):
                raise VerifyError("public key is not an EC key")
            key.verify(signature, data, ec.ECDSA(h))
        elif key_type == "DSA":
            if not isinstance(key, dsa.DSAPublicKey):
                raise VerifyError("public key is not a DSA key")
            key.verify(signature, data, h)
        else:
            raise VerifyError(f"unsupported key type {key_type}")
    except InvalidSignature:
        return False
    except (ValueError, TypeError, UnsupportedAlgorithm) as e:
        raise VerifyError(str(e) or type(e).__name__) from e
    return True


def key_type_of(key: PublicKeyTypes | None) -> str:
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC"
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA"
    return "unknown"


# --- v1 (PKCS#7 SignerInfo) ---------------------------------------------------------------

DIGEST_OIDS = {
    "1.2.840.113549.2.5": "md5",
    "1.3.14.3.2.26": "sha1",
    "2.16.840.1.101.3.4.2.4": "sha224",
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
}

# signature OID -> (key type, hash or None when the SignerInfo's digest algorithm decides)
SIGNATURE_OIDS: dict[str, tuple[str, str | None]] = {
    "1.2.840.113549.1.1.1": ("RSA", None),
    "1.2.840.113549.1.1.4": ("RSA", "md5"),
    "1.2.840.113549.1.1.5": ("RSA", "sha1"),
    "1.2.840.113549.1.1.14": ("RSA", "sha224"),
    "1.2.840.113549.1.1.11": ("RSA", "sha256"),
    "1.2.840.113549.1.1.12": ("RSA", "sha384"),
    "1.2.840.113549.1.1.13": ("RSA", "sha512"),
    "1.2.840.10040.4.1": ("DSA", None),
    "1.2.840.10040.4.3": ("DSA", "sha1"),
    "2.16.840.1.101.3.4.3.1": ("DSA", "sha224"),
    "2.16.840.1.101.3.4.3.2": ("DSA", "sha256"),
    "2.16.840.1.101.3.4.3.3": ("DSA", "sha384"),
    "2.16.840.1.101.3.4.3.4": ("DSA", "sha512"),
    "1.2.840.10045.2.1": ("EC", None),
    "1.2.840.10045.4.1": ("EC", "sha1"),
    "1.2.840.10045.4.3.1": ("EC", "sha224"),
    "1.2.840.10045.4.3.2": ("EC", "sha256"),
    "1.2.840.10045.4.3.3": ("EC", "sha384"),
    "1.2.840.10045.4.3.4": ("EC", "sha512"),
}

Range = tuple[int, int]
_ALL: Range = (0, SDK_MAX)
_LOLLIPOP_TO_M: Range = (21, 23)


def _from(n: int) -> Range:
    return (n, SDK_MAX)


def _build_v1_table() -> dict[tuple[str, str], tuple[Range, ...]]:
    """(digest, signature-algorithm name) -> API ranges where Android verifies the pair.

    Names: digest "sha256"; signature "RSA"/"DSA"/"EC" for the bare key OIDs, else
    "<hash>with<KEY>". Same facts as apksig's ``OidConstants.SUPPORTED_SIG_ALG_OIDS``:
    Lollipop..Marshmallow (21-23) accepted almost any mix; the rest follow the platform's
    provider history.
    """
    t: dict[tuple[str, str], tuple[Range, ...]] = {}
    digests = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512")
    for d in digests:  # any "<h>withRSA/DSA/ECDSA" under any digest: 21..23
        for h in digests:
            t[(d, f"{h}withRSA")] = (_LOLLIPOP_TO_M,)
        for h in ("sha1", "sha224", "sha256"):
            t[(d, f"{h}withDSA")] = (_LOLLIPOP_TO_M,)
        for h in ("sha1", "sha224", "sha256", "sha384", "sha512"):
            t[(d, f"{h}withECDSA")] = (_LOLLIPOP_TO_M,)
    # RSA
    t[("md5", "RSA")] = (_ALL,)
    t[("md5", "md5withRSA")] = ((0, 8), _from(21))
    t[("sha1", "RSA")] = (_ALL,)
    t[("sha1", "sha1withRSA")] = (_ALL,)
    t[("sha224", "RSA")] = ((0, 8), _from(21))
    t[("sha224", "sha224withRSA")] = ((0, 8), _from(21))
    t[("sha224", "sha256withRSA")] = ((21, 21),)
    t[("sha256", "RSA")] = ((0, 8), _from(18))
    t[("sha256", "sha1withRSA")] = ((21, 21),)
    t[("sha256", "sha256withRSA")] = ((0, 8), _from(18))
    t[("sha384", "RSA")] = (_from(18),)
    t[("sha384", "sha384withRSA")] = (_from(21),)
    t[("sha512", "RSA")] = (_from(18),)
    t[("sha512", "sha384withRSA")] = ((21, 21),)
    t[("sha512", "sha512withRSA")] = (_from(21),)
    # DSA
    t[("sha1", "DSA")] = (_ALL,)
    t[("sha1", "sha1withDSA")] = (_from(9),)
    t[("sha224", "DSA")] = (_from(22),)
    t[("sha224", "sha224withDSA")] = (_from(21),)
    t[("sha256", "DSA")] = (_from(22),)
    t[("sha256", "sha256withDSA")] = (_from(21),)
    # EC
    t[("sha1", "EC")] = (_from(18),)
    t[("sha224", "EC")] = (_from(21),)
    t[("sha256", "EC")] = (_from(18),)
    t[("sha384", "EC")] = (_from(18),)
    t[("sha512", "EC")] = (_from(18),)
    t[("sha1", "sha1withECDSA")] = (_from(18),)
    for h in ("sha224", "sha256", "sha384", "sha512"):
        t[(h, f"{h}withECDSA")] = (_from(21),)
    # Bare DSA/EC keys with MD5, and SHA-384/512 with DSA, are never supported (absent).
    return t


V1_SUPPORTED: dict[tuple[str, str], tuple[Range, ...]] = _build_v1_table()


def v1_sig_name(sig_oid: str) -> str | None:
    entry = SIGNATURE_OIDS.get(sig_oid)
    if entry is None:
        return None
    key, h = entry
    if h is None:
        return key
    return f"{h}with{'ECDSA' if key == 'EC' else key}"


def unsupported_levels(
    digest: str | None, sig_name: str | None, min_sdk: int, max_sdk: int
) -> list[Range]:
    """API levels in ``min_sdk..max_sdk`` where Android cannot verify this digest/sig pair."""
    ranges = V1_SUPPORTED.get((digest or "", sig_name or ""), ())
    missing: list[Range] = []
    lo = min_sdk
    for a, b in sorted(ranges):
        if b < lo:
            continue
        if a > max_sdk:
            break
        if a > lo:
            missing.append((lo, a - 1))
        lo = max(lo, b + 1) if b < SDK_MAX else SDK_MAX + 1
        if lo > max_sdk:
            break
    if lo <= max_sdk:
        missing.append((lo, max_sdk))
    return missing
