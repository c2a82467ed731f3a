"""Intents that reach the wrong component: implicit PendingIntents, broadcasts and service
starts, and Intents taken from another app's extras and started (redirection)."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.checks.storage._common import (
    CONTEXT,
    int_constants,
    is_null,
    site_args,
    site_flow,
)
from mobsec.checks.storage._meta import GBT_COMPONENT
from mobsec.checks.storage._sensitive import name_is_sensitive, sensitive_source
from mobsec.checks.webview._common import exported_component
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._intents import intent_shape

PENDING_INTENT = "Landroid/app/PendingIntent;"
PENDING_FACTORIES = ("getActivity", "getService", "getBroadcast", "getForegroundService")
FLAG_MUTABLE = 0x02000000
FLAG_IMMUTABLE = 0x04000000


@check(
    "android.icc.pending-intent-implicit",
    title=(
        "Mutable PendingIntent with an implicit base Intent",
        "可变 PendingIntent 使用隐式基础 Intent",
    ),
    description=(
        "A PendingIntent is made from an Intent with no component, class or package, and "
        "it is mutable (FLAG_MUTABLE, or no FLAG_IMMUTABLE on targetSdk < 31). Whoever "
        "receives it (a notification listener, another app) can fill in the component and "
        "extras and have it run with this app's identity and permissions.",
        "PendingIntent 基于未设置组件、类或包名的 Intent 创建,且是可变的(FLAG_MUTABLE,或 "
        "targetSdk < 31 时未设置 FLAG_IMMUTABLE)。拿到它的一方(通知监听器、其他应用)可以填入"
        "组件和附加数据,并以本应用的身份和权限执行。",
    ),
    remediation=(
        "Set an explicit component on the base Intent (new Intent(context, Target.class)) "
        "and use FLAG_IMMUTABLE unless mutability is really needed.",
        "为基础 Intent 设置显式组件(new Intent(context, Target.class)),除确需可变外使用 "
        "FLAG_IMMUTABLE。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    cwe=[927],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M8"],
    gbt_34975=[GBT_COMPONENT],
)
def pending_intent_implicit(ctx: CheckContext) -> Iterator[Finding]:
    target_sdk = ctx.manifest.target_sdk if ctx.manifest else 1
    for name in PENDING_FACTORIES:
        for site in ctx.code.call_sites(PENDING_INTENT, name):
            args = site_args(site)
            flow = site_flow(site)
            if args is None or flow is None or len(args) < 4:
                continue
            shape = intent_shape(flow, args[2], ctx.facts.values)
            if shape is None or shape.explicit:
                continue
            flags = int_constants(args[3])
            if flags is None:
                continue
            mutable = any(f & FLAG_MUTABLE for f in flags) or (
                target_sdk < 31 and any(not f & FLAG_IMMUTABLE for f in flags)
            )
            if not mutable:
                continue
            what = f'Intent("{shape.action}")' if shape.action else "an empty Intent()"
            what_zh = f'Intent("{shape.action}")' if shape.action else "空的 Intent()"
            yield ctx.code_finding(
                site,
                key=name,
                message=Text(
                    f"PendingIntent.{name} with {what}, mutable",
                    f"PendingIntent.{name} 使用 {what_zh},且可变",
                ),
            )


BROADCASTS = ("sendBroadcast", "sendBroadcastAsUser", "sendOrderedBroadcast")


@check(
    "android.icc.implicit-broadcast-sensitive",
    title=("Sensitive data in an implicit broadcast", "隐式广播携带敏感数据"),
    description=(
        "An Intent with no component or package, carrying an extra whose name or value "
        "looks like a credential or personal information, is broadcast without a receiver "
        "permission. Any app can register a receiver for the action and read it.",
        "未设置组件或包名的 Intent 携带名称或值看起来是凭证或个人信息的附加数据,且在未指定接收"
        "者权限的情况下被广播。任何应用都可以为该 action 注册接收器并读取这些数据。",
    ),
    remediation=(
        "Send such data only to your own components: setPackage(getPackageName()) or an "
        "explicit component, a signature-level receiver permission, or an in-process "
        "mechanism instead of a broadcast.",
        "只把此类数据发给自己的组件:使用 setPackage(getPackageName()) 或显式组件、签名级接收者"
        "权限,或用进程内机制代替广播。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    cwe=[927, 200],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M6", "M8"],
    gbt_34975=[GBT_COMPONENT],
)
def implicit_broadcast_sensitive(ctx: CheckContext) -> Iterator[Finding]:
    for name in BROADCASTS:
        for site in ctx.facts.calls.of(CONTEXT, name):
            args = site_args(site)
            flow = site_flow(site)
            if args is None or flow is None or len(args) < 2:
                continue
            # sendBroadcast(intent, receiverPermission) with a permission: protected.
            if name != "sendBroadcastAsUser" and len(args) > 2 and not is_null(args[2]):
                continue
            shape = intent_shape(flow, args[1], ctx.facts.values)
            if shape is None or shape.explicit:
                continue
            why = why_zh = None
            for extra in shape.extras:
                if extra.key is not None and name_is_sensitive(extra.key):
                    why, why_zh = f'extra "{extra.key}"', f'附加数据 "{extra.key}"'
                    break
                s = sensitive_source(extra.values)
                if s is not None and s.strong:
                    why = f"{s.what} in extra {extra.key!r}"
                    why_zh = f"附加数据 {extra.key!r} 中的 {s.zh}"
                    break
            if why is None:
                continue
            action = shape.action or "?"
            yield ctx.code_finding(
                site,
                key=name,
                message=Text(
                    f'{name}: implicit Intent("{action}") carries {why}',
                    f'{name}:隐式 Intent("{action}") 携带 {why_zh}',
                ),
            )


SERVICE_STARTS = ("startService", "bindService", "startForegroundService")


@check(
    "android.icc.implicit-service-intent",
    title=("Service started with an implicit Intent", "使用隐式 Intent 启动服务"),
    description=(
        "startService / bindService receives an Intent with only an action. Another app "
        "can declare a service with the same action and receive the call (and its extras); "
        "since Android 5.0 bindService with an implicit Intent throws.",
        "startService / bindService 收到的 Intent 只有 action。其他应用可以声明具有相同 action "
        "的服务来接收调用(及其附加数据);Android 5.0 起对隐式 Intent 调用 bindService 会抛出异常。",
    ),
    remediation=(
        "Start services with an explicit Intent: new Intent(context, MyService.class) or "
        "setPackage with the expected package.",
        "使用显式 Intent 启动服务:new Intent(context, MyService.class) 或用 setPackage 指定预期的包名。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[927],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M8"],
    gbt_34975=[GBT_COMPONENT],
)
def implicit_service_intent(ctx: CheckContext) -> Iterator[Finding]:
    for name in SERVICE_STARTS:
        for site in ctx.facts.calls.of(CONTEXT, name):
            args = site_args(site)
            flow = site_flow(site)
            if args is None or flow is None or len(args) < 2:
                continue
            shape = intent_shape(flow, args[1], ctx.facts.values)
            if shape is None or shape.explicit or shape.action is None:
                continue
            yield ctx.code_finding(
                site,
                key=name,
                message=Text(
                    f'{name} with implicit Intent("{shape.action}")',
                    f'{name} 使用隐式 Intent("{shape.action}")',
                ),
            )


# Where an Intent object from outside is started or handed back: API -> intent position.
LAUNCHERS = {
    "startActivity": 1,
    "startActivityForResult": 1,
    "startActivities": 1,
    "startService": 1,
    "startForegroundService": 1,
    "bindService": 1,
    "sendBroadcast": 1,
    "sendOrderedBroadcast": 1,
    "setResult": 2,
}
EMBEDDED_SOURCES = {
    ("Landroid/content/Intent;", "getParcelableExtra"),
    ("Landroid/os/Bundle;", "getParcelable"),
    ("Landroid/content/Intent;", "getParcelableArrayExtra"),
}


@check(
    "android.icc.intent-redirection",
    title=(
        "Intent from an extra is started (intent redirection)",
        "启动来自附加数据的 Intent(Intent 重定向)",
    ),
    description=(
        "An Intent taken from another Intent's extras (getParcelableExtra) is passed to "
        "startActivity / startService / sendBroadcast / setResult. A caller that controls "
        "the outer Intent makes this app start any component of its own, including "
        "non-exported ones, or grant access to its content providers. An exported activity "
        "that returns the Intent it was started with (setResult(…, getIntent())) in an app "
        "whose providers allow URI grants hands the caller its own data URI and grant flags "
        "back as this app's result: a grant to those providers.",
        "从另一个 Intent 的附加数据(getParcelableExtra)中取出的 Intent 被传给 startActivity / "
        "startService / sendBroadcast / setResult。能控制外层 Intent 的调用方可借此让本应用启动其"
        "任意组件(包括未导出的组件),或授予对其内容提供者的访问权限。导出的 Activity 若把启动它的 "
        "Intent 原样返回(setResult(…, getIntent())),且应用的内容提供者允许 URI 授权,调用方放入"
        "的数据 URI 和授权标志就会作为本应用的结果返回:等于授予其访问这些内容提供者的权限。",
    ),
    remediation=(
        "Do not start Intents received from other apps. If needed, check the target "
        "(resolveActivity, allow-list of components), strip URI permission flags, or use a "
        "PendingIntent created by the trusted party.",
        "不要启动从其他应用收到的 Intent。确有需要时校验目标(resolveActivity、组件白名单)、"
        "清除 URI 授权标志,或改用可信方创建的 PendingIntent。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    cwe=[940, 926],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M4", "M8"],
    gbt_34975=[GBT_COMPONENT],
)
def intent_redirection(ctx: CheckContext) -> Iterator[Finding]:
    for name, pos in LAUNCHERS.items():
        for site in ctx.facts.calls.of(CONTEXT, name):
            args = site_args(site)
            if args is None or len(args) <= pos:
                continue
            if any(
                v.kind == "result" and (v.data.class_desc, v.data.name) in EMBEDDED_SOURCES  # type: ignore[union-attr]
                for v in args[pos]
            ):
                yield ctx.code_finding(
                    site,
                    key=name,
                    message=Text(
                        f"{name} with an Intent read from getParcelableExtra",
                        f"{name} 使用了通过 getParcelableExtra 读取的 Intent",
                    ),
                )
            elif name == "setResult":
                echo = _echoed_intent_grant(ctx, site.caller.class_desc, args[pos])
                if echo is not None:
                    yield ctx.code_finding(site, key="setResult:getIntent", message=echo)


def _echoed_intent_grant(ctx: CheckContext, class_desc: str, values: frozenset) -> Text | None:
    """setResult(…, getIntent()) in an exported activity of an app whose providers allow URI
    grants: the caller's data URI and FLAG_GRANT_*_URI_PERMISSION come back as this app's
    result (InsecureShop's ResultActivity). Without a granting provider it grants nothing."""
    if not any(
        v.kind == "result" and v.data.name == "getIntent"  # type: ignore[union-attr]
        for v in values
    ):
        return None
    component = exported_component(ctx, class_desc)
    m = ctx.manifest
    if component is None or component.kind != "activity" or m is None:
        return None
    granting = [
        a
        for c in m.components_of("provider")
        if c.enabled and (c.grant_uri_permissions or c.grant_uri_permission_paths)
        for a in c.authorities
    ]
    if not granting:
        return None
    shown = ", ".join(sorted(granting)[:3]) + (" …" if len(granting) > 3 else "")
    return Text(
        f"setResult returns the Intent exported activity {component.name} was started with: "
        f"the caller's data URI and grant flags come back as a grant to {shown}",
        f"setResult 原样返回导出 Activity {component.name} 的启动 Intent:调用方放入的数据 URI "
        f"和授权标志会成为对 {shown} 的访问授权",
    )
