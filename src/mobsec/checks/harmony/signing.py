"""The ``<hap sign block>``: unsigned packages, debug profiles, profiles for another app."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.harmony._common import GBT_SIGNING, excerpt, facts
from mobsec.checks.registry import check
from mobsec.ingest.harmony.sign_block import SIGN_BLOCK_FILE
from mobsec.report.model import Confidence, Finding, Severity, Text


@check(
    "harmony.signing.unsigned",
    title=("HarmonyOS package is not signed", "鸿蒙安装包未签名"),
    description=(
        "The package has no <hap sign block>: devices refuse to install it, and nothing ties "
        "its contents to a developer, so a modified copy cannot be told from the original.",
        "安装包没有 <hap sign block> 签名块:设备拒绝安装,其内容也无法关联到开发者,被篡改的副本与原版无法区分。",
    ),
    remediation=(
        "Sign the package with the release certificate and profile (hap-sign-tool or DevEco "
        "Studio) before distributing it.",
        "分发前使用正式证书和描述文件(hap-sign-tool 或 DevEco Studio)对安装包签名。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[347],
    masvs=["MASVS-RESILIENCE-2"],
    owasp=["M7", "M2"],
    gbt_34975=[GBT_SIGNING],
)
def unsigned(ctx: CheckContext) -> Iterator[Finding]:
    f = facts(ctx)
    if not f.pkg.signing.present:
        yield ctx.file_finding("", evidence="no <hap sign block> before the central directory")


@check(
    "harmony.signing.debug-profile",
    title=("Signed with a debug provisioning profile", "使用调试描述文件签名"),
    description=(
        "The provisioning profile in the signing block is of type debug: it allows installing "
        "on the listed debug devices and debugging the app. A package for users is signed "
        "with a release profile.",
        "签名块中的描述文件类型为 debug:允许在所列调试设备上安装和调试应用。面向用户的安装包应使用 release 描述文件签名。",
    ),
    remediation=(
        "Sign the distributed package with the release certificate and release profile.",
        "使用发布证书和 release 描述文件对分发的安装包签名。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[489],
    masvs=["MASVS-RESILIENCE-2"],
    owasp=["M8"],
    gbt_34975=[GBT_SIGNING],
)
def debug_profile(ctx: CheckContext) -> Iterator[Finding]:
    profile = facts(ctx).pkg.signing.profile
    if profile is not None and profile.type == "debug":
        yield ctx.file_finding(
            SIGN_BLOCK_FILE,
            evidence=excerpt(
                {
                    "type": profile.type,
                    "debug_device_count": profile.device_ids,
                    "bundle-name": profile.bundle_name,
                }
            ),
            message=Text(
                f"profile type debug, {profile.device_ids} debug device(s)",
                f"描述文件类型为 debug,{profile.device_ids} 台调试设备",
            ),
        )


@check(
    "harmony.signing.profile-mismatch",
    title=("Signing profile issued for another app", "签名描述文件属于其他应用"),
    description=(
        "The bundle name in the provisioning profile differs from the bundleName the package "
        "declares: the package was signed with a profile (and certificate) issued for a "
        "different app, typical of re-signed or repackaged apps and of test signing kits.",
        "描述文件中的 bundle-name 与安装包声明的 bundleName 不一致:安装包使用了为其他应用签发的描述文件(及证书)签名,"
        "常见于重签名或二次打包的应用以及测试签名材料。",
    ),
    remediation=(
        "Sign with the profile issued for this bundle name.",
        "使用为该包名签发的描述文件签名。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[347],
    masvs=["MASVS-RESILIENCE-2"],
    owasp=["M7", "M2"],
    gbt_34975=[GBT_SIGNING],
)
def profile_mismatch(ctx: CheckContext) -> Iterator[Finding]:
    f = facts(ctx)
    profile = f.pkg.signing.profile
    main = f.main
    declared = main.config.bundle_name if main and main.config else None
    if profile and profile.bundle_name and declared and profile.bundle_name != declared:
        yield ctx.file_finding(
            SIGN_BLOCK_FILE,
            evidence=excerpt({"profile bundle-name": profile.bundle_name, "bundleName": declared}),
            message=Text(
                f"profile is for {profile.bundle_name}, package is {declared}",
                f"描述文件属于 {profile.bundle_name},安装包为 {declared}",
            ),
        )


@check(
    "harmony.signing.signature-invalid",
    title=("HarmonyOS package signature does not verify", "鸿蒙安装包签名校验失败"),
    description=(
        "The <hap sign block> is present but does not verify: the package's contents no longer "
        "match the signed digest, the signer's signature over that digest is wrong, or a "
        "certificate of the chain is not signed by the next one. The package was changed "
        "after signing (repackaged, patched, a file swapped) or the block was forged; devices "
        "refuse to install it.",
        "安装包带有 <hap sign block>,但签名校验不通过:包内容与签名摘要不符、签名者对摘要的签名无效,"
        "或证书链中某个证书并非由上一级签发。安装包在签名后被修改(二次打包、篡改、替换文件)或签名块是伪造的;"
        "设备会拒绝安装。",
    ),
    remediation=(
        "Obtain the package from its developer again, or re-sign the unmodified build with the "
        "release certificate and profile; never distribute a package whose signature fails.",
        "重新从开发者处获取安装包,或使用正式证书和描述文件对未修改的构建重新签名;不要分发签名校验失败的安装包。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[347, 354],
    masvs=["MASVS-RESILIENCE-2"],
    owasp=["M7", "M2"],
    gbt_34975=[GBT_SIGNING],
)
def signature_invalid(ctx: CheckContext) -> Iterator[Finding]:
    v = facts(ctx).pkg.signing.verification
    if v is None or (v.verified and v.profile_signature is not False):
        return
    steps = ("digest", "signature", "chain", "profile_signature")
    failed = [step for step in steps if getattr(v, step) is False]
    yield ctx.file_finding(
        SIGN_BLOCK_FILE,
        evidence=excerpt({"failed": failed, "problems": [p.en for p in v.problems[:4]]}),
        message=Text(
            "; ".join(p.en for p in v.problems[:3]), ";".join(p.zh for p in v.problems[:3])
        ),
    )
