"""Entitlements and provisioning: debuggable builds."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.ios._common import GBT_DEBUGGING, excerpt, facts
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text


@check(
    "ios.signing.get-task-allow",
    title=("Debuggable build (get-task-allow)", "可调试构建(get-task-allow)"),
    description=(
        "The app is signed with the get-task-allow entitlement: any debugger may attach to "
        "it and read or change its memory. Only development builds carry it; a build given "
        "to users or testers should not.",
        "应用签名中包含 get-task-allow 授权:任何调试器都可以附加到进程并读取或修改其内存。"
        "只有开发构建才带有该授权,交付用户或测试方的版本不应包含。",
    ),
    remediation=(
        "Export with an ad-hoc, enterprise or App Store distribution profile (Archive → "
        "Distribute), which signs without get-task-allow.",
        "使用 Ad Hoc、企业或 App Store 分发描述文件导出(Archive → Distribute),其签名不含 "
        "get-task-allow。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[489],
    masvs=["MASVS-RESILIENCE-4"],
    owasp=["M7", "M8"],
    gbt_34975=[GBT_DEBUGGING],
)
def get_task_allow(ctx: CheckContext) -> Iterator[Finding]:
    for b in facts(ctx).pkg.bundles:
        if b.entitlements.get("get-task-allow") is True:
            where = b.executable or b.root
            yield ctx.file_finding(
                where,
                evidence=excerpt("get-task-allow", True),
                key=b.root,
                message=Text(f"{b.name}: get-task-allow = true", f"{b.name}:get-task-allow = true"),
            )
