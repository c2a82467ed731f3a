"""Web content: the deprecated UIWebView, recognised by its class in imports, Objective-C
type encodings (properties, ivars) and interface files."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.ios._common import facts
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text

GBT_WEBVIEW = "5.3.6 WebView 组件安全 / WebView component security"
IMPORT = "_OBJC_CLASS_$_UIWebView"
TYPE_ENCODING = '@"UIWebView"'
NIB_CLASS = b"UIWebView\x00"


@check(
    "ios.webview.uiwebview",
    title=("Deprecated UIWebView used", "使用了已弃用的 UIWebView"),
    description=(
        "The app uses UIWebView, deprecated since iOS 12 and refused by the App Store since "
        "2020: JavaScript cannot be turned off, file:// pages may read other local files, and "
        "it gets no security fixes. Pages built from user input become script injection.",
        "应用使用了 UIWebView:iOS 12 起弃用,2020 年起 App Store 拒绝收录;无法关闭 JavaScript,"
        "file:// 页面可读取其他本地文件,且不再获得安全修复。由用户输入拼接的页面会导致脚本注入。",
    ),
    remediation=(
        "Move to WKWebView; disable JavaScript where not needed and never build HTML from "
        "untrusted input without escaping it.",
        "迁移到 WKWebView;不需要时关闭 JavaScript,不要用未转义的不可信输入拼接 HTML。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[477, 79],
    masvs=["MASVS-PLATFORM-2"],
    owasp=["M4", "M8"],
    gbt_34975=[GBT_WEBVIEW],
)
def uiwebview(ctx: CheckContext) -> Iterator[Finding]:
    f = facts(ctx)
    for _root, b in f.binaries:
        encodings = [s for s in b.strings if TYPE_ENCODING in s]
        if IMPORT in b.imports() or encodings:
            evidence = [f"import {IMPORT}"] if IMPORT in b.imports() else []
            evidence += encodings[:3]
            yield ctx.file_finding(
                b.path,
                evidence="\n".join(evidence),
                key="binary",
                message=Text("UIWebView in the code", "代码中使用 UIWebView"),
            )
    nibs = [name for name, data in f.nib_files() if NIB_CLASS in data]
    if nibs:  # one finding for the interface files: the fix is one migration, not per screen
        names = [n.rsplit("/", 1)[-1] for n in nibs]
        yield ctx.file_finding(
            nibs[0],
            evidence="UIWebView objects in: " + ", ".join(names[:10]),
            key="interface",
            message=Text(
                f"UIWebView in {len(nibs)} interface file(s)",
                f"{len(nibs)} 个界面文件中使用 UIWebView",
            ),
        )
