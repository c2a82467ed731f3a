"""Intent filters that open the app to other apps, web pages, the dialer or the network.

Deep links: a custom scheme can be registered by any app, and an http(s) link without
``android:autoVerify`` is not verified against the web site, so another app can claim it
too; either way the data arriving is attacker-chosen. High-priority receivers see ordered
broadcasts first. ``SECRET_CODE`` receivers run when ``*#*#code#*#*`` is dialled, and
``DATA_SMS_RECEIVED`` receivers take binary SMS from anyone who knows the number.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.manifest._common import GBT_COMMUNICATION, GBT_COMPONENTS, protection
from mobsec.checks.registry import check
from mobsec.facts.manifest import Component, IntentFilter, Manifest
from mobsec.report.model import Confidence, Finding, Severity, Text

# Ordered broadcasts go to higher priorities first; 1000 is SYSTEM_HIGH_PRIORITY - 1 and
# what SMS interceptors use. Ordinary receivers leave the priority at 0.
HIGH_PRIORITY = 100
SECRET_CODE = "android.provider.Telephony.SECRET_CODE"
DATA_SMS = "android.intent.action.DATA_SMS_RECEIVED"
WEB_SCHEMES = ("http", "https")
# Schemes of documents and system handlers, not the app's own link namespace.
_NOT_LINKS = ("file", "content", "data", "tel", "mailto", "sms", "smsto", "geo", "market")


def _filters(m: Manifest, kinds: tuple[str, ...]) -> Iterator[tuple[Component, IntentFilter]]:
    if not m.application.enabled:
        return
    for c in m.components:
        if c.kind in kinds and c.enabled and c.exported:
            for f in c.intent_filters:
                yield c, f


def _schemes(f: IntentFilter) -> list[str]:
    """Schemes of a filter; Android merges every <data> of one filter."""
    return list(dict.fromkeys(d.scheme for d in f.data if d.scheme))


def _browsable(m: Manifest) -> Iterator[tuple[Component, IntentFilter]]:
    for c, f in _filters(m, ("activity", "activity-alias")):
        if f.is_browsable_view():
            yield c, f


def _view(m: Manifest) -> Iterator[tuple[Component, IntentFilter]]:
    """Filters for VIEW, browsable or not (apps can send non-browsable ones)."""
    for c, f in _filters(m, ("activity", "activity-alias")):
        if "android.intent.action.VIEW" in f.actions:
            yield c, f


def _enabled_receiver_filters(m: Manifest) -> Iterator[tuple[Component, IntentFilter]]:
    """(receiver, intent filter) for every enabled receiver: what a broadcast can reach."""
    for c in m.components_of("receiver"):
        if c.enabled:
            for f in c.intent_filters:
                yield c, f


@check(
    "android.manifest.deeplink-custom-scheme",
    title=("Deep link with a custom URL scheme", "使用自定义 URL scheme 的深度链接"),
    description=(
        "The activity opens from links with a custom scheme (myapp://...). Any web page can "
        "send such a link with parameters of its choosing, and any other app can register "
        "the same scheme and receive links meant for this one (tokens in OAuth redirects, "
        "for instance).",
        "该 Activity 可由自定义 scheme(myapp://...)的链接打开。任何网页都可以携带任意参数发送此类"
        "链接,其他应用也可注册相同的 scheme,从而收到本应发给本应用的链接(例如 OAuth 重定向中的"
        "令牌)。",
    ),
    remediation=(
        "Prefer verified https App Links; treat every parameter of a deep link as untrusted "
        "input, and do not carry secrets in custom-scheme links.",
        "优先使用经过验证的 https App Links;将深度链接的每个参数视为不可信输入,不要在自定义 "
        "scheme 链接中传递机密信息。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    cwe=[939],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M4", "M8"],
    gbt_34975=[GBT_COMPONENTS],
)
def deeplink_custom_scheme(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None:
        return
    for c, f in _view(m):
        hosts = sorted({d.host for d in f.data if d.host})
        where = f" (hosts {', '.join(hosts[:5])})" if hosts else ""
        where_zh = f"(主机 {', '.join(hosts[:5])})" if hosts else ""
        browsable = f.is_browsable_view()
        # Without BROWSABLE no web page can send the link, only other apps (which can
        # start the exported activity anyway): reported for the record, at INFO.
        how = (
            ("", "")
            if browsable
            else (
                "; the filter is not BROWSABLE, so only apps (not web pages) can send it",
                ";该过滤器不含 BROWSABLE,只有应用(而非网页)能发送此类链接",
            )
        )
        for scheme in _schemes(f):
            if scheme.lower() in WEB_SCHEMES or scheme.lower() in _NOT_LINKS:
                continue
            yield ctx.manifest_finding(
                line=f.line,
                subject=c.name,
                key=f"scheme:{scheme}",
                owner_class=c.name,
                severity=None if browsable else Severity.INFO,
                confidence=None if browsable else Confidence.MEDIUM,
                message=Text(
                    f"{c.name} opens links with the custom scheme {scheme}:{where}{how[0]}",
                    f"{c.name} 可由自定义 scheme {scheme}: 的链接打开{where_zh}{how[1]}",
                ),
            )


@check(
    "android.manifest.applink-unverified",
    title=("http(s) deep link without autoVerify", "http(s) 深度链接未设置 autoVerify"),
    description=(
        'An http(s) deep link whose intent filter lacks android:autoVerify="true" is not '
        "verified against the web site: other apps can claim the same URLs, the user gets a "
        "chooser, and links carrying sessions or reset tokens can end up in another app.",
        'intent-filter 未设置 android:autoVerify="true" 的 http(s) 深度链接不会与网站进行验证:'
        "其他应用可声明相同的 URL,用户会看到选择框,携带会话或重置令牌的链接可能被其他应用接收。",
    ),
    remediation=(
        'Add android:autoVerify="true" to the filter and publish /.well-known/assetlinks.json '
        "on each host.",
        '为该 intent-filter 添加 android:autoVerify="true",并在每个主机上发布 '
        "/.well-known/assetlinks.json。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    cwe=[939],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M8"],
    gbt_34975=[GBT_COMPONENTS],
)
def applink_unverified(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None:
        return
    for c, f in _browsable(m):
        if f.auto_verify:
            continue
        if not any(s.lower() in WEB_SCHEMES for s in _schemes(f)):
            continue
        hosts = sorted({d.host for d in f.data if d.host}) or ["*"]
        yield ctx.manifest_finding(
            line=f.line,
            subject=c.name,
            key="hosts:" + ",".join(hosts[:20]),
            owner_class=c.name,
            message=Text(
                f"{c.name} handles http(s) links to {', '.join(hosts[:5])} without autoVerify",
                f"{c.name} 处理指向 {', '.join(hosts[:5])} 的 http(s) 链接但未设置 autoVerify",
            ),
        )


@check(
    "android.manifest.high-intent-priority",
    title=("Broadcast receiver with a high priority", "广播接收器优先级过高"),
    description=(
        f"A receiver's intent filter has android:priority >= {HIGH_PRIORITY}: it receives "
        "ordered broadcasts (incoming SMS on older Android, for instance) before other "
        "apps and can read, change or abort them. Malware uses this to intercept messages; "
        "legitimate apps rarely need it.",
        f"广播接收器的 intent-filter 设置了 android:priority >= {HIGH_PRIORITY}:它会先于其他应用"
        "收到有序广播(例如旧版 Android 上的短信),并可读取、修改或中止这些广播。恶意软件借此拦截"
        "消息,正常应用很少需要。",
    ),
    remediation=(
        "Remove android:priority unless the app must handle the broadcast before others, "
        "and never consume broadcasts meant for other apps.",
        "除非必须先于其他应用处理该广播,否则删除 android:priority,且不要拦截发给其他应用的广播。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    cwe=[927],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M8"],
    gbt_34975=[GBT_COMPONENTS],
)
def high_intent_priority(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None:
        return
    # Priority only orders ordered broadcasts for ordinary apps (activities' and services'
    # priorities are clamped for non-system apps), so receivers are what matters; they
    # need not be exported to receive the platform's own ordered broadcasts.
    for c, f in _enabled_receiver_filters(m):
        if f.priority < HIGH_PRIORITY:
            continue
        actions = ", ".join(f.actions[:3]) or "no action"
        yield ctx.manifest_finding(
            line=f.line,
            subject=c.name,
            key=",".join(f.actions[:10]),
            owner_class=c.name,
            message=Text(
                f"receiver {c.name} has priority {f.priority} for {actions}",
                f"广播接收器 {c.name} 对 {actions} 的优先级为 {f.priority}",
            ),
        )


@check(
    "android.manifest.secret-code",
    title=("Secret dialer code receiver", "拨号暗码广播接收器"),
    description=(
        "A receiver for android.provider.Telephony.SECRET_CODE runs when the code "
        "*#*#<code>#*#* is typed in the dialer: hidden functions (debug menus, test modes, "
        "factory resets) reachable by anyone holding the phone, and by other apps that send "
        "the broadcast on older Android versions.",
        "监听 android.provider.Telephony.SECRET_CODE 的接收器会在拨号盘输入 *#*#<暗码>#*#* 时运行:"
        "隐藏功能(调试菜单、测试模式、恢复出厂设置)可被任何拿到手机的人触发,在旧版 Android 上"
        "其他应用也可发送该广播触发。",
    ),
    remediation=(
        "Remove secret-code entry points from release builds, or require authentication "
        "inside the function they open.",
        "从正式版中删除暗码入口,或在其打开的功能内部要求身份验证。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[912],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M8"],
    gbt_34975=[GBT_COMPONENTS],
)
def secret_code(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None:
        return
    for c, f in _enabled_receiver_filters(m):
        if SECRET_CODE not in f.actions:
            continue
        codes = sorted({d.host for d in f.data if d.host})
        shown = ", ".join(f"*#*#{code}#*#*" for code in codes[:5]) or "any code"
        yield ctx.manifest_finding(
            line=f.line,
            subject=c.name,
            key=",".join(codes[:20]),
            owner_class=c.name,
            message=Text(
                f"receiver {c.name} runs on the dialer code {shown}",
                f"广播接收器 {c.name} 会在拨号暗码 {shown} 时运行",
            ),
        )


@check(
    "android.manifest.data-sms-receiver",
    title=("Receiver for binary SMS on a port", "接收指定端口的二进制短信"),
    description=(
        "A receiver for android.intent.action.DATA_SMS_RECEIVED takes binary (port-addressed) "
        "SMS: anyone who knows the phone number can send data to it over the mobile "
        "network, without any app on the device. Its contents are attacker-controlled.",
        "监听 android.intent.action.DATA_SMS_RECEIVED 的接收器接收发往端口的二进制短信:任何知道"
        "手机号的人都可以通过移动网络向其发送数据,无需在设备上安装应用。其内容完全由攻击者控制。",
    ),
    remediation=(
        "Authenticate every data SMS (a signature or MAC with a key the sender cannot "
        "guess) before acting on it, or use an authenticated push channel instead.",
        "在处理每条数据短信前先进行认证(使用发送者无法猜测的密钥做签名或 MAC),或改用经过认证的"
        "推送通道。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[940],
    masvs=["MASVS-PLATFORM-1", "MASVS-NETWORK-1"],
    owasp=["M4", "M5"],
    gbt_34975=[GBT_COMPONENTS, GBT_COMMUNICATION],
)
def data_sms_receiver(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None:
        return
    for c, f in _enabled_receiver_filters(m):
        if DATA_SMS not in f.actions:
            continue
        ports = sorted({d.port for d in f.data if d.port})
        where = f"port {', '.join(ports[:5])}" if ports else "any port"
        guarded = protection(m, c.permission)
        # BROADCAST_SMS (signature) only stops other apps from faking it; the network
        # sender is still anyone, so the finding stands either way.
        yield ctx.manifest_finding(
            line=f.line,
            subject=c.name,
            key=",".join(ports[:20]),
            owner_class=c.name,
            message=Text(
                f"receiver {c.name} takes data SMS on {where}"
                + ("" if guarded.protects else "; other apps can also send it the broadcast"),
                f"广播接收器 {c.name} 接收{('端口 ' + ', '.join(ports[:5])) if ports else '任意端口'}"
                f"的数据短信" + ("" if guarded.protects else ";其他应用也可向其发送该广播"),
            ),
        )
