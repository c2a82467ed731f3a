"""WebSettings and WebView switches that widen what loaded content can do.

Each check starts from the call sites of one setter and fires only when data flow shows a
constant that turns the feature on reaching the argument (``true``, mode 0, PluginState.ON);
a value the analysis cannot see (a parameter, a server flag) is not reported, and the
safe twin (``false``) never is.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._common import (
    GBT_WEBVIEW,
    WEB_SETTINGS,
    WEBVIEW,
    arg,
    calls,
    can_be_int,
    can_be_true,
    fields_read,
    flow_of,
)

FILE_ACCESS_DEFAULT_OFF_SDK = 30  # setAllowFileAccess defaults to false from targetSdk 30
MIXED_CONTENT_ALWAYS_ALLOW = 0
PLUGINS_IGNORED_FROM = 18  # WebView ignores setPluginState from Android 4.3 (API 18)
PLUGIN_STATE = (
    "Landroid/webkit/WebSettings$PluginState;",
    "Lcom/tencent/smtt/sdk/WebSettings$PluginState;",
)


def _true_setter(ctx: CheckContext, bases: tuple[str, ...], name: str, position: int) -> Iterator:
    """Call sites of ``name(boolean)`` where a constant true reaches argument ``position``."""
    for site in calls(ctx.code, bases, name, "(Z)V"):
        if can_be_true(arg(site, position)):
            yield site


@check(
    "android.webview.javascript-enabled",
    title=("JavaScript enabled in a WebView", "WebView 启用了 JavaScript"),
    description=(
        "WebSettings.setJavaScriptEnabled(true) lets any page the WebView loads run scripts. "
        "Combined with a JavaScript bridge, file access, or a URL an attacker can influence, "
        "this turns a content bug into code running with the app's rights (XSS, data theft).",
        "WebSettings.setJavaScriptEnabled(true) 允许 WebView 加载的任何页面执行脚本。"
        "若同时存在 JavaScript 接口、文件访问或攻击者可影响的 URL,内容层面的缺陷就会变成以应用"
        "权限执行的代码(XSS、数据窃取)。",
    ),
    remediation=(
        "Enable JavaScript only for WebViews that load the app's own trusted, HTTPS content; "
        "restrict navigation to an allow-list of hosts and keep other WebViews script-free.",
        "仅对加载应用自有可信 HTTPS 内容的 WebView 启用 JavaScript;将跳转限制在主机白名单内,"
        "其他 WebView 不启用脚本。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    cwe=[79, 749],
    masvs=["MASVS-PLATFORM-2"],
    owasp=["M4", "M8"],
    gbt_34975=[GBT_WEBVIEW],
)
def javascript_enabled(ctx: CheckContext) -> Iterator[Finding]:
    for site in _true_setter(ctx, WEB_SETTINGS, "setJavaScriptEnabled", 1):
        yield ctx.code_finding(
            site,
            message=Text(
                "setJavaScriptEnabled(true): pages loaded in this WebView run JavaScript",
                "setJavaScriptEnabled(true):此 WebView 中加载的页面可执行 JavaScript",
            ),
        )


@check(
    "android.webview.file-access",
    title=("WebView file access enabled", "WebView 允许访问文件"),
    description=(
        "With file access on, a WebView can load file:// URLs, including the app's private "
        "files. setAllowFileAccess defaults to true for apps targeting API 29 and below, so a "
        "script-enabled WebView there has it unless the app turns it off. Content that can "
        "navigate the WebView (a redirect, an injected link) can then open local files.",
        "开启文件访问后,WebView 可加载 file:// URL,包括应用私有文件。targetSdk 为 29 及以下时 "
        "setAllowFileAccess 默认为 true,启用脚本的 WebView 若未主动关闭即处于开启状态。能够控制 "
        "WebView 跳转的内容(重定向、注入的链接)即可打开本地文件。",
    ),
    remediation=(
        "Call setAllowFileAccess(false) unless the WebView must show local files; serve "
        "bundled content through WebViewAssetLoader (https://appassets.androidplatform.net).",
        "除非 WebView 必须展示本地文件,否则调用 setAllowFileAccess(false);内置内容请通过 "
        "WebViewAssetLoader(https://appassets.androidplatform.net)提供。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[200, 73],
    masvs=["MASVS-PLATFORM-2"],
    owasp=["M8"],
    gbt_34975=[GBT_WEBVIEW],
)
def file_access(ctx: CheckContext) -> Iterator[Finding]:
    for site in _true_setter(ctx, WEB_SETTINGS, "setAllowFileAccess", 1):
        yield ctx.code_finding(
            site,
            message=Text(
                "setAllowFileAccess(true): the WebView may load file:// URLs",
                "setAllowFileAccess(true):WebView 可加载 file:// URL",
            ),
        )
    m = ctx.manifest
    if m is None or m.target_sdk >= FILE_ACCESS_DEFAULT_OFF_SDK:
        return
    # The platform default: a script-enabled WebView whose method never sets file access
    # keeps it on. Reported at the setJavaScriptEnabled call, at low confidence because the
    # WebSettings object may be configured elsewhere.
    for site in _true_setter(ctx, WEB_SETTINGS, "setJavaScriptEnabled", 1):
        flow = flow_of(site)
        if flow is None or any(c.callee.name == "setAllowFileAccess" for c in flow.invokes()):
            continue
        yield ctx.code_finding(
            site,
            key="default",
            severity=Severity.LOW,
            confidence=Confidence.LOW,
            message=Text(
                f"JavaScript is enabled and file access is left at its default, which is on "
                f"for targetSdk {m.target_sdk} (< 30)",
                f"启用了 JavaScript 且文件访问保持默认值;targetSdk 为 {m.target_sdk}(< 30)时"
                f"默认开启",
            ),
        )


@check(
    "android.webview.file-url-access",
    title=("file:// pages may read other files", "file:// 页面可读取其他文件"),
    description=(
        "setAllowFileAccessFromFileURLs(true) lets JavaScript in a file:// page read any "
        "other file:// URL with XMLHttpRequest. A file an attacker can place or point the "
        "WebView to (a download, a shared file) then reads the app's private files.",
        "setAllowFileAccessFromFileURLs(true) 允许 file:// 页面中的 JavaScript 通过 "
        "XMLHttpRequest 读取任意其他 file:// URL。攻击者可放置或诱导加载的文件(下载文件、共享文件)"
        "即可读取应用私有文件。",
    ),
    remediation=(
        "Remove setAllowFileAccessFromFileURLs(true) (the default is false since API 16); "
        "load bundled content through WebViewAssetLoader instead of file:// URLs.",
        "删除 setAllowFileAccessFromFileURLs(true)(API 16 起默认为 false);内置内容通过 "
        "WebViewAssetLoader 加载,不要使用 file:// URL。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[200, 668],
    masvs=["MASVS-PLATFORM-2"],
    owasp=["M8"],
    gbt_34975=[GBT_WEBVIEW],
)
def file_url_access(ctx: CheckContext) -> Iterator[Finding]:
    for site in _true_setter(ctx, WEB_SETTINGS, "setAllowFileAccessFromFileURLs", 1):
        yield ctx.code_finding(
            site,
            message=Text(
                "setAllowFileAccessFromFileURLs(true): scripts in file:// pages read other files",
                "setAllowFileAccessFromFileURLs(true):file:// 页面中的脚本可读取其他文件",
            ),
        )


@check(
    "android.webview.universal-file-access",
    title=("file:// pages may read any origin", "file:// 页面可访问任意源"),
    description=(
        "setAllowUniversalAccessFromFileURLs(true) removes the same-origin policy for file:// "
        "pages: their scripts can read local files and any web origin, and send what they "
        "read anywhere.",
        "setAllowUniversalAccessFromFileURLs(true) 取消了 file:// 页面的同源策略:其脚本可读取"
        "本地文件与任意网站源的内容,并将其发送到任何地方。",
    ),
    remediation=(
        "Remove setAllowUniversalAccessFromFileURLs(true) (default false since API 16).",
        "删除 setAllowUniversalAccessFromFileURLs(true)(API 16 起默认为 false)。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[200, 668],
    masvs=["MASVS-PLATFORM-2"],
    owasp=["M8"],
    gbt_34975=[GBT_WEBVIEW],
)
def universal_file_access(ctx: CheckContext) -> Iterator[Finding]:
    for site in _true_setter(ctx, WEB_SETTINGS, "setAllowUniversalAccessFromFileURLs", 1):
        yield ctx.code_finding(
            site,
            message=Text(
                "setAllowUniversalAccessFromFileURLs(true): file:// pages bypass the "
                "same-origin policy",
                "setAllowUniversalAccessFromFileURLs(true):file:// 页面绕过同源策略",
            ),
        )


@check(
    "android.webview.debugging-enabled",
    title=("WebView remote debugging enabled", "启用了 WebView 远程调试"),
    description=(
        "WebView.setWebContentsDebuggingEnabled(true) lets anyone with USB access inspect "
        "and script every WebView of the app through Chrome DevTools: cookies, tokens, "
        "page content and the JavaScript bridges.",
        "WebView.setWebContentsDebuggingEnabled(true) 使任何可通过 USB 连接设备的人都能借助 "
        "Chrome DevTools 检查并操控应用的所有 WebView:Cookie、令牌、页面内容及 JavaScript 接口。",
    ),
    remediation=(
        "Enable WebView debugging only in debug builds (guard it with BuildConfig.DEBUG or "
        "ApplicationInfo.FLAG_DEBUGGABLE).",
        "仅在调试构建中启用 WebView 调试(以 BuildConfig.DEBUG 或 ApplicationInfo.FLAG_DEBUGGABLE "
        "判断)。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[489, 215],
    masvs=["MASVS-RESILIENCE-2"],
    owasp=["M7", "M8"],
    gbt_34975=["5.3.4 应用调试安全 / debugging", GBT_WEBVIEW],
)
def debugging_enabled(ctx: CheckContext) -> Iterator[Finding]:
    for site in _true_setter(ctx, WEBVIEW, "setWebContentsDebuggingEnabled", 0):
        yield ctx.code_finding(
            site,
            message=Text(
                "setWebContentsDebuggingEnabled(true) with a constant argument: on in every "
                "build of this code",
                "setWebContentsDebuggingEnabled(true) 参数为常量:此代码的所有构建中均开启",
            ),
        )


@check(
    "android.webview.mixed-content",
    title=("WebView allows mixed content", "WebView 允许混合内容"),
    description=(
        "setMixedContentMode(MIXED_CONTENT_ALWAYS_ALLOW) lets an HTTPS page load scripts, "
        "frames and other resources over plain HTTP, which anyone on the network can "
        "replace, so the secure page runs their code.",
        "setMixedContentMode(MIXED_CONTENT_ALWAYS_ALLOW) 允许 HTTPS 页面通过明文 HTTP 加载脚本、"
        "框架等资源,网络上的任何人都可替换这些资源,使安全页面执行其代码。",
    ),
    remediation=(
        "Use MIXED_CONTENT_NEVER_ALLOW (the default from API 21) and serve every resource "
        "over HTTPS.",
        "使用 MIXED_CONTENT_NEVER_ALLOW(API 21 起的默认值),所有资源均通过 HTTPS 提供。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[319],
    masvs=["MASVS-NETWORK-1"],
    owasp=["M5"],
    gbt_34975=["5.4.2 通信安全 / communication", GBT_WEBVIEW],
)
def mixed_content(ctx: CheckContext) -> Iterator[Finding]:
    for site in calls(ctx.code, WEB_SETTINGS, "setMixedContentMode", "(I)V"):
        if can_be_int(arg(site, 1), MIXED_CONTENT_ALWAYS_ALLOW):
            yield ctx.code_finding(
                site,
                message=Text(
                    "setMixedContentMode(MIXED_CONTENT_ALWAYS_ALLOW): HTTPS pages load HTTP "
                    "resources",
                    "setMixedContentMode(MIXED_CONTENT_ALWAYS_ALLOW):HTTPS 页面加载 HTTP 资源",
                ),
            )


@check(
    "android.webview.plugin-state",
    title=("WebView plugins enabled (deprecated)", "WebView 启用了插件(已弃用)"),
    description=(
        "setPluginState(ON) enables browser plugins such as Flash in WebViews on old Android "
        "versions (up to 4.2), a long line of remote code execution bugs; ON_DEMAND still "
        "runs them after one tap. The API is deprecated and ignored from API 18, so for an "
        "app whose minSdkVersion is 18 or more it is only an info note.",
        "setPluginState(ON) 在旧版 Android(4.2 及以下)的 WebView 中启用 Flash 等浏览器插件,"
        "其历史上存在大量远程代码执行漏洞;ON_DEMAND 在一次点击后仍会运行插件。该 API 已弃用,"
        "API 18 起被忽略,因此对 minSdkVersion 不低于 18 的应用仅为提示信息。",
    ),
    remediation=(
        "Remove setPluginState calls (or pass PluginState.OFF).",
        "删除 setPluginState 调用(或传入 PluginState.OFF)。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[477, 749],
    masvs=["MASVS-PLATFORM-2"],
    owasp=["M8"],
    gbt_34975=[GBT_WEBVIEW],
)
def plugin_state(ctx: CheckContext) -> Iterator[Finding]:
    min_sdk = ctx.manifest.min_sdk if ctx.manifest is not None else 1
    # Every device the app installs on ignores the call: a note out of the default view.
    ignored = min_sdk >= PLUGINS_IGNORED_FROM
    no_effect = (
        (f"; no effect: minSdk {min_sdk} and WebView ignores it from API 18",
         f";无效:minSdk 为 {min_sdk},API 18 起 WebView 忽略此设置")
        if ignored else ("", "")
    )  # fmt: skip
    for site in calls(ctx.code, WEB_SETTINGS, "setPluginState"):
        read = fields_read(arg(site, 1))
        if any(c in PLUGIN_STATE and n == "ON" for c, n in read):
            yield ctx.code_finding(
                site,
                severity=Severity.INFO if ignored else None,
                message=Text(
                    "setPluginState(PluginState.ON): plugins run without asking" + no_effect[0],
                    "setPluginState(PluginState.ON):插件无需确认即运行" + no_effect[1],
                ),
            )
        elif any(c in PLUGIN_STATE and n == "ON_DEMAND" for c, n in read):
            yield ctx.code_finding(
                site,
                key="on-demand",
                severity=Severity.INFO if ignored else Severity.LOW,
                message=Text(
                    "setPluginState(PluginState.ON_DEMAND): plugins run after one tap"
                    + no_effect[0],
                    "setPluginState(PluginState.ON_DEMAND):插件在一次点击后运行" + no_effect[1],
                ),
            )
