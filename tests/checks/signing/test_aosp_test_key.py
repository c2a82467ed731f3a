"""android.signing.aosp-test-key on a package signed by someone else with AOSP's testkey.

The fixtures signing-aosp-testkey (fires) and signing-release-cert (its twin) are checked by
their expect.txt marks; this test adds an APK not built here, apksig's own test APK from the
corpus, whose certificate is first identified by an independent reader (openssl).
"""

from __future__ import annotations

import hashlib
import subprocess
import zipfile
from pathlib import Path

from mobsec import ScanOptions, scan
from mobsec.checks.signing.aosp_keys import AOSP_TEST_CERTIFICATES, aosp_test_key_message
from mobsec.ingest.signing.certs import parse_certificate

CHECK = "android.signing.aosp-test-key"
TESTKEY_APK = "androguard/APK__apksig__debuggable-boolean.apk"


def _openssl_cert_sha256(apk: Path) -> str:
    """SHA-256 of the v1 signer's certificate, read by openssl (not by mobsec)."""
    with zipfile.ZipFile(apk) as z:
        block = next(n for n in z.namelist() if n.startswith("META-INF/") and n.endswith(".RSA"))
        der = z.read(block)
    pem = subprocess.run(
        ["openssl", "pkcs7", "-inform", "der", "-print_certs"],
        input=der,
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout
    cert = subprocess.run(
        ["openssl", "x509", "-outform", "der"], input=pem, capture_output=True, check=True
    ).stdout
    return hashlib.sha256(cert).hexdigest()


def test_corpus_apk_signed_with_the_aosp_testkey_is_reported(corpus_apks: Path) -> None:
    apk = corpus_apks / TESTKEY_APK
    assert AOSP_TEST_CERTIFICATES.get(_openssl_cert_sha256(apk)) == "testkey"
    report = scan(apk, ScanOptions()).to_json()
    (found,) = [f for f in report["findings"] if f["check_id"] == CHECK]
    assert '"testkey"' in found["message"]["en"] and "“testkey”" in found["message"]["zh-CN"]
    assert found["severity"] == "high" and "CN=Android" in found["evidence"]
    # an AOSP test key is not the SDK debug key: the debug check stays silent
    assert not [f for f in report["findings"] if f["check_id"].endswith("debug-certificate")]


CERTIFICATES = Path(__file__).parent / "aosp-certificates"
AOSP_SUBJECT = (
    "/C=US/ST=California/L=Mountain View/O=Android/OU=Android/CN=Android"
    "/emailAddress=android@android.com"
)


def _pem_der(pem: Path) -> bytes:
    """The DER inside a PEM file, decoded by openssl (not by mobsec)."""
    return subprocess.run(
        ["openssl", "x509", "-in", str(pem), "-outform", "der"],
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout


def test_each_aosp_certificate_is_named_by_the_check() -> None:
    """No private key of shared/media is here to sign a package: the lookup runs on the
    certificates themselves, parsed by the same reader the signature verifier uses."""
    for name in ("testkey", "platform", "shared", "media"):
        cert = parse_certificate(_pem_der(CERTIFICATES / f"{name}.x509.pem")).info
        message = aosp_test_key_message(cert)
        assert message is not None, name
        assert f'"{name}" key' in message.en and f"“{name}”" in message.zh
        assert "CN=Android" in cert.subject and cert.self_signed


def test_a_certificate_with_the_aosp_name_but_another_key_is_not_an_aosp_key(
    tmp_path: Path,
) -> None:
    """The twin: a fresh self-signed certificate with exactly the AOSP keys' subject is not
    one of them (the lookup is by certificate, not by name)."""
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30"),
            *("-keyout", str(tmp_path / "k.pem"), "-out", str(tmp_path / "c.pem")),
            *("-subj", AOSP_SUBJECT),
        ],
        capture_output=True,
        check=True,
        timeout=60,
    )
    cert = parse_certificate(_pem_der(tmp_path / "c.pem")).info
    assert "CN=Android" in cert.subject and "Mountain View" in cert.subject
    assert aosp_test_key_message(cert) is None
