"""Real report documents with findings, for the renderer, baseline and diff tests.

Checks are still being written, so a scan of a fixture has few findings. These helpers take
a real scan (``mobsec.scan`` of an APK built from tests/fixtures/apps/) and append real
``Finding`` objects of the report model — the same objects checks produce — covering every
severity, code and manifest locations, an SDK owner, and text that needs escaping.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mobsec
from mobsec.report.model import Confidence, Finding, Location, Owner, Severity, Text

HOSTILE = '<script>alert("x")</script> & "quotes" http://evil.example/x.png'


def extra_findings() -> list[Finding]:
    return [
        Finding(
            check_id="android.crypto.ecb_mode",
            title=Text("Block cipher in ECB mode", "分组密码使用 ECB 模式"),
            message=Text(
                'Cipher.getInstance("AES/ECB/PKCS5Padding")',
                'Cipher.getInstance("AES/ECB/PKCS5Padding")',
            ),
            description=Text(
                "ECB encrypts equal blocks to equal ciphertext and leaks patterns.",
                "ECB 模式将相同明文块加密为相同密文块，会泄露数据模式。",
            ),
            remediation=Text(
                "Use AES/GCM/NoPadding with a random IV.", "改用 AES/GCM/NoPadding 并使用随机 IV。"
            ),
            severity=Severity.HIGH,
            confidence=Confidence.HIGH,
            location=Location(
                "classes.dex", "com.example.basic.Crypto", "encrypt([B)[B", 0x12, 34, "Crypto.java"
            ),
            evidence='0012: const-string v0, "AES/ECB/PKCS5Padding"\n0014: invoke-static {v0}, '
            "Ljavax/crypto/Cipher;->getInstance(Ljava/lang/String;)Ljavax/crypto/Cipher;",
            cwe=[327],
            masvs=["MASVS-CRYPTO-1"],
            owasp_mobile_2024=["M10"],
            standards={"GB/T 34975": ["6.3.2"]},
            fingerprint_parts=("com.example.basic.Crypto", "encrypt([B)[B", "AES/ECB/PKCS5Padding"),
        ),
        Finding(
            check_id="android.network.trust_all",
            title=Text("TrustManager accepts every certificate", "TrustManager 信任所有证书"),
            remediation=Text("Validate the chain.", "校验证书链。"),
            severity=Severity.CRITICAL,
            confidence=Confidence.MEDIUM,
            location=Location(
                "classes2.dex",
                "com.ads.sdk.Net$1",
                "checkServerTrusted([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V",
                0,
            ),
            evidence="0000: return-void",
            owner=Owner("sdk", "example-ads", "Example Ads 示例广告"),
            cwe=[295],
            fingerprint_parts=("com.ads.sdk.Net$1",),
        ),
        Finding(
            check_id="android.storage.world_readable",
            title=Text("World-readable file " + HOSTILE, "全局可读文件 " + HOSTILE),
            severity=Severity.MEDIUM,
            confidence=Confidence.LOW,
            location=Location("classes.dex", "com.example.basic.Store", "save()V", 4),
            evidence=HOSTILE,
            fingerprint_parts=("com.example.basic.Store", "save()V"),
        ),
        Finding(
            check_id="android.secrets.api_key",
            title=Text("API key in manifest meta-data", "清单 meta-data 中的 API 密钥"),
            severity=Severity.LOW,
            confidence=Confidence.MEDIUM,
            location=Location("AndroidManifest.xml", line=30),
            evidence='<meta-data android:name="com.example.API_KEY" android:value="AIza..."/>',
            fingerprint_parts=("com.example.API_KEY",),
        ),
        Finding(
            check_id="android.privacy.device_id",
            title=Text("Reads the device id", "读取设备标识"),
            severity=Severity.INFO,
            confidence=Confidence.HIGH,
            location=Location("classes.dex", "com.example.basic.Ids", "id()Ljava/lang/String;", 8),
            evidence="0008: invoke-virtual {v0}, Landroid/telephony/TelephonyManager;->getDeviceId()",
            fingerprint_parts=("com.example.basic.Ids", "getDeviceId"),
        ),
    ]


def report_doc(apk: Path, extra: bool = True) -> dict[str, Any]:
    """The Report document of a real scan of ``apk``, with the extra findings appended."""
    report = mobsec.scan(apk)
    if extra:
        report.findings.extend(extra_findings())
    return report.to_json()
