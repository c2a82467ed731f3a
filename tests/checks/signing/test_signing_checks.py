"""Signing findings beyond their place: which weaknesses each one names, the certificate as
evidence, and the certificate facts checked with keytool (an independent reader)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from tests.fixtures.build import KEYSTORE_PASSWORD_FILE, build_apk, missing_tools

from mobsec import ScanOptions, scan

HERE = Path(__file__).parent
WEAK = HERE / "signing-debug-weak-cert"


def _signing_findings(fixture: Path) -> list[dict]:
    missing = missing_tools(fixture)
    if missing:
        pytest.skip("Android fixture toolchain missing: " + ", ".join(missing))
    report = scan(build_apk(fixture), ScanOptions()).to_json()
    return [f for f in report["findings"] if f["check_id"].startswith("android.signing.")]


@pytest.mark.toolchain
def test_weak_debug_certificate_findings() -> None:
    found = _signing_findings(WEAK)
    by_check: dict[str, list[dict]] = {}
    for f in found:
        by_check.setdefault(f["check_id"], []).append(f)
    assert set(by_check) == {
        "android.signing.debug-certificate",
        "android.signing.weak-key",
        "android.signing.weak-signature-algorithm",
        "android.signing.expired-certificate",
    }
    # minSdk 15 + v1: the JAR signature digests with SHA-1 (what old devices verify), and
    # the certificate itself is SHA1withRSA (reported lower: Android ignores it).
    algs = sorted(
        (f["severity"], f["message"]["en"].split()[1])
        for f in by_check["android.signing.weak-signature-algorithm"]
    )
    assert algs == [("low", "signing"), ("medium", "v1")]
    (key,) = by_check["android.signing.weak-key"]
    assert "RSA key of 1024 bits" in key["message"]["en"]
    assert key["evidence"].startswith("subject: CN=Android Debug")
    (expired,) = by_check["android.signing.expired-certificate"]
    assert expired["severity"] == "info" and "2016-01-01" in expired["message"]["en"]


@pytest.mark.skipif(shutil.which("keytool") is None, reason="keytool (JDK) not installed")
def test_fixture_keystore_is_what_the_fixture_claims() -> None:
    """The weak keystore really is debug-named, 1024-bit, SHA-1 and expired (per keytool)."""
    password = KEYSTORE_PASSWORD_FILE.read_text(encoding="utf-8").strip()
    out = subprocess.run(
        ["keytool", "-list", "-v", "-storetype", "pkcs12", "-keystore",
         str(WEAK / "debug-weak.p12"), "-storepass", password],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    assert "Owner: CN=Android Debug, O=Android, C=US" in out
    assert "1024-bit RSA key" in out and "SHA1withRSA" in out
    assert "until: Fri Jan 01 00:00:00 UTC 2016" in out


@pytest.mark.toolchain
def test_release_twin_has_no_signing_findings() -> None:
    assert _signing_findings(HERE / "signing-release-cert") == []
    assert _signing_findings(HERE / "signing-v1-v2") == []
