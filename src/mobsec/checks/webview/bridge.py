"""JavaScript bridges: Java objects exposed to the pages a WebView loads.

Below API 17 every public method of the object — including ``getClass()`` — is callable
from JavaScript, so any page reaches ``Runtime.exec`` through reflection (CVE-2012-6636).
From API 17 only methods annotated ``@JavascriptInterface`` are exposed, which still hands
the page whatever those methods do. The app's minSdk decides which world it lives in.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext, java_name
from mobsec.checks.registry import check
from mobsec.facts.dataflow import string_constants
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._common import GBT_WEBVIEW, WEBVIEW, args_of, calls, class_of

ANNOTATION_ONLY_SDK = 17  # from API 17 only @JavascriptInterface methods are exposed


@check(
    "android.webview.javascript-interface",
    title=("Java object exposed to WebView JavaScript", "WebView 向 JavaScript 暴露了 Java 对象"),
    description=(
        "WebView.addJavascriptInterface makes a Java object callable from every page the "
        "WebView loads, including frames and pages reached by navigation. On devices below "
        "Android 4.2 (API 17) any page can call any public method, and through reflection "
        "run arbitrary code in the app; above, the @JavascriptInterface methods are still "
        "open to whatever content ends up in the WebView.",
        "WebView.addJavascriptInterface 使 Java 对象可被该 WebView 加载的每个页面(包括框架和"
        "跳转后的页面)调用。在 Android 4.2(API 17)以下的设备上,任何页面都能调用任意公共方法,"
        "并借助反射在应用内执行任意代码;API 17 及以上,带 @JavascriptInterface 注解的方法仍对"
        "WebView 中出现的任何内容开放。",
    ),
    remediation=(
        "Raise minSdk to 17 or later, expose only @JavascriptInterface methods that are safe "
        "for untrusted callers, and only load trusted HTTPS content in WebViews with a bridge "
        "(or use WebViewCompat.addWebMessageListener with an origin allow-list).",
        "将 minSdk 提高到 17 及以上,只暴露对不可信调用方安全的 @JavascriptInterface 方法,"
        "带接口的 WebView 只加载可信 HTTPS 内容(或使用带源白名单的 "
        "WebViewCompat.addWebMessageListener)。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[749],
    masvs=["MASVS-PLATFORM-2"],
    owasp=["M4", "M8"],
    gbt_34975=[GBT_WEBVIEW],
    references=("https://nvd.nist.gov/vuln/detail/CVE-2012-6636",),
)
def javascript_interface(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    min_sdk = m.min_sdk if m is not None else 1
    legacy = min_sdk < ANNOTATION_ONLY_SDK
    for site in calls(ctx.code, WEBVIEW, "addJavascriptInterface"):
        values = args_of(site)
        obj = class_of(values[1]) if len(values) > 1 else None
        names = sorted(string_constants(values[2])) if len(values) > 2 else []
        what = java_name(obj) if obj else "an object data flow cannot name"
        what_zh = java_name(obj) if obj else "数据流无法确定的对象"
        js = f' as "{names[0]}"' if len(names) == 1 else ""
        js_zh = f'(名称 "{names[0]}")' if len(names) == 1 else ""
        if legacy:
            yield ctx.code_finding(
                site,
                key=obj or "",
                severity=Severity.HIGH,
                message=Text(
                    f"{what} is exposed to JavaScript{js}; minSdk {min_sdk} < 17, so on old "
                    f"devices every public method is callable, including getClass() for "
                    f"reflection",
                    f"{what_zh} 被暴露给 JavaScript{js_zh};minSdk {min_sdk} < 17,旧设备上所有公共方法"
                    f"(包括用于反射的 getClass())均可被调用",
                ),
            )
        else:
            yield ctx.code_finding(
                site,
                key=obj or "",
                message=Text(
                    f"{what} is exposed to JavaScript{js}: its @JavascriptInterface methods "
                    f"are callable by any page loaded in this WebView",
                    f"{what_zh} 被暴露给 JavaScript{js_zh}:其 @JavascriptInterface 方法可被此 WebView "
                    f"加载的任何页面调用",
                ),
            )
