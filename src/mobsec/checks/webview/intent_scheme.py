"""intent:// URLs turned into Intents and started as they are.

``Intent.parseUri`` builds a full Intent from a URL: component, package, extras, flags and
a selector are all the URL's to choose. Started without sanitising, a page (or whoever
supplied the URL) opens any activity of the app — exported or not — or of other apps with
its extras. Chrome's rules are the reference: ``addCategory(BROWSABLE)``,
``setComponent(null)`` and ``setSelector(null)`` before starting.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.facts.dataflow import CallInfo, MethodFlow, Value, string_constants
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._common import GBT_INPUT, GBT_WEBVIEW, can_be_int, flow_of

INTENT = "Landroid/content/Intent;"
BROWSABLE = "android.intent.category.BROWSABLE"
START_CALLS = frozenset(
    {
        "startActivity",
        "startActivityForResult",
        "startActivityIfNeeded",
        "startService",
        "startForegroundService",
        "sendBroadcast",
        "bindService",
    }
)


@check(
    "android.webview.intent-scheme-uri",
    title=("intent:// URL started without sanitising", "intent:// URL 未经净化即被启动"),
    description=(
        "An Intent built by Intent.parseUri from a URL is started without clearing its "
        "component and selector or restricting it to BROWSABLE activities. Whoever controls "
        "the URL (a web page navigating the WebView, a deep link) chooses the target "
        "component and its extras, and reaches the app's private activities.",
        "由 Intent.parseUri 从 URL 构造的 Intent 在未清除 component 与 selector、也未限制为 "
        "BROWSABLE 的情况下被启动。控制该 URL 的一方(使 WebView 跳转的网页、深度链接)即可指定目标"
        "组件及其 extra,访问应用的私有 Activity。",
    ),
    remediation=(
        "After parseUri call intent.addCategory(Intent.CATEGORY_BROWSABLE), "
        "intent.setComponent(null) and intent.setSelector(null) (as Chrome does), or only "
        "extract a fallback URL from the intent:// link instead of starting it.",
        "parseUri 之后调用 intent.addCategory(Intent.CATEGORY_BROWSABLE)、"
        "intent.setComponent(null) 与 intent.setSelector(null)(与 Chrome 的做法一致),或仅从 "
        "intent:// 链接中取出备用 URL,而不是启动它。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    cwe=[926, 940],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M4", "M8"],
    gbt_34975=[GBT_INPUT, GBT_WEBVIEW],
)
def intent_scheme_uri(ctx: CheckContext) -> Iterator[Finding]:
    for site in ctx.code.call_sites(INTENT, "parseUri"):
        flow = flow_of(site)
        if flow is None:
            continue
        parsed = _result(flow, site.offset)
        calls = flow.invokes()
        starts = [c for c in calls if c.callee.name in START_CALLS and _passes(flow, c, parsed)]
        if not starts:
            continue
        missing = _missing_sanitisers(flow, calls, parsed)
        if not missing:
            continue
        partial = len(missing) < 3
        for start in starts:
            yield ctx.method_finding(
                site.dex,
                site.caller_idx,
                start.offset,
                key=start.callee.name,
                severity=Severity.MEDIUM if partial else None,
                message=Text(
                    f"Intent.parseUri result reaches {start.callee.name} without "
                    f"{', '.join(missing)}",
                    f"Intent.parseUri 的结果未经 {', '.join(missing)} 即到达 {start.callee.name}",
                ),
            )


def _result(flow: MethodFlow, offset: int) -> Value | None:
    """The value data flow gives the result of the parseUri call at ``offset``."""
    for insn_offset, _pos in flow.result_users(offset):
        for values in flow.args_at(insn_offset):
            for v in values:
                if v.kind == "result" and v.offset == offset:
                    return v
    return None


def _passes(flow: MethodFlow, call: CallInfo, parsed: Value | None) -> bool:
    if parsed is None:
        return False
    return any(parsed in a for a in flow.args_at(call.offset)[1:])


def _missing_sanitisers(flow: MethodFlow, calls: list[CallInfo], parsed: Value | None) -> list[str]:
    """Which of Chrome's three sanitising calls are not made on the parsed Intent."""
    done: set[str] = set()
    for c in calls:
        if c.callee.class_desc != INTENT:
            continue
        args = flow.args_at(c.offset)
        if len(args) < 2 or parsed is None or parsed not in args[0]:
            continue
        name = c.callee.name
        if name in ("setComponent", "setSelector") and can_be_int(args[1], 0):
            done.add(f"{name}(null)")
        elif name == "addCategory" and BROWSABLE in string_constants(args[1]):
            done.add("addCategory(BROWSABLE)")
    wanted = ["addCategory(BROWSABLE)", "setComponent(null)", "setSelector(null)"]
    return [w for w in wanted if w not in done]
