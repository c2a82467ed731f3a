"""A WebView told to load a URL (or HTML) that another app supplied in an Intent."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.manifest._common import COMPONENT_KIND_TEXT
from mobsec.checks.registry import check
from mobsec.ingest.dex import CodeSite
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._common import GBT_INPUT, GBT_WEBVIEW, WEBVIEW, calls, exported_component, flow_of
from ._taint import WEAK, intent_source, taint_source_zh

# WebView method -> argument positions (receiver = 0) that carry a URL or a document.
SINKS: dict[str, tuple[int, ...]] = {
    "loadUrl": (1,),
    "postUrl": (1,),
    "loadData": (1,),
    "loadDataWithBaseURL": (1, 2),
}


@check(
    "android.webview.intent-url-load",
    title=("WebView loads a URL from an Intent", "WebView 加载来自 Intent 的 URL"),
    description=(
        "A URL or HTML document taken from an Intent (extras, data URI, query parameters) "
        "reaches WebView.loadUrl/postUrl/loadData. Any app that can send this Intent — or "
        "any web page, through a deep link — decides what the WebView shows and runs, with "
        "the WebView's settings, cookies and JavaScript bridges.",
        "来自 Intent 的 URL 或 HTML 文档(extra、data URI、查询参数)到达了 "
        "WebView.loadUrl/postUrl/loadData。任何能发送该 Intent 的应用——或经由深度链接的任何网页"
        "——都能决定 WebView 显示和执行的内容,并获得该 WebView 的设置、Cookie 与 JavaScript 接口。",
    ),
    remediation=(
        "Parse the URL with Uri.parse and accept only https URLs whose host is on an exact "
        "allow-list (compare getHost() with equals, not startsWith/contains); otherwise keep "
        "the component private.",
        "用 Uri.parse 解析 URL,只接受主机在精确白名单内的 https URL(用 equals 比较 getHost(),"
        "不要用 startsWith/contains);否则不要导出该组件。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[20, 601, 940],
    masvs=["MASVS-PLATFORM-2", "MASVS-CODE-4"],
    owasp=["M4"],
    gbt_34975=[GBT_INPUT, GBT_WEBVIEW],
)
def intent_url_load(ctx: CheckContext) -> Iterator[Finding]:
    for name, positions in SINKS.items():
        for site in calls(ctx.code, WEBVIEW, name):
            flow = flow_of(site)
            if flow is None:
                continue
            args = flow.args_at(site.offset)
            for pos in positions:
                if pos >= len(args):
                    continue
                source = intent_source(ctx.code, site.dex, flow, args[pos])
                if source is None:
                    continue
                yield _finding(ctx, site, name, source)
                break  # one finding per call


def _finding(ctx: CheckContext, site: CodeSite, sink: str, source: str) -> Finding:
    weak = source.startswith(WEAK)
    source = source.removeprefix(WEAK)
    component = exported_component(ctx, site.caller.class_desc)
    if weak:
        severity, confidence = Severity.MEDIUM, Confidence.LOW
    elif component is not None:
        severity, confidence = Severity.HIGH, Confidence.HIGH
    else:
        severity, confidence = Severity.MEDIUM, Confidence.MEDIUM
    where = f" in exported {component.kind} {component.name}" if component is not None else ""
    where_zh = (
        f"(位于已导出的 {COMPONENT_KIND_TEXT[component.kind][1]} {component.name})"
        if component is not None
        else ""
    )
    return ctx.code_finding(
        site,
        key=sink,
        severity=severity,
        confidence=confidence,
        message=Text(
            f"{source} reaches WebView.{sink}{where}",
            f"{taint_source_zh(source)} 到达 WebView.{sink}{where_zh}",
        ),
    )
