"""APKs signed in the test by the real toolchain (aapt + keytool + apksigner), then tampered.

Each scheme combination must verify as built, and each tampering must be reported with
the right code: an entry byte (v1 entry digest / v2+ content digest), a central-directory
byte, a signing-block byte, and the v2 block stripped from a v1+v2 APK.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from mobsec.diagnostics import Diagnostics, InputError
from mobsec.ingest.archive import Archive
from mobsec.ingest.signing import verify_apk_signatures
from mobsec.ingest.signing.block import (
    MAGIC,
    V2_BLOCK_ID,
    V3_BLOCK_ID,
    SigningBlock,
    find_signing_block,
)

TOOLS = ("aapt", "keytool", "apksigner", "zip")
pytestmark = [
    pytest.mark.toolchain,
    pytest.mark.skipif(
        any(shutil.which(t) is None for t in TOOLS),
        reason="needs aapt, keytool, apksigner, zip (apt install aapt apksigner default-jdk zip)",
    ),
]

MANIFEST = """<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="org.mobsec.sig">
  <uses-sdk android:minSdkVersion="{min_sdk}" android:targetSdkVersion="28"/>
  <application android:label="sig"/>
</manifest>
"""


@pytest.fixture(scope="module")
def keystore(tmp_path_factory) -> Path:
    ks = tmp_path_factory.mktemp("ks") / "test.jks"
    subprocess.run(
        ["keytool", "-genkeypair", "-keystore", str(ks), "-storepass", "password",
         "-keypass", "password", "-alias", "k", "-keyalg", "RSA", "-keysize", "2048",
         "-validity", "3650", "-dname", "CN=mobsec test, O=mobsec, C=CN"],
        check=True, capture_output=True,
    )  # fmt: skip
    return ks


def _build(tmp: Path, keystore: Path, v1: bool, v2: bool, v3: bool, min_sdk: int) -> Path:
    (tmp / "AndroidManifest.xml").write_text(MANIFEST.format(min_sdk=min_sdk))
    unsigned = tmp / "unsigned.apk"
    subprocess.run(
        ["aapt", "package", "-f", "-M", str(tmp / "AndroidManifest.xml"),
         "-I", _android_jar(), "-F", str(unsigned)],
        check=True, capture_output=True,
    )  # fmt: skip
    # A plain entry outside META-INF (stored: -0), the one the test tampers with.
    (tmp / "hello.txt").write_text("hello from mobsec\n" * 8)
    subprocess.run(["zip", "-q", "-0", "-j", str(unsigned), str(tmp / "hello.txt")],
                   check=True)  # fmt: skip
    signed = tmp / f"signed-{int(v1)}{int(v2)}{int(v3)}.apk"
    subprocess.run(
        ["apksigner", "sign", "--ks", str(keystore), "--ks-pass", "pass:password",
         "--min-sdk-version", str(min_sdk),
         "--v1-signing-enabled", str(v1).lower(), "--v2-signing-enabled", str(v2).lower(),
         "--v3-signing-enabled", str(v3).lower(), "--out", str(signed), str(unsigned)],
        check=True, capture_output=True,
    )  # fmt: skip
    return signed


def _android_jar() -> str:
    """aapt resolves android:* attributes against the framework resources."""
    framework = Path("/usr/share/android-framework-res/framework-res.apk")
    if not framework.exists():
        pytest.skip("no framework-res.apk for aapt -I (apt install android-framework-res)")
    return str(framework)


def _verify(data: bytes, min_sdk: int):
    diags = Diagnostics()
    archive = Archive.open(data, diags, display_name="t.apk")
    return verify_apk_signatures(archive, diags, min_sdk=min_sdk), diags


COMBOS = [(True, False, False, 14), (True, True, False, 14), (False, True, False, 24),
          (False, False, True, 28), (True, True, True, 14)]  # fmt: skip


@pytest.mark.parametrize(("v1", "v2", "v3", "min_sdk"), COMBOS)
def test_signed_and_tampered(tmp_path: Path, keystore: Path, v1, v2, v3, min_sdk) -> None:
    apk = _build(tmp_path, keystore, v1, v2, v3, min_sdk)
    data = apk.read_bytes()
    report, _ = _verify(data, min_sdk)
    assert report.verified, report.all_error_codes()
    assert report.signers[0].subject.startswith("CN=mobsec test")
    expected = {"v1": v1, "v2": v2 and (min_sdk < 28 or not v3), "v3": v3}
    for scheme, ok in expected.items():
        assert report.schemes[scheme].verified is ok, scheme
    printed = subprocess.run(["apksigner", "verify", "--print-certs", str(apk)],
                             capture_output=True, text=True).stdout  # fmt: skip
    assert f"certificate SHA-256 digest: {report.signers[0].sha256}" in printed
    if v1:  # keytool reads only the JAR signature
        keytool = subprocess.run(["keytool", "-printcert", "-jarfile", str(apk)],
                                 capture_output=True, text=True).stdout  # fmt: skip
        sha256_hex = report.signers[0].sha256.upper()
        assert ":".join(sha256_hex[i : i + 2] for i in range(0, 64, 2)) in keytool

    archive = Archive.open(data, Diagnostics(), display_name="t.apk")
    entry = archive.get("hello.txt")
    assert entry is not None
    # 1. a byte of an entry's data
    bad = bytearray(data)
    bad[entry.data_offset + 1] ^= 0x01
    report, diags = _verify(bytes(bad), min_sdk)
    assert not report.verified
    codes = set(report.all_error_codes())
    if v2 or v3:
        assert "signing.scheme.apk_digest_did_not_verify" in codes
    else:
        assert codes & {"signing.v1.entry_digest_mismatch", "signing.v1.unreadable_entry"}
    assert diags.codes() & codes
    # 2. a byte of the central directory (a file-name byte keeps the ZIP readable)
    bad = bytearray(data)
    bad[archive.cd_offset + 46] ^= 0x20
    try:
        report, _ = _verify(bytes(bad), min_sdk)
        assert not report.verified
    except InputError:
        pass
    # 3. a byte of the signed data inside a scheme block of the APK Signing Block
    if v2 or v3:
        block = find_signing_block(
            archive.view(0, archive.size), archive.cd_offset, archive.cd_size, archive.eocd_offset
        )
        assert isinstance(block, SigningBlock)
        value = bytes(block.pairs[V3_BLOCK_ID if v3 else V2_BLOCK_ID])
        pos = data.find(value)
        bad = bytearray(data)
        bad[pos + 40] ^= 0x01
        report, _ = _verify(bytes(bad), min_sdk)
        assert not report.verified
        assert "signing.scheme.did_not_verify" in report.all_error_codes()


def test_v2_stripped_from_v1v2_apk(tmp_path: Path, keystore: Path) -> None:
    data = _build(tmp_path, keystore, True, True, False, 14).read_bytes()
    archive = Archive.open(data, Diagnostics(), display_name="t.apk")
    footer = data[archive.cd_offset - 24 : archive.cd_offset]
    assert footer[8:] == MAGIC
    size = struct.unpack("<Q", footer[:8])[0]
    start = archive.cd_offset - size - 8
    cd_len = archive.cd_size
    # Remove the block and shift the CD offset back, as a stripping tool would.
    stripped = bytearray(data[:start] + data[archive.cd_offset :])
    eocd = start + cd_len
    struct.pack_into("<I", stripped, eocd + 16, start)
    report, _ = _verify(bytes(stripped), 14)
    assert not report.verified
    assert "signing.v1.missing_apk_sig_referenced" in report.all_error_codes()
