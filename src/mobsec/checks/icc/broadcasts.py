"""Broadcast APIs whose receivers or data are open to every app."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.checks.storage._common import (
    BROADCAST_RECEIVER,
    CONTEXT,
    callee_of,
    int_constants,
    is_null,
    param_types,
    site_args,
    site_flow,
)
from mobsec.checks.storage._meta import GBT_COMPONENT
from mobsec.facts.dataflow import MethodFlow, Value, method_flow
from mobsec.facts.values import ValueAnalysis
from mobsec.ingest.dex import CodeSite
from mobsec.report.model import Confidence, Finding, Severity, Text

STICKY = ("sendStickyBroadcast", "sendStickyBroadcastAsUser", "sendStickyOrderedBroadcast",
          "sendStickyOrderedBroadcastAsUser")  # fmt: skip


@check(
    "android.icc.sticky-broadcast",
    title=("Sticky broadcast sent", "发送粘性广播"),
    description=(
        "Sticky broadcasts (deprecated since API 21) stay in the system after delivery: "
        "any app can read the last one with registerReceiver(null, filter) and any app "
        "holding BROADCAST_STICKY can replace or remove it. They cannot be protected by a "
        "permission.",
        "粘性广播(API 21 起已弃用)投递后仍保留在系统中:任何应用都能用 registerReceiver(null, "
        "filter) 读取最近一次广播,持有 BROADCAST_STICKY 的应用可以替换或移除它,且无法用权限保护。",
    ),
    remediation=(
        "Use a regular broadcast to your own package, or keep the state elsewhere (a "
        "ContentProvider, LiveData/Flow in-process).",
        "改为发给自身包的普通广播,或把状态保存在其他地方(ContentProvider、进程内的 LiveData/Flow)。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[927],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M8"],
    gbt_34975=[GBT_COMPONENT],
)
def sticky_broadcast(ctx: CheckContext) -> Iterator[Finding]:
    for name in STICKY:
        for site in ctx.facts.calls.of(CONTEXT, name):
            yield ctx.code_finding(site, key=name, message=Text(name, name))


RESULT_READS = ("getResultData", "getResultExtras")


@check(
    "android.icc.ordered-broadcast-result",
    title=(
        "Receiver trusts data set by an earlier ordered-broadcast receiver",
        "接收器信任有序广播中前序接收器设置的数据",
    ),
    description=(
        "getResultData / getResultExtras return what a receiver earlier in an ordered "
        "broadcast left behind. A higher-priority receiver of another app can set or change "
        "it. Heuristic: the read is reported wherever it is, validate what is done with it.",
        "getResultData / getResultExtras 返回有序广播中前一个接收器留下的数据,其他应用的高优先级"
        "接收器可以设置或篡改它。启发式:报告所有读取位置,需人工确认对数据的使用是否经过校验。",
    ),
    remediation=(
        "Treat result data as untrusted input: validate it, or use explicit broadcasts to "
        "your own receivers with a signature permission.",
        "把结果数据视为不可信输入并进行校验,或改用发给自身接收器、受签名权限保护的显式广播。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.LOW,
    cwe=[925, 345],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M4"],
    gbt_34975=[GBT_COMPONENT],
)
def ordered_broadcast_result(ctx: CheckContext) -> Iterator[Finding]:
    for name in RESULT_READS:
        for site in ctx.facts.calls.of(BROADCAST_RECEIVER, name):
            yield ctx.code_finding(site, key=name, message=Text(name, name))


RECEIVER_NOT_EXPORTED = 0x4
CONTEXT_COMPAT = "Landroidx/core/content/ContextCompat;"
INTENT_FILTER = "Landroid/content/IntentFilter;"
# Broadcasts only the system can send: a receiver for nothing else needs no protection.
SYSTEM_ACTION_PREFIXES = (
    "android.intent.action.", "android.net.", "android.bluetooth.", "android.hardware.",
    "android.media.", "android.location.", "android.os.", "android.provider.Telephony.",
    "android.app.action.", "android.nfc.", "android.telephony.", "android.accounts.",
)  # fmt: skip


@check(
    "android.icc.dynamic-receiver-exported",
    title=("Receiver registered at run time without protection", "运行时注册的接收器未受保护"),
    description=(
        "registerReceiver is called without a broadcast permission and without "
        "RECEIVER_NOT_EXPORTED, for actions other apps can send. Any app can then send this "
        "receiver Intents with arbitrary extras. (From targetSdk 34 the flag is mandatory "
        "for such receivers.)",
        "调用 registerReceiver 时既未指定广播权限也未设置 RECEIVER_NOT_EXPORTED,且监听的 action "
        "可由其他应用发送。任何应用都能向该接收器发送带任意附加数据的 Intent。(targetSdk 34 起此类"
        "接收器必须设置该标志。)",
    ),
    remediation=(
        "Pass RECEIVER_NOT_EXPORTED (ContextCompat.registerReceiver on older versions) or a "
        "signature-level broadcastPermission; use LocalBroadcastManager-like in-process "
        "mechanisms for internal events.",
        "传入 RECEIVER_NOT_EXPORTED(旧版本使用 ContextCompat.registerReceiver)或签名级 "
        "broadcastPermission;内部事件使用进程内机制。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[925, 926],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M8"],
    gbt_34975=[GBT_COMPONENT],
)
def dynamic_receiver_exported(ctx: CheckContext) -> Iterator[Finding]:
    for site, actions in unprotected_registrations(ctx):
        shown = ", ".join(sorted(actions)) if actions else "actions not known"
        shown_zh = ", ".join(sorted(actions)) if actions else "action 未知"
        yield ctx.code_finding(
            site,
            key="registerReceiver",
            message=Text(
                f"registerReceiver without permission or RECEIVER_NOT_EXPORTED ({shown})",
                f"registerReceiver 未指定权限或 RECEIVER_NOT_EXPORTED({shown_zh})",
            ),
        )


def unprotected_registrations(ctx: CheckContext) -> list[tuple[CodeSite, set[str] | None]]:
    """The registerReceiver calls other apps can send to, with their actions (None: not
    known); also asked by the exported-component checks (the receiver an exported
    component registers is reported here, at its own place)."""
    return ctx.facts.memo(("icc", "unprotected-registrations"), lambda: _unprotected(ctx))


def _unprotected(ctx: CheckContext) -> list[tuple[CodeSite, set[str] | None]]:
    out: list[tuple[CodeSite, set[str] | None]] = []
    sites = [(s, 2) for s in ctx.facts.calls.of(CONTEXT, "registerReceiver")]
    sites += [(s, 3) for s in ctx.code.call_sites(CONTEXT_COMPAT, "registerReceiver")]
    for site, skip in sites:  # skip: parameters up to the IntentFilter (plus the Context)
        args = site_args(site)
        callee = callee_of(site)
        flow = site_flow(site)
        if args is None or callee is None or flow is None or len(args) < 3:
            continue
        if is_null(args[1]):
            continue  # registerReceiver(null, filter): reads a sticky broadcast only
        extra_types = param_types(callee.proto)[skip:]
        extra = args[3:]
        protected = False
        if extra_types[:1] == ["Ljava/lang/String;"] and extra and not is_null(extra[0]):
            protected = True  # a broadcastPermission (its level is the manifest check's job)
        if extra_types and extra_types[-1] == "I" and len(extra) == len(extra_types):
            flags = int_constants(extra[-1])
            if flags is None or all(f & RECEIVER_NOT_EXPORTED for f in flags):
                protected = True
        if protected:
            continue
        va = ctx.facts.values
        actions = _filter_actions(va, flow, args[2])
        if actions is None:
            actions = _helper_filter_actions(ctx, args[2])
        if actions is None:
            actions = _field_filter_actions(va, flow, args[2])
        if (
            actions is not None
            and actions
            and all(a.startswith(SYSTEM_ACTION_PREFIXES) for a in actions)
        ):
            continue
        out.append((site, actions))
    return out


def _helper_filter_actions(ctx: CheckContext, values: frozenset[Value]) -> set[str] | None:
    """Actions of an IntentFilter an app method builds and returns (AppCompat's
    ``createIntentFilterForBroadcastReceiver()``, abstract there and defined by each night-mode
    manager subclass): the one filter each definition creates."""
    if len(values) != 1:
        return None
    (v,) = values
    if v.kind != "result" or v.data.proto.rsplit(")", 1)[-1] != INTENT_FILTER:
        return None
    defs = _definitions(ctx, v.data)
    if not defs:
        return None
    actions: set[str] = set()
    for dex, method in defs:
        flow = method_flow(dex, method)
        made = _filters_made(flow) if flow is not None else set()
        one = flow is not None and len(made) == 1
        got = _filter_actions(ctx.facts.values, flow, frozenset(made)) if one else None
        if not got:
            return None
        actions |= got
    return actions


MAX_OVERRIDES = 8


def _definitions(ctx: CheckContext, ref) -> list:
    """The code a call of ``ref`` may run: its own definition, or (abstract) the
    overrides in the app's subclasses; empty when unknown or too many."""
    out = []
    todo, seen = [ref.class_desc], set()
    while todo and len(seen) < 64:
        desc = todo.pop()
        if desc in seen:
            continue
        seen.add(desc)
        found = ctx.code.find_class(desc)
        if found is None:
            continue
        dex, cls = found
        m = next(
            (m for m in cls.methods if dex.method_ref(m.method_idx)[1:] == (ref.name, ref.proto)),
            None,
        )
        if m is not None and m.code_off:
            out.append((dex, m))
            continue
        todo.extend(ctx.code.subclasses(desc))
    return out if len(out) <= MAX_OVERRIDES else []


