"""X.509 certificates as Android sees them: original bytes kept, BER tolerated.

Android's package manager keeps the certificate encoding exactly as found (apksig's
``GuaranteedEncodedFormX509Certificate``): some published apps carry certificates that are
BER rather than DER (a length in two bytes instead of one, a BIT STRING with a stray
leading zero — corpus ``*-cert-not-der*``). ``cryptography`` refuses those, so we let
``asn1crypto`` (BER-tolerant) re-encode them as DER to get at the key, and compute
fingerprints over the original bytes, which is what ``apksigner --print-certs`` prints.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from mobsec.diagnostics import FormatError

from .model import CertificateInfo

# asn1crypto raises these for malformed BER; nothing else is caught.
ASN1_ERRORS = (ValueError, TypeError, OverflowError)

_DEBUG_DN = {"common_name": "Android Debug", "organization_name": "Android", "country_name": "US"}


@dataclass
class ParsedCertificate:
    """A certificate with what the verifier needs: the info, the key, and the SPKI bytes."""

    info: CertificateInfo
    public_key: PublicKeyTypes | None
    spki_der: bytes  # SubjectPublicKeyInfo re-encoded as DER (apksig's encodePublicKey)
    asn1: asn1_x509.Certificate


def parse_certificate(der: bytes) -> ParsedCertificate:
    """Parse one certificate; raise :class:`FormatError` when even BER parsing fails."""
    try:
        cert_asn1 = asn1_x509.Certificate.load(der)
        # Force a full parse now so errors surface here, not lazily later.
        tbs = cert_asn1["tbs_certificate"]
        _ = tbs["subject_public_key_info"].native
        reencoded = cert_asn1.dump(force=True)
    except ASN1_ERRORS as e:
        raise FormatError(
            f"Certificate is not valid ASN.1: {e}",
            f"证书不是有效的 ASN.1：{e}",
            code="signing.cert.malformed",
        ) from e
    crypto_cert: x509.Certificate | None = None
    for candidate in (der, reencoded):
        try:
            crypto_cert = x509.load_der_x509_certificate(candidate)
            break
        except ValueError:
            continue
    public_key: PublicKeyTypes | None = None
    spki_der = b""
    spki_asn1 = tbs["subject_public_key_info"]
    try:
        spki_der = spki_asn1.dump(force=True)
        public_key = serialization.load_der_public_key(spki_der)
        spki_der = public_key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    except (ValueError, TypeError, NotImplementedError) as e:
        # Unsupported key type or a broken key; keep the raw SPKI for comparison.
        public_key = None
        if not spki_der:
            raise FormatError(
                f"Certificate public key unreadable: {e}",
                f"证书公钥无法读取：{e}",
                code="signing.cert.malformed",
            ) from e
    info = _describe(der, cert_asn1, crypto_cert, public_key)
    return ParsedCertificate(info, public_key, spki_der, cert_asn1)


def _describe(
    der: bytes,
    cert_asn1: asn1_x509.Certificate,
    crypto_cert: x509.Certificate | None,
    key: PublicKeyTypes | None,
) -> CertificateInfo:
    tbs = cert_asn1["tbs_certificate"]
    subject = issuer = ""
    not_before = not_after = None
    try:
        subject = tbs["subject"].human_friendly
        issuer = tbs["issuer"].human_friendly
    except ASN1_ERRORS:
        pass  # names stay empty: a broken DN is reported through the fingerprint only
    if crypto_cert is not None:
        try:
            with warnings.catch_warnings():  # e.g. a 7-letter countryName: still renderable
                warnings.simplefilter("ignore", UserWarning)
                subject = crypto_cert.subject.rfc4514_string()
                issuer = crypto_cert.issuer.rfc4514_string()
        except ValueError:
            pass  # keep asn1crypto's rendering
    try:
        validity = tbs["validity"]
        not_before = _as_datetime(validity["not_before"].native)
        not_after = _as_datetime(validity["not_after"].native)
    except ASN1_ERRORS:
        pass  # dates stay None
    try:
        serial = format(tbs["serial_number"].native, "x")
    except ASN1_ERRORS:
        serial = ""
    try:
        sig_alg = cert_asn1["signature_algorithm"]["algorithm"].native
    except ASN1_ERRORS:
        sig_alg = ""
    key_alg, bits, curve = _key_props(key, cert_asn1)
    try:
        subj_native = tbs["subject"].native
        is_debug = all(subj_native.get(k) == v for k, v in _DEBUG_DN.items())
        self_signed = tbs["subject"] == tbs["issuer"]
    except ASN1_ERRORS:
        is_debug = self_signed = False
    return CertificateInfo(
        subject=subject,
        issuer=issuer,
        serial=serial,
        not_before=not_before,
        not_after=not_after,
        key_algorithm=key_alg,
        key_bits=bits,
        curve=curve,
        signature_algorithm=_SIG_ALG_NAMES.get(sig_alg, sig_alg),
        sha256=hashlib.sha256(der).hexdigest(),
        sha1=hashlib.sha1(der).hexdigest(),
        md5=hashlib.md5(der).hexdigest(),
        is_debug=is_debug,
        self_signed=self_signed,
        der=bytes(der),
    )


def _as_datetime(v: object) -> datetime | None:
    return v if isinstance(v, datetime) else None


def _key_props(
    key: PublicKeyTypes | None, cert_asn1: asn1_x509.Certificate
) -> tuple[str, int, str | None]:
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size, None
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.key_size, key.curve.name
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size, None
    try:
        alg = cert_asn1["tbs_certificate"]["subject_public_key_info"]["algorithm"]
        return str(alg["algorithm"].native).upper(), 0, None
    except ASN1_ERRORS:
        return "unknown", 0, None


# asn1crypto native names -> the OpenSSL-style names users know from keytool/openssl.
_SIG_ALG_NAMES = {
    "md5_rsa": "md5WithRSAEncryption",
    "sha1_rsa": "sha1WithRSAEncryption",
    "sha224_rsa": "sha224WithRSAEncryption",
    "sha256_rsa": "sha256WithRSAEncryption",
    "sha384_rsa": "sha384WithRSAEncryption",
    "sha512_rsa": "sha512WithRSAEncryption",
    "rsassa_pss": "rsassaPss",
    "sha1_dsa": "dsa_with_SHA1",
    "sha224_dsa": "dsa_with_SHA224",
    "sha256_dsa": "dsa_with_SHA256",
    "sha1_ecdsa": "ecdsa-with-SHA1",
    "sha224_ecdsa": "ecdsa-with-SHA224",
    "sha256_ecdsa": "ecdsa-with-SHA256",
    "sha384_ecdsa": "ecdsa-with-SHA384",
    "sha512_ecdsa": "ecdsa-with-SHA512",
}


def key_usage_allows_signing(cert: ParsedCertificate) -> bool:
    """Android refuses a v1 signing cert whose keyUsage has neither digitalSignature nor
    nonRepudiation (it checks this itself instead of trusting the crypto provider)."""
    try:
        ku = cert.asn1.key_usage_value
    except ASN1_ERRORS:
        return True
    if ku is None:
        return True
    names = ku.native
    return "digital_signature" in names or "non_repudiation" in names
