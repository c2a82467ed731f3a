"""What module.json / config.json declare: debug builds, exported abilities, autostart."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.harmony._common import (
    GBT_COMMUNICATION,
    GBT_COMPONENTS,
    GBT_DEBUGGING,
    config_file,
    excerpt,
    facts,
)
from mobsec.checks.privacy._common import GBT_PRIVACY
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text

BOOT_EVENTS = ("usual.event.BOOT_COMPLETED", "usual.event.LOCKED_BOOT_COMPLETED")


@check(
    "harmony.config.debuggable",
    title=("HarmonyOS app built as debuggable", "鸿蒙应用以可调试模式构建"),
    description=(
        "module.json declares app.debug true (config.json: deviceConfig.default.debug): the "
        "app accepts a debugger and hdc debugging commands, which expose its memory, files "
        "and logic at run time. Release builds set it to false.",
        "module.json 中 app.debug 为 true(FA 模型 config.json 中 deviceConfig.default.debug):"
        "应用允许附加调试器和 hdc 调试命令,运行时内存、文件与逻辑均可被查看和修改。正式版构建应为 false。",
    ),
    remediation=(
        "Build the release variant (buildMode release) so that debug is false before the "
        "package is distributed.",
        "发布前使用 release 构建模式,使 debug 为 false。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[489],
    masvs=["MASVS-RESILIENCE-2"],
    owasp=["M8", "M7"],
    gbt_34975=[GBT_DEBUGGING],
)
def debuggable(ctx: CheckContext) -> Iterator[Finding]:
    for m in facts(ctx).modules:
        c = m.config
        if c is not None and c.debug:
            key = "app.debug" if c.model == "stage" else "deviceConfig.default.debug"
            yield ctx.file_finding(
                config_file(m),
                evidence=f'"{key}": true',
                key=key,
                message=Text(f"{key} is true", f"{key} 为 true"),
            )


@check(
    "harmony.config.exported-ability",
    title=(
        "Ability callable by other apps without a permission",
        "组件可被其他应用调用且无权限保护",
    ),
    description=(
        "An ability or extension ability is exported (FA: visible) and declares no "
        "permission, so any app on the device can start or connect to it with a Want and "
        "pass it data. The home-screen entry ability must be exported; it is reported for "
        "the record at info level, any other one needs a reason.",
        "Ability 或 ExtensionAbility 设置了 exported(FA 模型为 visible)且未声明权限,设备上任何应用"
        "都可以通过 Want 启动或连接它并传入数据。桌面入口 Ability 必须导出,仅以提示级别记录;其他组件需要说明理由。",
    ),
    remediation=(
        "Set exported to false for abilities other apps need not start, or protect them with "
        "a permission (permissions) and validate every Want parameter.",
        "对无需被其他应用启动的组件设置 exported 为 false,或通过 permissions 加以保护,并校验 Want 中的每个参数。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[926],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M8"],
    gbt_34975=[GBT_COMPONENTS],
)
def exported_ability(ctx: CheckContext) -> Iterator[Finding]:
    for m in facts(ctx).modules:
        if m.config is None:
            continue
        for a in m.config.abilities:
            if not a.exported or a.permissions:
                continue
            launcher = a.launcher
            kind = f"{a.kind} ({a.type})" if a.type and a.kind == "extension" else a.kind
            yield ctx.file_finding(
                config_file(m),
                evidence=excerpt(
                    {"name": a.name, "exported": True, "skills": [s.to_json() for s in a.skills]}
                ),
                key=a.name,
                severity=Severity.INFO if launcher else None,
                confidence=Confidence.MEDIUM if launcher else None,
                message=Text(
                    f"{kind} {a.name} is exported without a permission"
                    + (" (home-screen entry, exported by necessity)" if launcher else ""),
                    f"{kind} {a.name} 已导出且无权限保护"
                    + ("(桌面入口,必须导出)" if launcher else ""),
                ),
            )


@check(
    "harmony.config.boot-subscriber",
    title=("Starts itself at boot (static subscriber)", "开机自启动(静态订阅开机事件)"),
    description=(
        "A staticSubscriber extension ability subscribes to the boot-completed common event: "
        "the system starts the app after every boot without the user opening it. Starting "
        "itself to collect personal information breaks the rules on unauthorised self-start "
        "(Notice 191, methods for identifying illegal collection and use of PI by apps).",
        "staticSubscriber 类型的 ExtensionAbility 订阅了开机完成公共事件:每次开机后系统都会在用户未打开应用时启动它。"
        "若借此自启动收集个人信息,违反关于自启动的规定。",
    ),
    remediation=(
        "Remove the boot subscription unless the app's core function needs it, and tell the "
        "user about it in the privacy policy.",
        "除非核心功能必需,否则移除开机事件订阅,并在隐私政策中向用户说明。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    cwe=[359],
    masvs=["MASVS-PRIVACY-1"],
    owasp=["M6"],
    gbt_34975=[GBT_PRIVACY],
)
def boot_subscriber(ctx: CheckContext) -> Iterator[Finding]:
    for m in facts(ctx).modules:
        if m.config is None:
            continue
        for a in m.config.abilities:
            events = [e for e in a.subscribed_events if e in BOOT_EVENTS]
            if events:
                yield ctx.file_finding(
                    config_file(m),
                    evidence=excerpt({"name": a.name, "type": a.type, "events": events}),
                    key=a.name,
                    message=Text(
                        f"{a.name} subscribes to {', '.join(events)}",
                        f"{a.name} 订阅了 {', '.join(events)}",
                    ),
                )


@check(
    "harmony.config.cleartext-allowed",
    title=("Cleartext HTTP allowed by the app's network config", "网络配置允许明文 HTTP"),
    description=(
        "config.json sets deviceConfig.default.network.cleartextTraffic true: the system lets "
        "the app send requests over plain HTTP, readable and changeable by anyone on the "
        "network path.",
        "config.json 中 deviceConfig.default.network.cleartextTraffic 为 true:系统允许应用通过明文 HTTP "
        "发送请求,网络路径上的任何人都可以读取和篡改。",
    ),
    remediation=(
        "Set cleartextTraffic false and serve every endpoint over HTTPS.",
        "将 cleartextTraffic 设为 false,所有接口使用 HTTPS。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[319],
    masvs=["MASVS-NETWORK-1"],
    owasp=["M5"],
    gbt_34975=[GBT_COMMUNICATION],
)
def cleartext_allowed(ctx: CheckContext) -> Iterator[Finding]:
    for m in facts(ctx).modules:
        if m.config is not None and m.config.cleartext_traffic:
            yield ctx.file_finding(
                config_file(m),
                evidence='"network": {"cleartextTraffic": true}',
                key="cleartextTraffic",
            )
