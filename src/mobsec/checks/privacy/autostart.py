"""Receivers that let the system start the app on its own (MIIT 164号文: 自启动/关联启动)."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.privacy._common import GBT_PRIVACY
from mobsec.checks.registry import check
from mobsec.facts.privacy.autostart import auto_start_receivers
from mobsec.report.model import Confidence, Finding, Severity, Text


@check(
    "android.privacy.auto-start",
    title=("App can start itself on system events", "应用可被系统事件自启动"),
    description=(
        "A receiver in the manifest listens for boot, unlock, connectivity, power or "
        "package events, so the system starts the app's process without the user opening "
        "it (self-start), or another app's installation starts it (associated start). MIIT "
        "MIIT Notice 164 names frequent self-start and associated start as an infringement; the "
        "frequency needs a dynamic run. Only events Android still delivers to manifest "
        "receivers count: from targetSdk 26 most implicit system broadcasts (power, unlock, "
        "Wi-Fi, package events) are no longer delivered, except the documented exemptions "
        "such as boot completed.",
        "清单中的接收器监听开机、解锁、网络、电源或应用安装事件,系统可在用户未打开应用时启动其进程"
        "(自启动),或在其他应用安装时将其唤起(关联启动)。工信部 164号文将频繁自启动和关联启动列"
        "为侵害用户权益行为;频率需动态验证。仅计入 Android 仍会投递给清单接收器的事件:targetSdk 26 "
        "起,除开机完成等官方豁免的广播外,大多数隐式系统广播(电源、解锁、Wi-Fi、应用安装事件)"
        "不再投递给清单接收器。",
    ),
    remediation=(
        "Remove receivers the user-facing functions do not need; schedule work with "
        "WorkManager instead of boot/connectivity receivers, and disclose any self-start.",
        "删除功能不需要的接收器;用 WorkManager 调度任务代替开机/网络广播接收器,并向用户说明"
        "自启动行为。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    cwe=[359],
    masvs=["MASVS-PRIVACY-1"],
    owasp=["M6"],
    gbt_34975=[GBT_PRIVACY],
    standards={"MIIT-164": ("2.2",)},
)
def auto_start(ctx: CheckContext) -> Iterator[Finding]:
    for a in auto_start_receivers(ctx.manifest):
        yield ctx.manifest_finding(
            line=a.component.line,
            subject=a.component.name,
            owner_class=a.component.name,
            key=",".join(a.actions),
            message=Text(
                f"{a.component.name} is started by {', '.join(a.actions)}",
                f"{a.component.name} 可被 {', '.join(a.actions)} 唤起",
            ),
        )
