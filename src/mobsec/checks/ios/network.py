"""App Transport Security (Info.plist) and cleartext URLs in the code."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.ios._common import GBT_COMMUNICATION, excerpt, facts
from mobsec.checks.network.cleartext_url import LOCAL_HOSTS, NAMESPACE_HOSTS
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text

ATS_KEY = "NSAppTransportSecurity"
WEAK_TLS = ("TLSv1.0", "TLSv1.1")
# Apple's own DTD/namespace URIs, identifiers rather than endpoints.
IOS_NAMESPACE_HOSTS = NAMESPACE_HOSTS | {"www.apple.com", "apple.com"}
MAX_URL_FINDINGS = 100


@check(
    "ios.network.ats-arbitrary-loads",
    title=("App Transport Security disabled", "App Transport Security(ATS)被关闭"),
    description=(
        "Info.plist sets NSAllowsArbitraryLoads (or its web-content / media variants): iOS "
        "then lets the app load any URL over plain HTTP and over TLS without Apple's "
        "minimum requirements, so traffic can be read and changed on the network.",
        "Info.plist 设置了 NSAllowsArbitraryLoads(或其网页内容/媒体变体):iOS 将允许应用通过明文 "
        "HTTP 以及不满足苹果最低要求的 TLS 加载任意地址,网络上的攻击者可以读取和篡改通信。",
    ),
    remediation=(
        "Remove NSAllowsArbitraryLoads; serve every endpoint over HTTPS with TLS 1.2+, and "
        "where a legacy host must stay on HTTP, allow only that domain in NSExceptionDomains.",
        "删除 NSAllowsArbitraryLoads;所有接口使用 TLS 1.2 及以上的 HTTPS,确需明文访问的旧主机"
        "仅在 NSExceptionDomains 中单独放行该域名。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[319],
    masvs=["MASVS-NETWORK-1"],
    owasp=["M5"],
    gbt_34975=[GBT_COMMUNICATION],
    references=(
        "https://developer.apple.com/documentation/bundleresources/information_property_list/nsapptransportsecurity",
    ),
)
def ats_arbitrary_loads(ctx: CheckContext) -> Iterator[Finding]:
    f = facts(ctx)
    ats = f.ats
    flags = [
        (ats.arbitrary_loads, "NSAllowsArbitraryLoads", Severity.HIGH),
        (ats.arbitrary_loads_web, "NSAllowsArbitraryLoadsInWebContent", Severity.MEDIUM),
        (ats.arbitrary_loads_media, "NSAllowsArbitraryLoadsForMedia", Severity.LOW),
    ]
    for on, key, severity in flags:
        if on:
            yield ctx.file_finding(
                f.info_path,
                evidence=excerpt(ATS_KEY, ats.raw),
                key=key,
                severity=severity,
                message=Text(f"{key} = true", f"{key} = true"),
            )


@check(
    "ios.network.ats-insecure-exception",
    title=("ATS exception weakens transport security", "ATS 例外域名降低了传输安全"),
    description=(
        "An NSExceptionDomains entry allows plain HTTP to a domain, accepts TLS below 1.2, or "
        "drops forward secrecy: traffic with that domain (and its subdomains, if included) "
        "can be read or altered on the network.",
        "NSExceptionDomains 中的条目允许对某域名使用明文 HTTP、接受低于 1.2 的 TLS 或放弃前向保密:"
        "与该域名(及其子域名,若包含)的通信可能在网络上被读取或篡改。",
    ),
    remediation=(
        "Move the domain to HTTPS with TLS 1.2+ and forward secrecy, then delete the exception.",
        "将该域名迁移到支持 TLS 1.2+ 与前向保密的 HTTPS,然后删除该例外。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[319, 757],
    masvs=["MASVS-NETWORK-1"],
    owasp=["M5"],
    gbt_34975=[GBT_COMMUNICATION],
)
def ats_insecure_exception(ctx: CheckContext) -> Iterator[Finding]:
    f = facts(ctx)
    for e in f.ats.exceptions:
        problems = []
        if e.insecure_http:
            problems.append(("plain HTTP allowed", "允许明文 HTTP"))
        if e.min_tls in WEAK_TLS:
            problems.append((f"minimum TLS {e.min_tls}", f"最低 TLS 版本 {e.min_tls}"))
        if not e.forward_secrecy:
            problems.append(("forward secrecy not required", "不要求前向保密"))
        if not problems:
            continue
        scope = " and subdomains" if e.include_subdomains else ""
        yield ctx.file_finding(
            f.info_path,
            evidence=excerpt(f"{ATS_KEY}.NSExceptionDomains.{e.domain}", e.to_json()),
            key=e.domain,
            message=Text(
                f"{e.domain}{scope}: " + ", ".join(p[0] for p in problems),
                f"{e.domain}{'及其子域名' if scope else ''}:" + "、".join(p[1] for p in problems),
            ),
        )


@check(
    "ios.network.cleartext-url",
    title=("Plain-HTTP URL in the app", "应用中存在明文 HTTP 地址"),
    description=(
        "A http:// or ws:// URL is compiled into the app. If the app connects to it, data "
        "(and any credentials in the URL) travel unencrypted. URLs to the device itself "
        "(localhost) are reported with low severity: a test endpoint left in a release.",
        "应用中编译进了 http:// 或 ws:// 地址。若应用连接该地址,数据(以及地址中的凭证)将以明文传输。"
        "指向本机(localhost)的地址以低严重性报告:发布版本中遗留的测试接口。",
    ),
    remediation=(
        "Use https:// (wss://) for every endpoint and never put credentials in URLs.",
        "所有接口使用 https://(wss://),且不要在 URL 中携带凭证。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[319],
    masvs=["MASVS-NETWORK-1"],
    owasp=["M5"],
    gbt_34975=[GBT_COMMUNICATION],
)
def cleartext_url(ctx: CheckContext) -> Iterator[Finding]:
    f = facts(ctx)
    seen: set[str] = set()
    for u in f.urls:
        low = u.text.lower()
        if not low.startswith(("http://", "ws://")) or u.text in seen:
            continue
        host = low.split("://", 1)[1].split("/")[0].split("?")[0].rsplit("@", 1)[-1]
        host = host.split(":")[0] if not host.startswith("[") else host
        if not host or host in IOS_NAMESPACE_HOSTS or host.startswith("%"):
            continue
        seen.add(u.text)
        local = host in LOCAL_HOSTS or host.startswith("127.")
        creds = any(k in low for k in ("password=", "passwd=", "pwd=", "token=", "secret="))
        note_en = " (carries credentials)" if creds else ""
        note_zh = "(携带凭证)" if creds else ""
        yield ctx.file_finding(
            u.file,
            evidence=u.text[:300],
            key=u.text,
            severity=Severity.LOW if local and not creds else None,
            confidence=Confidence.HIGH if creds else None,
            message=Text(f"{u.text[:200]}{note_en}", f"{u.text[:200]}{note_zh}"),
        )
        if len(seen) >= MAX_URL_FINDINGS:
            return