def _filters_made(flow: MethodFlow) -> set[Value]:
    """The IntentFilter objects a method creates and calls constructors/addAction on."""
    return {
        x for call in flow.invokes() if call.callee.class_desc == INTENT_FILTER
        for x in (flow.args_at(call.offset) or [frozenset()])[0]
        if x.kind == "new" and x.data == INTENT_FILTER
    }  # fmt: skip


def _field_filter_actions(
    va: ValueAnalysis, flow: MethodFlow, values: frozenset[Value]
) -> set[str] | None:
    """Actions of a filter kept in a field and filled in the same method (AppCompat's
    ``if (mFilter == null) { mFilter = new IntentFilter(); mFilter.addAction(..) }``)."""
    if len(values) != 1:
        return None
    (v,) = values
    if v.kind != "field" or v.data.type_desc != INTENT_FILTER:
        return None
    actions: set[str] = set()
    for call in flow.invokes():
        c = call.callee
        if c.class_desc != INTENT_FILTER or c.name not in ("<init>", "addAction"):
            continue
        args = flow.args_at(call.offset)
        if (
            not args
            or len(args) < 2
            or not any(
                (x.kind == "field" and x.data == v.data)
                or (x.kind == "new" and x.data == INTENT_FILTER)
                for x in args[0]
            )
        ):
            continue
        texts = _action_texts(va, flow, args[1])
        if texts is None:
            return None
        actions.update(texts)
    return actions or None


