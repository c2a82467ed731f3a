"""Signing with the AOSP test keys, whose private halves are published with Android's source.

``build/target/product/security`` in AOSP ships ``testkey``, ``platform``, ``shared`` and
``media`` with their ``.pk8`` private keys, for development builds of the platform. Anyone can sign with
them: an app signed this way can be replaced by an "update" from anyone, and on a device
whose system image still uses the test keys (many development and some cheap production
builds) the platform key grants signature permissions and ``android.uid.system``. The
certificates below are identified by the SHA-256 of their DER encoding (public facts: the
certificates are in the AOSP tree).
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.manifest._common import GBT_SIGNING
from mobsec.checks.registry import check
from mobsec.ingest.signing.model import CertificateInfo
from mobsec.report.model import Confidence, Finding, Severity, Text

from .certificates import certificate_findings

# SHA-256 of the DER certificate -> the key's name in build/target/product/security.
# testkey: CN=Android, serial 936eacbe07f201df, 2008-02-29 .. 2035-07-17.
# platform: CN=Android, serial b3998086d056cffa, 2008-04-15 .. 2035-09-01.
# shared: CN=Android, serial f2a73396bd38767a, 2008-07-23 .. 2035-12-09.
# media: CN=Android, serial f2b98e6123572c4e, 2008-04-15 .. 2035-09-01.
# shared and media are build/target/product/security/{shared,media}.x509.pem as carried by the
# public ROM build trees RampageOS/build and ProjectLlama/android_build (two copies that agree
# byte for byte once each tree's branding substitution is undone; the same two trees give the
# testkey and platform hashes above, and each certificate's self-signature verifies). Their
# PEMs are kept in tests/checks/signing/aosp-certificates/ for the test.
AOSP_TEST_CERTIFICATES = {
    "a40da80a59d170caa950cf15c18c454d47a39b26989d8b640ecd745ba71bf5dc": "testkey",
    "c8a2e9bccf597c2fb6dc66bee293fc13f2fc47ec77bc6b2b0d52c11f51192ab8": "platform",
    "28bbfe4a7b97e74681dc55c2fbb6ccb8d6c74963733f6af6ae74d8c3a6e879fd": "shared",
    "465983f7791f2abeb43ea2cbdc7f21a8260b72bc08a55c839fc1a43bc741a81e": "media",
}


@check(
    "android.signing.aosp-test-key",
    title=("Signed with a public AOSP test key", "使用公开的 AOSP 测试密钥签名"),
    description=(
        "The APK is signed with one of the test keys that ship, private key included, in "
        "the Android Open Source Project (build/target/product/security: testkey, "
        "platform, shared, media). Anyone can sign with them: an update signed by anyone replaces this "
        "app and inherits its data, and signature permissions or a shared user id this app "
        "defines are open to any app signed the same way. On devices whose system image was "
        "built with the test keys, the platform key makes an app part of the system.",
        "该 APK 使用 Android 开源项目(AOSP)随源码公开(含私钥)的测试密钥签名"
        "(build/target/product/security 中的 testkey、platform、shared、media)。任何人都能用这些密钥签名:"
        "任何人签名的更新都可替换本应用并继承其数据,本应用定义的签名级权限或共享用户 ID 对同样"
        "签名的任何应用开放。在使用测试密钥构建系统镜像的设备上,platform 密钥会使应用成为系统的一部分。",
    ),
    remediation=(
        "Sign with a private release key generated for this app (or Play App Signing); "
        "rotate the key with APK Signature Scheme v3 key rotation for installed users.",
        "使用为本应用专门生成的私有正式密钥(或 Play 应用签名)签名;对已安装用户可通过 APK 签名方案 "
        "v3 的密钥轮换更换密钥。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[321],
    masvs=["MASVS-RESILIENCE-2"],
    owasp=["M7", "M2"],
    gbt_34975=[GBT_SIGNING],
    references=[
        "https://android.googlesource.com/platform/build/+/refs/heads/main/target/product/security/README"
    ],
)
def aosp_test_key(ctx: CheckContext) -> Iterator[Finding]:
    yield from certificate_findings(ctx, aosp_test_key_message)


def aosp_test_key_message(cert: CertificateInfo) -> Text | None:
    """What the finding says about ``cert``, or None when it is not an AOSP test key."""
    name = AOSP_TEST_CERTIFICATES.get(cert.sha256.lower())
    if name is None:
        return None
    return Text(
        f'signed with the public AOSP "{name}" key ({cert.subject})',
        f"使用公开的 AOSP “{name}” 密钥签名({cert.subject})",
    )
