"""WebViewClient and WebChromeClient callbacks that act on what the page asks for.

``shouldOverrideUrlLoading`` / ``shouldInterceptRequest`` receive a URL chosen by the page
(a link, a redirect, a script). The heuristic here, documented because it is one: inside
the override, the URL (the String parameter, or ``request.getUrl()``) reaches a sink —
``loadUrl``, an Intent that is started, a file opened for the response — and *no* call in
the same method takes the URL (or something derived from it, such as ``getHost()``) and
returns a boolean (``startsWith``, ``equals``, ``contains``, ``matches``, the app's own
``isAllowed(url)``...). Any such call counts as validation, strong or weak, so the check
errs towards silence; it cannot judge whether a check is *sufficient* and says so through
its confidence.

``onGeolocationPermissionsShowPrompt`` is asked before a page reads the user's location;
calling ``callback.invoke(origin, true, ...)`` right there grants it to any origin
without asking the user.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from mobsec.checks.context import CheckContext, java_name
from mobsec.checks.registry import check
from mobsec.facts.dataflow import MethodFlow, Value, method_flow
from mobsec.ingest.dex import ClassDef, CodeSite, DexFile, MethodDef
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._common import (
    GBT_INPUT,
    GBT_WEBVIEW,
    WEB_CHROME_CLIENT,
    WEBVIEW_CLIENT,
    arg,
    can_be_true,
    subtypes,
)
from ._taint import PASS_THROUGH

INTENT = "Landroid/content/Intent;"
OVERRIDES = ("shouldOverrideUrlLoading", "shouldInterceptRequest")
START_CALLS = frozenset(
    {
        "startActivity",
        "startActivityForResult",
        "startActivityIfNeeded",
        "startActivities",
        "startService",
        "startForegroundService",
        "sendBroadcast",
    }
)
FILE_SINKS = {
    ("Ljava/io/FileInputStream;", "<init>"),
    ("Ljava/io/FileReader;", "<init>"),
    ("Ljava/io/RandomAccessFile;", "<init>"),
    ("Landroid/content/res/AssetManager;", "open"),
    ("Landroid/content/ContentResolver;", "openInputStream"),
    ("Landroid/content/ContentResolver;", "openFileDescriptor"),
}
GEO_CALLBACKS = (
    "Landroid/webkit/GeolocationPermissions$Callback;",
    "Lcom/tencent/smtt/export/external/interfaces/GeolocationPermissionsCallback;",
)
MAX_DEPTH = 10
# Objects that only wrap the URL: their getters (File.getName, URL.getHost) stay "the URL".
URL_WRAPPERS = PASS_THROUGH | {"Ljava/io/File;", "Ljava/net/URL;", "Ljava/net/URI;"}


class _Sink(NamedTuple):
    offset: int
    what: str  # "loadUrl", "startActivity", "FileInputStream.<init>", ...
    kind: str  # "load", "intent", "file"


@check(
    "android.webview.override-url-unvalidated",
    title=(
        "WebView callback acts on page URLs without checking them",
        "WebView 回调未校验页面 URL 即执行操作",
    ),
    description=(
        "A shouldOverrideUrlLoading or shouldInterceptRequest override passes the URL the "
        "page asked for to loadUrl, to an Intent it starts, or to a file it opens, and no "
        "check of the URL (host, scheme, prefix, allow-list) happens in that method. A page "
        "that can navigate — including one injected by a network attacker or an open "
        "redirect — then opens other apps' components, loads arbitrary sites with the app's "
        "bridges, or reads local files. Heuristic: any boolean-returning call on the URL "
        "counts as a check, whether or not it is sufficient.",
        "shouldOverrideUrlLoading 或 shouldInterceptRequest 的重写方法把页面请求的 URL 交给 "
        "loadUrl、被启动的 Intent 或被打开的文件,而该方法中没有对 URL 做任何检查(主机、协议、"
        "前缀、白名单)。能触发跳转的页面(包括网络攻击者注入的页面或开放重定向)即可打开其他应用的"
        "组件、以应用的接口加载任意网站或读取本地文件。启发式规则:对 URL 的任何返回布尔值的调用都"
        "视为检查,不论其是否充分。",
    ),
    remediation=(
        "Parse the URL, compare scheme and host with an exact allow-list before acting on "
        "it, and for intent:// or custom schemes sanitise the Intent (addCategory(BROWSABLE), "
        "setComponent(null), setSelector(null)).",
        "解析 URL,在处理前将协议与主机和精确白名单比对;对 intent:// 或自定义协议,先净化 Intent"
        "(addCategory(BROWSABLE)、setComponent(null)、setSelector(null))。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.LOW,
    cwe=[20, 939],
    masvs=["MASVS-PLATFORM-2", "MASVS-CODE-4"],
    owasp=["M4"],
    gbt_34975=[GBT_INPUT, GBT_WEBVIEW],
)
def override_url_unvalidated(ctx: CheckContext) -> Iterator[Finding]:
    code = ctx.code
    for desc in subtypes(code, WEBVIEW_CLIENT):
        found = code.find_class(desc)
        if found is None:
            continue
        dex, cls = found
        for method in _overrides(dex, cls):
            flow = method_flow(dex, method)
            if flow is None:
                continue
            url = _UrlTracker(flow)
            if url.validated():
                continue
            name = dex.method_ref(method.method_idx).name
            for sink in url.sinks():
                severity = Severity.LOW if sink.kind == "load" else Severity.MEDIUM
                confidence = Confidence.LOW if sink.kind == "load" else Confidence.MEDIUM
                yield ctx.method_finding(
                    dex,
                    method.method_idx,
                    sink.offset,
                    key=sink.what,
                    severity=severity,
                    confidence=confidence,
                    message=Text(
                        f"{name} passes the page's URL to {sink.what} without checking it",
                        f"{name} 未经检查即将页面 URL 交给 {sink.what}",
                    ),
                )


def _overrides(dex: DexFile, cls: ClassDef) -> Iterator[MethodDef]:
    for method in cls.virtual_methods:
        ref = dex.method_ref(method.method_idx)
        params = ref.proto[1:].split(")", 1)[0]
        if ref.name in OVERRIDES and params.startswith("L") and params.count(";") == 2:
            yield method  # (WebView, String|WebResourceRequest) -> boolean|WebResourceResponse


class _UrlTracker:
    """Which values in one override method are the page's URL or derived from it."""

    def __init__(self, flow: MethodFlow) -> None:
        self.flow = flow
        self.calls = flow.invokes()

    def derived(self, values: frozenset[Value], depth: int = 0) -> bool:
        if depth > MAX_DEPTH:
            return False
        for v in values:
            if v.kind == "param" and v.data == 1:
                return True  # the url String or the WebResourceRequest
            if v.kind == "concat" and self.derived(frozenset(v.data), depth + 1):  # type: ignore[arg-type]
                return True
            if v.kind == "result" and v.offset is not None:
                callee = v.data
                through = (
                    callee.class_desc in URL_WRAPPERS  # type: ignore[union-attr]
                    or callee.name == "getUrl"  # type: ignore[union-attr]
                    or (callee.class_desc == INTENT and callee.name == "parseUri")  # type: ignore[union-attr]
                )
                if through and any(self.derived(a, depth + 1) for a in self.flow.args_at(v.offset)):
                    return True
            if v.kind == "new" and self._built_from_url(v, depth):
                return True
        return False

    def _built_from_url(self, obj: Value, depth: int) -> bool:
        """An object constructed (or, for an Intent, given data) from the URL."""
        for c in self.calls:
            name = c.callee.name
            if name != "<init>" and not (
                c.callee.class_desc == INTENT and name in ("setData", "setDataAndType")
            ):
                continue
            args = self.flow.args_at(c.offset)
            if args and obj in args[0] and any(self.derived(a, depth + 1) for a in args[1:]):
                return True
        return False

    def validated(self) -> bool:
        """Some boolean-returning call takes the URL or a value derived from it."""
        for c in self.calls:
            if not c.callee.proto.endswith(")Z"):
                continue
            if any(self.derived(a) for a in self.flow.args_at(c.offset)):
                return True
        return False

    def sinks(self) -> Iterator[_Sink]:
        for c in self.calls:
            callee = c.callee
            args = self.flow.args_at(c.offset)
            if callee.name in ("loadUrl", "postUrl") and callee.proto.startswith(
                "(Ljava/lang/String;"
            ):
                if len(args) > 1 and self.derived(args[1]):
                    yield _Sink(c.offset, callee.name, "load")
            elif callee.name in START_CALLS and INTENT in callee.proto:
                if any(self.derived(a) for a in args[1:]):
                    yield _Sink(c.offset, callee.name, "intent")
            elif (callee.class_desc, callee.name) in FILE_SINKS and any(
                self.derived(a) for a in args[1:]
            ):
                yield _Sink(c.offset, f"{java_name(callee.class_desc)}.{callee.name}", "file")


