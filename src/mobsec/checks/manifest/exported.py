"""Components other apps can start, bind, send to or query without a protecting permission.

Android exports a component when ``android:exported`` says so or, below targetSdk 31, when
it has an intent filter (providers: below targetSdk 17). Only a signature-level permission
keeps other apps out: a ``normal`` permission is granted to any app that asks, a
``dangerous`` one to any app the user says yes to, and a permission nobody defines is
defined by whichever app is installed first. The launcher activity is meant to be started
by anyone and is not reported; disabled components are skipped (the app would have to
enable them itself). Components of SDKs are reported, attributed to their SDK.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.icc.broadcasts import unprotected_registrations
from mobsec.checks.manifest._common import (
    COMPONENT_KIND_TEXT,
    GBT_COMPONENTS,
    Protection,
    exported_how,
    is_launcher,
    protection,
)
from mobsec.checks.manifest._guards import caller_guard
from mobsec.checks.manifest._intent_guard import intent_guard
from mobsec.checks.manifest._receiver_input import reads_intent_data
from mobsec.checks.registry import check
from mobsec.facts.effects.component import ComponentEffects, component_effects
from mobsec.facts.manifest import Component, Manifest
from mobsec.report.model import Confidence, Finding, Severity, Text

_CWE = [926]
_MASVS = ["MASVS-PLATFORM-1"]
_OWASP = ["M8", "M3"]


def _exposed(m: Manifest, kinds: tuple[str, ...]) -> Iterator[Component]:
    if not m.application.enabled:
        return
    for c in m.components:
        if c.kind in kinds and c.exported and c.enabled:
            yield c


def _finding(
    ctx: CheckContext,
    m: Manifest,
    c: Component,
    prot: Protection,
    severity: Severity,
    extra: tuple[str, str] = ("", ""),
    key: str = "",
) -> Finding:
    """One finding for a component that ``prot`` does not protect, scaled by its strength."""
    kind_en, kind_zh = COMPONENT_KIND_TEXT[c.kind]
    how_en, how_zh = exported_how(c, m.target_sdk)
    prot_en, prot_zh = prot.describe()
    confidence = ctx.meta.confidence
    lowered = Severity.INFO if severity is Severity.INFO else Severity.LOW  # never raised
    if prot.strength == "dangerous":
        # Any app may request it, but the user has to agree.
        severity = lowered
    elif prot.strength == "unknown":
        confidence = Confidence.LOW
    guard = caller_guard(ctx.facts, c.name)
    if guard is not None:  # the entry method checks the caller: guarded, look there first
        severity, confidence = lowered, Confidence.LOW
        extra = (
            f"{extra[0]}; guarded in code: its entry method calls {guard}",
            f"{extra[1]};代码中有调用方校验:入口方法调用了 {guard}",
        )
    effects = component_effects(ctx.facts, c.name)
    checked = None if guard is not None else intent_guard(ctx.facts, c.name)
    if checked is not None and effects.only_from(checked[0]):
        # refuses intents it does not expect before every effect: a weak guard, named
        severity, confidence = lowered, Confidence.LOW
        extra = (
            f"{extra[0]}; guarded in code: its entry method validates the intent "
            f"({checked[1]}) and returns before acting otherwise",
            f"{extra[1]};代码中有 Intent 校验:入口方法先校验 Intent({checked[1]}),不符合时直接返回",
        )
    opened = _registered_here(ctx, effects) if effects.harmless else []
    if opened:
        # One weakness, one place: what another app can drive is the receiver this
        # component registers, reported where it is registered.
        severity = Severity.INFO
        where = ", ".join(opened)
        extra = (
            f"{extra[0]}; exported, but its own code reaches no sensitive effect: what another "
            f"app can drive through it is the receiver it registers at run time, reported at "
            f"its own place (android.icc.dynamic-receiver-exported in {where})",
            f"{extra[1]};虽已导出,但其自身代码未发现敏感操作:其他应用能借此操纵的是它在运行时注册的"
            f"接收器,已在注册处单独报告(android.icc.dynamic-receiver-exported,位于 {where})",
        )
    elif effects.harmless:
        # Exposure with nothing behind it: another app can start it, but its code reaches no
        # permission-guarded API, write, command, code load or data it hands back.
        severity = Severity.INFO
        extra = (
            f"{extra[0]}; exported, but no sensitive effect found in its code",
            f"{extra[1]};虽已导出,但其代码中未发现敏感操作",
        )
    else:
        more = effects.summary()
        extra = (extra[0] + more[0], extra[1] + more[1])
    finding = ctx.manifest_finding(
        line=c.line,
        subject=c.name,
        key=key,
        owner_class=c.name,
        severity=severity,
        confidence=confidence,
        message=Text(
            f"{kind_en} {c.name} is {how_en} and protected by {prot_en}{extra[0]}",
            f"{kind_zh} {c.name} {how_zh},保护方式:{prot_zh}{extra[1]}",
        ),
    )
    shown = effects.evidence()
    if shown and not ctx.full:
        finding.evidence = f"{finding.evidence}\n{shown}" if finding.evidence else shown
    return finding


def _registered_here(ctx: CheckContext, effects: ComponentEffects) -> list[str]:
    """``Class.method`` of the unprotected registerReceiver calls the component's code
    reaches, when what the component leads to lies only behind receivers it registers."""
    if not effects.through_receivers:
        return []
    out = []
    for site, _actions in unprotected_registrations(ctx):
        if (id(site.dex), site.caller_idx) in effects.reached:
            ref = site.dex.method_ref(site.caller_idx)
            out.append(f"{ref.class_desc[1:-1].rsplit('/', 1)[-1]}.{ref.name}")
    return list(dict.fromkeys(out))


def _component_check(ctx: CheckContext, kinds: tuple[str, ...]) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None:
        return
    for c in _exposed(m, kinds):
        if c.kind in ("activity", "activity-alias") and is_launcher(m, c):
            continue
        prot = protection(m, c.permission)
        if prot.protects:
            continue
        severity = ctx.meta.severity
        extra = ("", "")
        if c.kind == "receiver" and _platform_actions_only(c):
            severity = Severity.LOW
            extra = (
                "; its filters name only platform broadcasts, but any app can still send "
                "it an explicit intent",
                ";其 intent-filter 仅包含系统广播,但任何应用仍可向其发送显式 Intent",
            )
            if not reads_intent_data(ctx.facts, c.name):
                # A forged intent carries nothing onReceive reads: it can only make the
                # receiver do what the system event does (a policy note).
                severity = Severity.INFO
                extra = (
                    "; its filters name only platform broadcasts and onReceive reads nothing "
                    "from the intent but its action: another app can only trigger what the "
                    "system event does",
                    ";其 intent-filter 仅包含系统广播,且 onReceive 除 action 外不读取 Intent "
                    "中的任何数据:其他应用只能触发与系统事件相同的行为",
                )
        yield _finding(ctx, m, c, prot, severity, extra)


def _platform_actions_only(c: Component) -> bool:
    actions = [a for f in c.intent_filters for a in f.actions]
    return bool(actions) and all(a.startswith("android.") for a in actions)


_REMEDIATION = (
    'Set android:exported="false" unless other apps must use the component; if they must, '
    'protect it with a permission of android:protectionLevel="signature" and validate '
    "everything it receives.",
    '除非必须供其他应用使用,否则设置 android:exported="false";确需导出时,用 '
    'android:protectionLevel="signature" 的权限保护,并校验接收到的全部数据。',
)


@check(
    "android.manifest.exported-activity",
    title=("Exported activity without permission", "导出的 Activity 未受权限保护"),
    description=(
        "Any app on the device can start this activity with extras of its choosing: screens "
        "meant to follow a login can be opened directly, and data in the intent reaches the "
        "activity's code unchecked.",
        "设备上任何应用都可携带任意参数启动该 Activity:本应在登录后才能访问的界面可被直接打开,"
        "Intent 中的数据未经检查就进入 Activity 的代码。",
    ),
    remediation=_REMEDIATION,
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=_CWE,
    masvs=_MASVS,
    owasp=_OWASP,
    gbt_34975=[GBT_COMPONENTS],
)
def exported_activity(ctx: CheckContext) -> Iterator[Finding]:
    yield from _component_check(ctx, ("activity", "activity-alias"))


@check(
    "android.manifest.exported-service",
    title=("Exported service without permission", "导出的 Service 未受权限保护"),
    description=(
        "Any app on the device can start or bind this service and call what it offers, "
        "with the app's own permissions and data behind it.",
        "设备上任何应用都可启动或绑定该 Service 并调用其提供的功能,而这些功能背后是本应用的权限"
        "和数据。",
    ),
    remediation=_REMEDIATION,
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=_CWE,
    masvs=_MASVS,
    owasp=_OWASP,
    gbt_34975=[GBT_COMPONENTS],
)
def exported_service(ctx: CheckContext) -> Iterator[Finding]:
    yield from _component_check(ctx, ("service",))


@check(
    "android.manifest.exported-receiver",
    title=("Exported broadcast receiver without permission", "导出的广播接收器未受权限保护"),
    description=(
        "Any app on the device can send this receiver a broadcast, explicit or matching its "
        "filters, with data of its choosing; receivers that act on it (send SMS, change "
        "settings, store data) can be driven by other apps.",
        "设备上任何应用都可向该接收器发送显式或匹配其过滤器的广播并携带任意数据;据此执行操作"
        "(发送短信、修改设置、保存数据)的接收器可被其他应用操纵。",
    ),
    remediation=_REMEDIATION,
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[926, 925],
    masvs=_MASVS,
    owasp=_OWASP,
    gbt_34975=[GBT_COMPONENTS],
)
def exported_receiver(ctx: CheckContext) -> Iterator[Finding]:
    yield from _component_check(ctx, ("receiver",))


@check(
    "android.manifest.exported-provider",
    title=("Exported content provider without permission", "导出的内容提供器未受权限保护"),
    description=(
        "Any app on the device can query, insert, update, delete or open files through this "
        "content provider: whatever data it serves is readable, and writable where it "
        "allows writes.",
        "设备上任何应用都可通过该内容提供器查询、插入、更新、删除数据或打开文件:其提供的数据均可"
        "被读取,支持写入时也可被修改。",
    ),
    remediation=(
        'Set android:exported="false" unless other apps need the data; otherwise protect '
        "reads and writes with android:readPermission/android:writePermission of "
        'protectionLevel="signature".',
        '除非其他应用需要这些数据,否则设置 android:exported="false";否则用保护级别为 signature '
        "的 android:readPermission/android:writePermission 保护读写。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    cwe=[926, 200],
    masvs=["MASVS-PLATFORM-1", "MASVS-STORAGE-2"],
    owasp=_OWASP,
    gbt_34975=[GBT_COMPONENTS],
)
def exported_provider(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None:
        return
    for c in _exposed(m, ("provider",)):
        if c.path_permissions and not c.read_permission and not c.write_permission:
            continue  # android.manifest.provider-path-permission-only reports it
        read = protection(m, c.read_permission)
        write = protection(m, c.write_permission)
        if read.protects and write.protects:
            continue
        if not read.protects and not write.protects:
            weakest = read if _rank(read) <= _rank(write) else write
            yield _finding(ctx, m, c, weakest, Severity.HIGH, key="read-write")
            continue
        open_side, side_en, side_zh = (
            (read, "reads", "读")
            if not read.protects
            else (
                write,
                "writes",
                "写",
            )
        )
        yield _finding(
            ctx,
            m,
            c,
            open_side,
            Severity.MEDIUM,
            extra=(f" for {side_en}", f"(仅{side_zh}操作)"),
            key=side_en,
        )


def _rank(p: Protection) -> int:
    return {"none": 0, "normal": 1, "unknown": 2, "dangerous": 3, "signature": 4}[p.strength]