def _filter_actions(
    va: ValueAnalysis, flow: MethodFlow, values: frozenset[Value]
) -> set[str] | None:
    """Actions of an IntentFilter built in this method, None when not known."""
    if len(values) != 1:
        return None
    (f,) = values
    if f.kind != "new" or f.data != INTENT_FILTER:
        return None
    actions: set[str] = set()
    for call in flow.invokes():
        c = call.callee
        if c.class_desc != INTENT_FILTER or c.name not in ("<init>", "addAction"):
            continue
        args = flow.args_at(call.offset)
        if not args or f not in args[0] or len(args) < 2:
            continue
        if param_types(c.proto)[:1] != ["Ljava/lang/String;"]:
            return None
        texts = _action_texts(va, flow, args[1])
        if texts is None:
            return None
        actions.update(texts)
    return actions


def _action_texts(
    va: ValueAnalysis, flow: MethodFlow, values: frozenset[Value]
) -> list[str] | None:
    """The action strings reaching ``addAction``/``new IntentFilter(action)``, followed across
    methods (a field set in <clinit>, a getter, a caller's constant); None when any is not
    a known string."""
    reached = va.resolve(flow.dex, flow.method.method_idx, values)
    texts = [t for r in reached if (t := r.value.text()) is not None]
    return texts if reached and len(texts) == len(reached) else None
