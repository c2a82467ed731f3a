"""Requested permissions: grades an ordinary app cannot hold, and user_grant ones without a
reason shown to the user."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.harmony._common import GBT_PERMISSIONS, config_file, excerpt, facts
from mobsec.checks.privacy._common import GBT_PRIVACY
from mobsec.checks.registry import check
from mobsec.facts.harmony import OhosPermission, ohos_permissions
from mobsec.ingest.harmony.hap import HapModule
from mobsec.ingest.harmony.module_config import RequestedPermission
from mobsec.report.model import Confidence, Finding, Severity, Text


def _requested(
    ctx: CheckContext,
) -> Iterator[tuple[HapModule, RequestedPermission, OhosPermission]]:
    """Every requested permission the catalog knows, with its module."""
    catalog = ohos_permissions()
    for m in facts(ctx).modules:
        for p in m.config.permissions if m.config else []:
            if (known := catalog.get(p.name)) is not None:
                yield m, p, known


@check(
    "harmony.permissions.system-grade",
    title=("Requests system-grade permissions", "申请系统级权限"),
    description=(
        "The app requests permissions of APL system_basic or system_core, which the system "
        "grants only to system apps or through a privileged ACL in the signing profile. An "
        "ordinary app asking for them is either mis-built or expects a privileged profile: "
        "either way it gains control over the device (reboot, update, install apps, read "
        "call logs...) well beyond what an app needs.",
        "应用申请了 APL 为 system_basic 或 system_core 的权限,这类权限只授予系统应用或通过签名描述文件中的 ACL "
        "特批。普通应用申请它们要么是构建错误,要么依赖特权描述文件:无论哪种,都获得了远超应用所需的设备控制能力"
        "(重启、升级、安装应用、读取通话记录等)。",
    ),
    remediation=(
        "Remove the system-grade permissions, or use the public API that serves the same need "
        "without them.",
        "移除系统级权限,或改用无需这些权限的公开接口实现同样的功能。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[250],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M8"],
    gbt_34975=[GBT_PERMISSIONS],
)
def system_grade(ctx: CheckContext) -> Iterator[Finding]:
    for m, p, known in _requested(ctx):
        if known.apl != "normal":
            yield ctx.file_finding(
                config_file(m),
                evidence=excerpt(p.to_json()),
                key=p.name,
                severity=Severity.HIGH if known.apl == "system_core" else None,
                # grades written from memory of the upstream list are not proof
                confidence=Confidence.MEDIUM if known.review else None,
                message=Text(f"{p.name} (APL {known.apl})", f"{p.name}(APL 等级 {known.apl})"),
            )


@check(
    "harmony.permissions.no-reason",
    title=("User-granted permission requested without a reason", "申请用户授权权限但未说明理由"),
    description=(
        "A user_grant permission (location, camera, contacts...) is requested without the "
        "reason the system shows in the authorisation dialog, so the user is asked to grant "
        "access to personal information without being told why.",
        "申请 user_grant 类权限(位置、相机、通讯录等)时未填写 reason,系统授权弹窗不会说明用途,"
        "用户在不知道目的的情况下被要求授权访问个人信息。",
    ),
    remediation=(
        "Give every user_grant permission a reason (a string resource) and usedScene in "
        "module.json, and ask for it only when the feature that needs it is used.",
        "在 module.json 中为每个 user_grant 权限填写 reason(字符串资源)和 usedScene,并仅在使用相关功能时申请。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    cwe=[359],
    masvs=["MASVS-PRIVACY-1"],
    owasp=["M6"],
    gbt_34975=[GBT_PRIVACY],
)
def no_reason(ctx: CheckContext) -> Iterator[Finding]:
    for m, p, known in _requested(ctx):
        if known.grant == "user_grant" and not (p.reason or "").strip():
            yield ctx.file_finding(
                config_file(m),
                evidence=excerpt(p.to_json()),
                key=p.name,
                message=Text(f"{p.name} has no reason", f"{p.name} 未填写 reason"),
            )
