"""The APK signature and its certificates, as Android verifies them.

Facts come from ``ctx.facts.pkg.signing`` (the verifier's SigningReport). Each finding is
placed at the signature it is about, so a reviewer opens the right thing: a v1 signature at
its signer's block file (``META-INF/CERT.RSA``...), a v2/v3 signature at ``APK Signing
Block`` (the name the verifier gives it in diagnostics), a missing signature at the package
itself (file ""). A certificate that several schemes carry (one key usually signs v1, v2
and v3 alike) is reported once, at the APK Signing Block when a v2/v3 signer carries it
(what Android 7.0+ verifies), else at the v1 block file. These places have no line; the
certificate is the evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from mobsec.checks.context import CheckContext
from mobsec.checks.manifest._common import GBT_SIGNING
from mobsec.checks.registry import check
from mobsec.ingest.signing import SigningReport
from mobsec.ingest.signing.model import CertificateInfo
from mobsec.ingest.signing.verifier import BLOCK_FILE
from mobsec.report.model import Confidence, Finding, Severity, Text

# Android 7.0 (API 24) verifies v2 signatures; below it only v1 counts. The Janus fix
# (CVE-2017-13156) shipped in the December 2017 patch for 5.1.1 to 8.0 (API 22-26).
SDK_V2 = 24
SDK_JANUS_FIXED = 27
# NIST SP 800-57 / BSI: below these sizes a key is not considered secure today.
MIN_BITS = {"RSA": 2048, "DSA": 2048, "EC": 224}
_WEAK_DIGESTS = ("md5", "sha1")
_SCHEMES_V2_PLUS = ("v2", "v3", "v3.1")


def _signing(ctx: CheckContext) -> SigningReport | None:
    return ctx.facts.pkg.signing


def _v1_block(report: SigningReport) -> str:
    """The first v1 signer's block file ("" when the verifier did not name one)."""
    v1 = report.schemes.get("v1")
    if v1 is None:
        return ""
    return next((s.name for s in v1.signers if s.name), "")


def _certificate_places(report: SigningReport) -> dict[str, str]:
    """Certificate sha256 -> where its finding goes (see the module docstring)."""
    places: dict[str, str] = {}
    for name in _SCHEMES_V2_PLUS:
        scheme = report.schemes.get(name)
        for signer in scheme.signers if scheme is not None else []:
            for cert in signer.certificates[:1]:
                places.setdefault(cert.sha256, BLOCK_FILE)
    v1 = report.schemes.get("v1")
    for signer in v1.signers if v1 is not None else []:
        for cert in signer.certificates[:1]:
            places.setdefault(cert.sha256, signer.name or "")
    return places


def _cert_evidence(cert: CertificateInfo) -> str:
    return "\n".join(
        [
            f"subject: {cert.subject}",
            f"issuer: {cert.issuer}",
            f"key: {cert.key_algorithm} {cert.key_bits} bits"
            + (f" ({cert.curve})" if cert.curve else ""),
            f"signature algorithm: {cert.signature_algorithm}",
            f"valid: {cert.not_before.isoformat() if cert.not_before else '?'} .. "
            f"{cert.not_after.isoformat() if cert.not_after else '?'}",
            f"sha256: {cert.sha256}",
        ]
    )


def _present(report: SigningReport) -> list[str]:
    return [name for name, s in report.schemes.items() if s.present]


def _certificates(report: SigningReport) -> list[CertificateInfo]:
    """Signer certificates, one per fingerprint (a key signs v1, v2 and v3 alike)."""
    seen: dict[str, CertificateInfo] = {}
    for cert in report.signers:
        seen.setdefault(cert.sha256, cert)
    for scheme in report.schemes.values():
        for signer in scheme.signers:
            for cert in signer.certificates[:1]:
                seen.setdefault(cert.sha256, cert)
    return list(seen.values())


def certificate_findings(
    ctx: CheckContext, message: Callable[[CertificateInfo], Text | None]
) -> Iterator[Finding]:
    """One finding per signer certificate that ``message`` has something to say about,
    placed and evidenced like every certificate finding (see the module docstring)."""
    report = _signing(ctx)
    if report is None:
        return
    places = _certificate_places(report)
    for cert in _certificates(report):
        text = message(cert)
        if text is not None:
            yield _finding(
                ctx, places.get(cert.sha256, ""), _cert_evidence(cert), text, key=cert.sha256
            )