@check(
    "android.webview.geolocation-granted",
    title=(
        "WebView grants geolocation to any page without asking",
        "WebView 未经询问即向任意页面授予定位权限",
    ),
    description=(
        "onGeolocationPermissionsShowPrompt calls callback.invoke(origin, true, ...) "
        "directly, without asking the user or checking the origin: every page loaded in the "
        "WebView, including ads and injected content, reads the device location with the "
        "app's location permission.",
        "onGeolocationPermissionsShowPrompt 直接调用 callback.invoke(origin, true, ...),"
        "既不询问用户也不检查来源:WebView 中加载的每个页面(包括广告与被注入的内容)都能借助应用的"
        "定位权限读取设备位置。",
    ),
    remediation=(
        "Grant geolocation only to origins on an allow-list, after asking the user; pass "
        "retain=false unless the user chose to remember the decision.",
        "仅在询问用户后向白名单内的来源授予定位权限;除非用户选择记住该决定,否则 retain 传 false。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[359, 862],
    masvs=["MASVS-PLATFORM-2", "MASVS-PRIVACY-1"],
    owasp=["M6"],
    gbt_34975=[GBT_WEBVIEW, "5.4.3 数据安全 / data security"],
)
def geolocation_granted(ctx: CheckContext) -> Iterator[Finding]:
    chrome_clients = set(subtypes(ctx.code, WEB_CHROME_CLIENT))
    for iface in GEO_CALLBACKS:
        for site in ctx.code.call_sites(iface, "invoke"):
            if not can_be_true(arg(site, 2)):
                continue
            method = site.dex.method_by_idx(site.caller_idx)
            flow = method_flow(site.dex, method) if method is not None else None
            if flow is None or _asks_or_checks(flow):
                continue
            if site.caller.name != "onGeolocationPermissionsShowPrompt":
                # A helper the prompt hands its callback (and origin) to: granted without
                # asking when the prompt calls it directly and neither asks nor checks.
                prompt = _prompt_calling(ctx, site, flow)
                if prompt is None:
                    continue
                yield ctx.code_finding(
                    site,
                    confidence=Confidence.MEDIUM,
                    message=Text(
                        f"callback.invoke(origin, true, ...) in {site.caller.name}, called by "
                        f"{prompt}.onGeolocationPermissionsShowPrompt with no dialog and no "
                        "origin check",
                        f"{site.caller.name} 中调用 callback.invoke(origin, true, ...),由 "
                        f"{prompt}.onGeolocationPermissionsShowPrompt 调用,既无对话框也无来源检查",
                    ),
                )
                continue
            confidence = (
                Confidence.HIGH if site.caller.class_desc in chrome_clients else Confidence.MEDIUM
            )
            yield ctx.code_finding(
                site,
                confidence=confidence,
                message=Text(
                    "callback.invoke(origin, true, ...) in onGeolocationPermissionsShowPrompt "
                    "with no dialog and no origin check",
                    "onGeolocationPermissionsShowPrompt 中调用 callback.invoke(origin, true, ...),"
                    "既无对话框也无来源检查",
                ),
            )


def _prompt_calling(ctx: CheckContext, site: CodeSite, flow: MethodFlow) -> str | None:
    """The class whose onGeolocationPermissionsShowPrompt passes its own callback to the
    method holding ``site`` (the helper), asking nothing; None otherwise."""
    args = flow.args_at(site.offset)
    if not args or not all(v.kind == "param" for v in args[0]):
        return None  # the callback is not the helper's parameter
    ref = site.caller
    for call in ctx.code.call_sites(ref.class_desc, ref.name, ref.proto):
        if call.caller.name != "onGeolocationPermissionsShowPrompt":
            continue
        method = call.dex.method_by_idx(call.caller_idx)
        outer = method_flow(call.dex, method) if method is not None else None
        if outer is None or _asks_or_checks(outer):
            continue
        passed = outer.args_at(call.offset)
        if any(v.kind == "param" and v.data == 1 for a in passed for v in a):
            return java_name(call.caller.class_desc)
    return None


def _asks_or_checks(flow: MethodFlow) -> bool:
    """A dialog is built, or the origin (parameter 0) goes into a boolean-returning call."""
    for c in flow.invokes():
        if "Dialog" in c.callee.class_desc or c.callee.name == "requestPermissions":
            return True
        if c.callee.proto.endswith(")Z") and any(
            any(v.kind == "param" and v.data == 0 for v in a) for a in flow.args_at(c.offset)
        ):
            return True
    return False
