"""Plain-http URLs that reach an API which connects (URL, OkHttp, Retrofit, Volley, Apache, WebView).

A string "http://..." somewhere in the app proves nothing (XML namespaces, documentation,
link detection). What counts is a constant URL that the data flow carries into a
connecting API's argument (const-string -> register -> argument, concatenations with a
constant prefix included). The finding is then weighed against the app's cleartext policy:
a request that Android blocks on every device the app supports is no finding; one blocked
only on newer devices is reported at low severity.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from mobsec.checks.context import CheckContext
from mobsec.checks.network._common import GBT_COMMUNICATION
from mobsec.checks.network._hierarchy import subtypes
from mobsec.checks.registry import check
from mobsec.facts.dataflow import Value
from mobsec.facts.network_config import NetworkConfig, network_config
from mobsec.facts.values import Reached, ValueAnalysis, provenance, provenance_zh
from mobsec.ingest.dex import CodeSite, DexSet
from mobsec.report.model import Confidence, Finding, Severity, Text

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts

STRING = "Ljava/lang/String;"
WEBVIEW = "Landroid/webkit/WebView;"
CLEARTEXT_SCHEMES = ("http://", "ws://")
# Hosts that never leave the device (or the emulator's host loopback alias).
LOCAL_HOSTS = frozenset({"localhost", "0.0.0.0", "10.0.2.2", "10.0.3.2", "[::1]", "::1"})
# Namespace and schema URIs: identifiers, never fetched.
NAMESPACE_HOSTS = frozenset(
    {
        "schemas.android.com",
        "www.w3.org",
        "xmlpull.org",
        "ns.adobe.com",
        "schemas.xmlsoap.org",
        "schemas.microsoft.com",
        "purl.org",
        "xml.org",
        "www.xml.org",
        "java.sun.com",
        "apache.org",
    }
)
MAX_SITES = 5_000  # per sink; beyond that the app is not one a reviewer reads anyway
MAX_FINDINGS = 500


class Sink(NamedTuple):
    class_desc: str
    name: str
    proto: str | None  # None: every overload; then every String argument counts
    label: str


SINKS = (
    Sink("Ljava/net/URL;", "<init>", f"({STRING})V", "new URL"),
    Sink("Lokhttp3/Request$Builder;", "url", f"({STRING})Lokhttp3/Request$Builder;", "OkHttp"),
    Sink(
        "Lcom/squareup/okhttp/Request$Builder;",
        "url",
        f"({STRING})Lcom/squareup/okhttp/Request$Builder;",
        "OkHttp 2",
    ),
    Sink(
        "Lretrofit2/Retrofit$Builder;",
        "baseUrl",
        f"({STRING})Lretrofit2/Retrofit$Builder;",
        "Retrofit",
    ),
    Sink("Lretrofit/RestAdapter$Builder;", "setEndpoint", None, "Retrofit 1"),
    Sink("Lcom/android/volley/toolbox/StringRequest;", "<init>", None, "Volley"),
    Sink("Lcom/android/volley/toolbox/JsonObjectRequest;", "<init>", None, "Volley"),
    Sink("Lcom/android/volley/toolbox/JsonArrayRequest;", "<init>", None, "Volley"),
    Sink("Lcom/android/volley/toolbox/JsonRequest;", "<init>", None, "Volley"),
    Sink("Lcom/android/volley/toolbox/ImageRequest;", "<init>", None, "Volley"),
    Sink("Lcom/android/volley/Request;", "<init>", None, "Volley"),
    *(
        Sink(f"Lorg/apache/http/client/methods/{m};", "<init>", f"({STRING})V", f"Apache {m}")
        for m in (
            "HttpGet",
            "HttpPost",
            "HttpPut",
            "HttpDelete",
            "HttpHead",
            "HttpPatch",
            "HttpOptions",
        )
    ),
)
WEBVIEW_METHODS = ("loadUrl", "postUrl")


class CleartextUrl(NamedTuple):
    url: str  # the constant text (a prefix when the rest is computed)
    host: str  # "" when the host itself is computed
    complete: bool


@check(
    "android.network.cleartext-url",
    title=("Connection over plain HTTP", "通过明文 HTTP 连接"),
    description=(
        "A constant http:// (or ws://) URL reaches an API that connects to it. Whatever "
        "the app sends and receives there — credentials, tokens, personal data, code or "
        "pages to display — can be read and changed by anyone on the network path.",
        "常量 http://(或 ws://)URL 被传入发起连接的 API。应用在该连接上收发的任何内容(凭证、"
        "令牌、个人信息、代码或要显示的页面)都可能被网络路径上的任何人读取和篡改。",
    ),
    remediation=(
        "Use https:// for every endpoint and keep cleartext off (targetSdk 28+ default, or "
        'cleartextTrafficPermitted="false" in network_security_config).',
        "所有接口使用 https://,并保持禁止明文(targetSdk 28 及以上的默认值,或在 "
        'network_security_config 中设置 cleartextTrafficPermitted="false")。',
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=[319],
    masvs=["MASVS-NETWORK-1"],
    owasp=["M5"],
    gbt_34975=GBT_COMMUNICATION,
)
def cleartext_url(ctx: CheckContext) -> Iterator[Finding]:
    cfg = network_config(ctx.facts)
    m = ctx.manifest
    min_sdk = m.min_sdk if m is not None else 1
    declared_off = m is not None and m.application.uses_cleartext_traffic_declared is False
    produced = 0
    for use in sink_uses(ctx.facts):
        for found, reached in use.urls:
            if is_local(found.host):
                continue
            weight = _weigh(cfg, min_sdk, declared_off, found)
            if weight is None:
                continue
            severity, en_policy, zh_policy = weight
            sink = use.sink
            yield ctx.code_finding(
                use.site,
                key=found.url,
                severity=severity,
                confidence=None if found.complete else Confidence.MEDIUM,
                message=Text(
                    f"{sink.label}: cleartext URL {found.url!r}{'' if found.complete else ' + …'}"
                    f"{provenance(reached)}; {en_policy}",
                    f"{sink.label}:明文 URL {found.url!r}{'' if found.complete else ' + …'}"
                    f"{provenance_zh(reached)};{zh_policy}",
                ),
            )
            produced += 1
            if produced >= MAX_FINDINGS:
                return


class SinkUse(NamedTuple):
    """A call that connects, with the cleartext URLs that reach it (loopback included)
    and whether some URL reaching it is made at run time (no constant text or prefix)."""

    sink: Sink
    site: CodeSite
    urls: list[tuple[CleartextUrl, Reached]]
    runtime: bool


def sink_uses(facts: AppFacts) -> list[SinkUse]:
    """Every connecting call of the app and the URLs it gets, computed once per app (the
    cleartext-url check and the cleartext-policy checks share it)."""

    def build() -> list[SinkUse]:
        out = []
        for sink, site in _sink_sites(facts.code):
            urls, runtime = _urls_at(facts.values, sink, site)
            out.append(SinkUse(sink, site, urls, runtime))
        return out

    return facts.memo(("network", "cleartext sink uses"), build)


def is_local(host: str) -> bool:
    """A host that never leaves the device (or the emulator's alias for its host)."""
    return host in LOCAL_HOSTS or host.startswith("127.")


def _sink_sites(code: DexSet) -> Iterator[tuple[Sink, CodeSite]]:
    for sink in SINKS:
        for site in code.call_sites(sink.class_desc, sink.name, sink.proto)[:MAX_SITES]:
            yield sink, site
    # WebView subclasses call loadUrl through their own class in the method reference.
    for desc in (WEBVIEW, *subtypes(code, (WEBVIEW,))):
        for name in WEBVIEW_METHODS:
            sink = Sink(desc, name, None, f"WebView.{name}")
            for site in code.call_sites(desc, name)[:MAX_SITES]:
                yield sink, site


def _urls_at(
    values: ValueAnalysis, sink: Sink, site: CodeSite
) -> tuple[list[tuple[CleartextUrl, Reached]], bool]:
    callee = _callee_proto(site)
    if callee is None:
        return [], True
    out: dict[str, tuple[CleartextUrl, Reached]] = {}
    runtime = False
    for pos in _string_positions(callee, sink):
        reached = values.arg(site, pos)
        runtime = runtime or not reached
        for r in reached:
            found_texts = _texts(r.value)
            runtime = runtime or not found_texts
            for text, complete in found_texts:
                found = _cleartext(text, complete)
                if found is not None:
                    out.setdefault(found.url, (found, r))
    return list(out.values()), runtime


def _callee_proto(site: CodeSite) -> str | None:
    for ref in site.dex.invokes_in(site.caller_idx):
        if ref.offset == site.offset:
            return site.dex.method_ref(ref.target).proto
    return None


def _string_positions(proto: str, sink: Sink) -> list[int]:
    """Argument positions (receiver = 0) that carry the URL."""
    params = _param_types(proto)
    if sink.proto is not None or sink.name in WEBVIEW_METHODS:
        return [1] if params and params[0] == STRING else []
    return [i + 1 for i, t in enumerate(params) if t == STRING]


def _param_types(proto: str) -> list[str]:
    inside = proto[1 : proto.find(")")] if proto.startswith("(") else ""
    out, i = [], 0
    while i < len(inside) and len(out) < 255:
        j = i
        while j < len(inside) and inside[j] == "[":
            j += 1
        if j < len(inside) and inside[j] == "L":
            end = inside.find(";", j)
            if end < 0:
                break
            j = end
        out.append(inside[i : j + 1])
        i = j + 1
    return out


def _texts(v: Value) -> list[tuple[str, bool]]:
    """(constant text, whether it is the whole value) for a value reaching the sink (fields,
    getters and callers already resolved by the value analysis)."""
    t = v.text()
    if t is not None:
        return [(t, True)]
    if v.kind == "concat" and isinstance(v.data, tuple) and v.data:
        # The constant prefix: "http://host/" + id
        prefix = []
        for part in v.data:
            pt = part.text() if isinstance(part, Value) else None
            if pt is None:
                break
            prefix.append(pt)
        if prefix:
            return [("".join(prefix), False)]
    return []


def _cleartext(text: str, complete: bool) -> CleartextUrl | None:
    low = text.strip().lower()
    scheme = next((s for s in CLEARTEXT_SCHEMES if low.startswith(s)), None)
    if scheme is None:
        return None
    rest = low[len(scheme) :]
    end = len(rest)
    for sep in "/?#":
        k = rest.find(sep)
        if k >= 0:
            end = min(end, k)
    authority = rest[:end].rsplit("@", 1)[-1]
    host_complete = complete or end < len(rest) or ":" in authority
    host = authority
    if host.startswith("["):
        host = host[: host.find("]") + 1] if "]" in host else host
    else:
        host = host.split(":", 1)[0]
    if not host_complete:
        host = ""  # "http://" + computed host, or "http://api." + ...
    if host in NAMESPACE_HOSTS:
        return None
    return CleartextUrl(text.strip()[:200], host, complete)


def _weigh(
    cfg: NetworkConfig, min_sdk: int, manifest_declared_off: bool, found: CleartextUrl
) -> tuple[Severity, str, str] | None:
    """Severity and a policy note, or None when Android blocks it on every supported device."""
    permitted, why = (
        cfg.cleartext_permitted(found.host)
        if found.host
        else (
            cfg.base_cleartext,
            cfg.base_cleartext_reason,
        )
    )
    if permitted:
        return (
            Severity.MEDIUM,
            f"cleartext is permitted ({why.en})",
            f"明文通信被允许({why.zh})",
        )
    # Devices older than the policy's first level ignore it and send the request.
    if cfg.has_file:
        blocked_from = 24
    elif manifest_declared_off:
        blocked_from = 23  # usesCleartextTraffic="false" is honoured from Android 6
    else:
        blocked_from = 28
    if min_sdk >= blocked_from:
        return None
    return (
        Severity.LOW,
        f"blocked on Android {blocked_from}+ ({why.en}) but sent in clear on older devices "
        f"(minSdk {min_sdk})",
        f"在 Android {blocked_from} 及以上被阻止({why.zh}),但在更旧的设备上以明文发送(minSdk {min_sdk})",
    )