def _finding(
    ctx: CheckContext,
    place: str,
    evidence: str,
    message: Text,
    key: str,
    severity: Severity | None = None,
    confidence: Confidence | None = None,
) -> Finding:
    return ctx.file_finding(
        place,
        evidence=evidence,
        message=message,
        key=key,
        severity=severity,
        confidence=confidence,
    )


@check(
    "android.signing.unsigned",
    title=("APK is not signed", "APK 未签名"),
    description=(
        "The package carries no v1, v2 or v3 signature. Android refuses to install it, so "
        "it is not what users receive; whoever distributes it signs it with a key of their "
        "choosing, and nothing ties it to the developer.",
        "该安装包没有 v1、v2 或 v3 签名。Android 拒绝安装未签名的 APK,因此它不是用户实际获得的"
        "版本;分发者会用任意密钥对其签名,无法证明其来自开发者。",
    ),
    remediation=(
        "Sign release builds with the developer's release key (apksigner, v2 or later "
        "scheme) and analyse the signed package.",
        "使用开发者的正式签名密钥(apksigner,v2 及以上方案)为正式版签名,并对签名后的安装包进行"
        "检测。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[347],
    masvs=["MASVS-RESILIENCE-2"],
    owasp=["M7", "M2"],
    gbt_34975=[GBT_SIGNING],
)
def unsigned(ctx: CheckContext) -> Iterator[Finding]:
    report = _signing(ctx)
    if report is None:
        return  # verification did not run: nothing is known about the signature
    if any(s.present for name, s in report.schemes.items() if name != "v4"):
        return
    yield _finding(
        ctx,
        "",
        "no META-INF signature block and no APK Signing Block with v2/v3 signatures",
        Text("the APK has no v1, v2 or v3 signature", "该 APK 没有 v1、v2 或 v3 签名"),
        key="unsigned",
    )


@check(
    "android.signing.janus-v1-only",
    title=(
        "Signed with the v1 scheme only (Janus, CVE-2017-13156)",
        "仅使用 v1 方案签名(Janus 漏洞,CVE-2017-13156)",
    ),
    description=(
        "With only a v1 (JAR) signature, Android 5.0-8.0 devices without the December 2017 "
        "patch accept a DEX file prepended to the signed APK (Janus): an attacker can inject "
        "code into an update of this app without breaking its signature. v1 also leaves "
        "parts of the archive (the ZIP metadata) unprotected.",
        "仅有 v1(JAR)签名时,未安装 2017 年 12 月补丁的 Android 5.0-8.0 设备会接受在已签名 APK "
        "前拼接 DEX 的文件(Janus 漏洞):攻击者可在不破坏签名的情况下向该应用的更新中注入代码。"
        "v1 签名也不保护压缩包的部分内容(ZIP 元数据)。",
    ),
    remediation=(
        "Sign with the v2 (and v3) scheme as well as v1; apksigner does so by default.",
        "在 v1 之外同时使用 v2(及 v3)方案签名;apksigner 默认即如此。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[347],
    masvs=["MASVS-RESILIENCE-2"],
    owasp=["M7", "M2"],
    gbt_34975=[GBT_SIGNING],
    references=["https://nvd.nist.gov/vuln/detail/CVE-2017-13156"],
)
def janus_v1_only(ctx: CheckContext) -> Iterator[Finding]:
    report = _signing(ctx)
    m = ctx.manifest
    if report is None or m is None:
        return
    present = _present(report)
    if "v1" not in present or any(s in present for s in _SCHEMES_V2_PLUS):
        return
    if m.min_sdk >= SDK_JANUS_FIXED:
        return
    # Between 7.0 and 8.0 a v1-only app is still exposed, but only on unpatched devices.
    below_v2 = m.min_sdk < SDK_V2
    yield _finding(
        ctx,
        _v1_block(report),
        f"signature schemes present: {', '.join(present)}; minSdkVersion {m.min_sdk}",
        Text(
            f"only a v1 signature, and minSdkVersion {m.min_sdk} lets the app install on "
            f"Android versions affected by Janus",
            f"仅有 v1 签名,且 minSdkVersion {m.min_sdk} 允许应用安装在受 Janus 影响的 Android 版本上",
        ),
        key="v1-only",
        severity=Severity.HIGH if below_v2 else Severity.MEDIUM,
    )


@check(
    "android.signing.debug-certificate",
    title=("Signed with a debug certificate", "使用调试证书签名"),
    description=(
        "The APK is signed with the Android SDK debug key (CN=Android Debug). That key is "
        "generated on every developer machine and often shared; an app signed with it is a "
        "debug build, and anyone holding a copy of the key can sign updates that replace it.",
        "该 APK 使用 Android SDK 调试密钥(CN=Android Debug)签名。该密钥在每台开发机上自动生成且"
        "常被共享;用其签名的应用是调试构建,任何持有该密钥副本的人都能签名替换它的更新。",
    ),
    remediation=(
        "Sign releases with a dedicated release key kept out of source control (or Play App "
        "Signing).",
        "使用专门的、不纳入源码管理的正式密钥(或 Play 应用签名)为正式版签名。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[321],
    masvs=["MASVS-RESILIENCE-2"],
    owasp=["M7", "M2"],
    gbt_34975=[GBT_SIGNING],
)
def debug_certificate(ctx: CheckContext) -> Iterator[Finding]:
    report = _signing(ctx)
    if report is None:
        return
    places = _certificate_places(report)
    for cert in _certificates(report):
        if cert.is_debug:
            yield _finding(
                ctx,
                places.get(cert.sha256, ""),
                _cert_evidence(cert),
                Text(
                    f"signed with the Android debug certificate ({cert.subject})",
                    f"使用 Android 调试证书签名({cert.subject})",
                ),
                key=cert.sha256,
            )


@check(
    "android.signing.weak-signature-algorithm",
    title=("Signature uses MD5 or SHA-1", "签名使用 MD5 或 SHA-1"),
    description=(
        "A v1 signature that Android verifies for this app's SDK range digests the APK with "
        "MD5 or SHA-1, whose collisions are practical, or the signing certificate is itself "
        "signed with them. Android does not check the certificate's own signature, so the "
        "latter only matters where the certificate is trusted elsewhere.",
        "在本应用支持的 SDK 范围内 Android 会校验的 v1 签名使用 MD5 或 SHA-1 计算摘要(其碰撞已可"
        "实际构造),或签名证书本身使用这些算法签名。Android 不校验证书自身的签名,因此后者仅在该"
        "证书被其他场合信任时才有影响。",
    ),
    remediation=(
        "Sign with the v2/v3 scheme (SHA-256) and raise minSdkVersion to 18 or more so the "
        "v1 signature uses SHA-256; issue new certificates with SHA-256.",
        "使用 v2/v3 方案(SHA-256)签名,并将 minSdkVersion 提升到 18 及以上,使 v1 签名使用 "
        "SHA-256;新证书使用 SHA-256 签发。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[328, 327],
    masvs=["MASVS-RESILIENCE-2", "MASVS-CRYPTO-1"],
    owasp=["M7", "M10"],
    gbt_34975=[GBT_SIGNING],
)
def weak_signature_algorithm(ctx: CheckContext) -> Iterator[Finding]:
    report = _signing(ctx)
    if report is None:
        return
    places = _certificate_places(report)
    v1 = report.schemes.get("v1")
    if v1 is not None and v1.present and v1.checked:
        for signer in v1.signers:
            weak = sorted(
                {a for a in signer.signature_algorithms if a.split("/")[0] in _WEAK_DIGESTS}
            )
            if not weak or not signer.certificates:
                continue
            yield _finding(
                ctx,
                signer.name or "",
                f"{signer.name or 'v1 signer'}: {', '.join(signer.signature_algorithms)}\n"
                + _cert_evidence(signer.certificates[0]),
                Text(
                    f"the v1 signature {signer.name or ''} uses {', '.join(weak)}, and Android "
                    f"verifies v1 for this app's SDK range",
                    f"v1 签名 {signer.name or ''} 使用 {', '.join(weak)},且在本应用的 SDK 范围内 "
                    f"Android 会校验 v1 签名",
                ),
                key=f"apk:{signer.name}:{','.join(weak)}",
            )
    for cert in _certificates(report):
        alg = cert.signature_algorithm.lower().replace("-", "")
        if not any(d in alg for d in _WEAK_DIGESTS):
            continue
        yield _finding(
            ctx,
            places.get(cert.sha256, ""),
            _cert_evidence(cert),
            Text(
                f"the signing certificate is signed with {cert.signature_algorithm} (Android "
                f"does not verify the certificate's own signature)",
                f"签名证书使用 {cert.signature_algorithm} 签发(Android 不校验证书自身的签名)",
            ),
            key=f"cert:{cert.sha256}",
            severity=Severity.INFO,  # a policy note: nothing on the device checks it
        )


@check(
    "android.signing.weak-key",
    title=("Signing key too short", "签名密钥长度不足"),
    description=(
        "The signing key is shorter than today's minimum (RSA or DSA below 2048 bits, EC "
        "below 224 bits). A factored or broken key lets anyone sign updates that Android "
        "installs over the app, with its data and permissions.",
        "签名密钥长度低于当前最低要求(RSA 或 DSA 小于 2048 位,EC 小于 224 位)。密钥被分解或破解后,"
        "任何人都能签名可覆盖安装的更新,并获得应用的数据和权限。",
    ),
    remediation=(
        "Rotate to an RSA 3072+ or EC P-256 key with APK signature scheme v3 key rotation "
        "(apksigner rotate), or Play App Signing's key upgrade.",
        "通过 APK 签名方案 v3 的密钥轮换(apksigner rotate)或 Play 应用签名的密钥升级,改用 RSA "
        "3072 位以上或 EC P-256 密钥。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[326],
    masvs=["MASVS-RESILIENCE-2", "MASVS-CRYPTO-1"],
    owasp=["M7", "M10"],
    gbt_34975=[GBT_SIGNING],
)
def weak_key(ctx: CheckContext) -> Iterator[Finding]:
    report = _signing(ctx)
    if report is None:
        return
    places = _certificate_places(report)
    for cert in _certificates(report):
        minimum = MIN_BITS.get(cert.key_algorithm)
        if minimum is None or cert.key_bits <= 0 or cert.key_bits >= minimum:
            continue
        broken = cert.key_algorithm in ("RSA", "DSA") and cert.key_bits < 1024
        yield _finding(
            ctx,
            places.get(cert.sha256, ""),
            _cert_evidence(cert),
            Text(
                f"{cert.key_algorithm} key of {cert.key_bits} bits (minimum {minimum})",
                f"{cert.key_algorithm} 密钥仅 {cert.key_bits} 位(最低 {minimum} 位)",
            ),
            key=cert.sha256,
            severity=Severity.HIGH if broken else None,
        )


@check(
    "android.signing.expired-certificate",
    title=("Signing certificate has expired", "签名证书已过期"),
    description=(
        "The signing certificate's validity has ended. Android does not check certificate "
        "dates when installing, so the app still installs and updates; the finding shows "
        "an old key still in use, and stores or enterprise tools may reject it.",
        "签名证书已过有效期。Android 安装时不检查证书日期,应用仍可安装和更新;该发现说明仍在使用"
        "旧密钥,应用商店或企业管理工具可能拒绝它。",
    ),
    remediation=(
        "Rotate to a new key with a long validity (APK signature scheme v3 rotation, or "
        "Play App Signing).",
        "轮换为有效期足够长的新密钥(APK 签名方案 v3 密钥轮换,或 Play 应用签名)。",
    ),
    severity=Severity.INFO,
    confidence=Confidence.HIGH,
    cwe=[324],
    masvs=["MASVS-RESILIENCE-2"],
    owasp=["M7"],
    gbt_34975=[GBT_SIGNING],
)
def expired_certificate(ctx: CheckContext) -> Iterator[Finding]:
    report = _signing(ctx)
    if report is None:
        return
    places = _certificate_places(report)
    now = datetime.now(UTC)
    for cert in _certificates(report):
        end = cert.not_after
        if end is None:
            continue
        if end.tzinfo is None:
            end = end.replace(tzinfo=UTC)
        if end >= now:
            continue
        yield _finding(
            ctx,
            places.get(cert.sha256, ""),
            _cert_evidence(cert),
            Text(
                f"the signing certificate expired on {end.date().isoformat()}",
                f"签名证书已于 {end.date().isoformat()} 过期",
            ),
            key=cert.sha256,
        )
