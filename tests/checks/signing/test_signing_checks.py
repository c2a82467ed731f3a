"""Signing findings beyond their marks (expect.txt): which weaknesses each one names, the
certificate as evidence, the v1 block file named as apksigner names it, and the
certificate facts checked with keytool (independent readers)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
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
    # the certificate itself is SHA1withRSA (an info-level policy note: Android ignores it).
    algs = sorted(
        (f["severity"], f["message"]["en"].split()[1])
        for f in by_check["android.signing.weak-signature-algorithm"]
    )
    assert algs == [("info", "signing"), ("medium", "v1")]
    (key,) = by_check["android.signing.weak-key"]
    assert "RSA key of 1024 bits" in key["message"]["en"]
    assert key["evidence"].startswith("subject: CN=Android Debug")
    (expired,) = by_check["android.signing.expired-certificate"]
    assert expired["severity"] == "info" and "2016-01-01" in expired["message"]["en"]
    # line-less, at the signature itself; the certificate stays the evidence
    assert all(f["location"]["line"] is None for f in found)
    assert {f["location"]["file"] for f in found} == {"APK Signing Block", "META-INF/FIXTURES.RSA"}
    for f in by_check["android.signing.debug-certificate"] + by_check["android.signing.weak-key"]:
        assert "sha256: " in f["evidence"] and "CN=Android Debug" in f["evidence"]


@pytest.mark.toolchain
@pytest.mark.skipif(shutil.which("keytool") is None, reason="keytool (JDK) not installed")
def test_janus_names_the_v1_block_file_keytool_reads(tmp_path: Path) -> None:
    """The Janus finding names a file of the APK that keytool reads as the signer's block."""
    fixture = HERE / "signing-v1-only"
    (janus,) = _signing_findings(fixture)
    assert janus["check_id"] == "android.signing.janus-v1-only"
    name = janus["location"]["file"]
    assert re.fullmatch(r"META-INF/[^/]+\.(RSA|DSA|EC)", name), name
    with zipfile.ZipFile(build_apk(fixture)) as z:
        block = tmp_path / "block"
        block.write_bytes(z.read(name))
    out = subprocess.run(
        ["keytool", "-printcert", "-file", str(block)],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    assert "Owner: CN=mobsec test fixtures" in out


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
