"""Framework and library APIs that switch TLS verification off by design.

Each is found by a query for the API itself (a field read, a new-instance, a call site), so
the finding sits on the instruction that takes the insecure object.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext, java_name
from mobsec.checks.network._common import GBT_COMMUNICATION, SSL_ERROR_HANDLER, WEBVIEW_CLIENT
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text

NEW_INSTANCE = 0x22
APACHE_SSL = "Lorg/apache/http/conn/ssl/"
# (class, static field) holding an accept-all verifier
ALLOW_ALL_FIELDS = (
    (APACHE_SSL + "SSLSocketFactory;", "ALLOW_ALL_HOSTNAME_VERIFIER"),
    (APACHE_SSL + "NoopHostnameVerifier;", "INSTANCE"),  # httpclient 4.4+
    ("Lcz/msebera/android/httpclient/conn/ssl/SSLSocketFactory;", "ALLOW_ALL_HOSTNAME_VERIFIER"),
    ("Lcz/msebera/android/httpclient/conn/ssl/NoopHostnameVerifier;", "INSTANCE"),
)
ALLOW_ALL_CLASSES = (
    APACHE_SSL + "AllowAllHostnameVerifier;",
    APACHE_SSL + "NoopHostnameVerifier;",
    "Lcz/msebera/android/httpclient/conn/ssl/AllowAllHostnameVerifier;",
    "Lcz/msebera/android/httpclient/conn/ssl/NoopHostnameVerifier;",
)
SSL_CERT_FACTORY = "Landroid/net/SSLCertificateSocketFactory;"
INET_ADDRESS_PROTOS = (
    "(Ljava/net/InetAddress;I)Ljava/net/Socket;",
    "(Ljava/net/InetAddress;ILjava/net/InetAddress;I)Ljava/net/Socket;",
)
SSL_ERROR_PROTO = (
    "(Landroid/webkit/WebView;Landroid/webkit/SslErrorHandler;Landroid/net/http/SslError;)V"
)


@check(
    "android.network.allow-all-hostname-verifier",
    title=("Accept-all hostname verifier used", "使用了接受任意主机名的校验器"),
    description=(
        "The code takes Apache HttpClient's ALLOW_ALL_HOSTNAME_VERIFIER, an "
        "AllowAllHostnameVerifier or a NoopHostnameVerifier. They accept a certificate for "
        "any host name, so anyone with a valid certificate for their own domain can "
        "impersonate the server.",
        "代码使用了 Apache HttpClient 的 ALLOW_ALL_HOSTNAME_VERIFIER、AllowAllHostnameVerifier 或 "
        "NoopHostnameVerifier。它们接受为任意主机名签发的证书,持有自己域名有效证书的任何人都能冒充"
        "服务器。",
    ),
    remediation=(
        "Use the default (strict) hostname verification; Apache HttpClient on Android is "
        "deprecated — move to HttpsURLConnection or OkHttp with their defaults.",
        "使用默认(严格)主机名校验;Android 上的 Apache HttpClient 已弃用,请改用默认配置的 "
        "HttpsURLConnection 或 OkHttp。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[297],
    masvs=["MASVS-NETWORK-1"],
    owasp=["M5"],
    gbt_34975=GBT_COMMUNICATION,
)
def allow_all_hostname_verifier(ctx: CheckContext) -> Iterator[Finding]:
    code = ctx.code
    for cls, name in ALLOW_ALL_FIELDS:
        for site in code.field_reads(cls, name):
            what = f"{java_name(cls)}.{name}"
            yield ctx.code_finding(
                site,
                key=what,
                message=Text(f"reads {what}", f"读取了 {what}"),
            )
    for cls in ALLOW_ALL_CLASSES:
        for site in code.type_refs(cls):
            if site.opcode != NEW_INSTANCE or site.caller.class_desc == cls:
                continue
            what = java_name(cls)
            yield ctx.code_finding(
                site,
                key=what,
                message=Text(f"creates a {what}", f"创建了 {what}"),
            )


@check(
    "android.network.insecure-ssl-socket-factory",
    title=(
        "SSLCertificateSocketFactory without certificate or host name checks",
        "SSLCertificateSocketFactory 未校验证书或主机名",
    ),
    description=(
        "SSLCertificateSocketFactory.getInsecure returns a factory whose sockets accept any "
        "certificate; its createSocket(InetAddress, ...) methods do no host name "
        "verification at all. Either lets a man in the middle read and change the traffic.",
        "SSLCertificateSocketFactory.getInsecure 返回的工厂创建的套接字接受任意证书;其 "
        "createSocket(InetAddress, ...) 方法完全不校验主机名。二者都使中间人能够读取和篡改流量。",
    ),
    remediation=(
        "Use SSLCertificateSocketFactory.getDefault (or SSLSocketFactory.getDefault) and "
        "connect by host name with createSocket(String, int), then verify the host name "
        "with HttpsURLConnection.getDefaultHostnameVerifier().",
        "使用 SSLCertificateSocketFactory.getDefault(或 SSLSocketFactory.getDefault),通过 "
        "createSocket(String, int) 按主机名连接,再用 HttpsURLConnection.getDefaultHostnameVerifier() "
        "校验主机名。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[295, 297],
    masvs=["MASVS-NETWORK-1"],
    owasp=["M5"],
    gbt_34975=GBT_COMMUNICATION,
)
def insecure_ssl_socket_factory(ctx: CheckContext) -> Iterator[Finding]:
    code = ctx.code
    for site in code.call_sites(SSL_CERT_FACTORY, "getInsecure"):
        yield ctx.code_finding(
            site,
            key="getInsecure",
            message=Text(
                "SSLCertificateSocketFactory.getInsecure: every certificate is accepted",
                "SSLCertificateSocketFactory.getInsecure:接受任意证书",
            ),
        )
    for proto in INET_ADDRESS_PROTOS:
        for site in code.call_sites(SSL_CERT_FACTORY, "createSocket", proto):
            yield ctx.code_finding(
                site,
                key="createSocket" + proto,
                severity=Severity.MEDIUM,
                message=Text(
                    "SSLCertificateSocketFactory.createSocket(InetAddress, ...) does no host "
                    "name verification",
                    "SSLCertificateSocketFactory.createSocket(InetAddress, ...) 不校验主机名",
                ),
            )


@check(
    "android.network.webview-ssl-error-proceed",
    title=("WebView ignores TLS errors", "WebView 忽略 TLS 证书错误"),
    description=(
        "WebViewClient.onReceivedSslError calls SslErrorHandler.proceed(), so the WebView "
        "loads the page although its certificate is invalid, expired or for another host: "
        "a man in the middle can serve any content (and scripts) in the app.",
        "WebViewClient.onReceivedSslError 调用了 SslErrorHandler.proceed(),WebView 在证书无效、"
        "过期或不属于该主机时仍加载页面:中间人可以在应用内提供任意内容(包括脚本)。",
    ),
    remediation=(
        "Call handler.cancel() (the default) in onReceivedSslError; fix the server's "
        "certificate or trust its CA through network_security_config instead.",
        "在 onReceivedSslError 中调用 handler.cancel()(默认行为);应修复服务器证书,或通过 "
        "network_security_config 信任其 CA。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[295],
    masvs=["MASVS-NETWORK-1", "MASVS-PLATFORM-2"],
    owasp=["M5"],
    gbt_34975=GBT_COMMUNICATION,
)
def webview_ssl_error_proceed(ctx: CheckContext) -> Iterator[Finding]:
    code = ctx.code
    for site in code.call_sites(SSL_ERROR_HANDLER, "proceed", "()V"):
        caller = site.caller
        in_callback = caller.name == "onReceivedSslError" and caller.proto == SSL_ERROR_PROTO
        if in_callback and code.is_subtype(caller.class_desc, WEBVIEW_CLIENT):
            yield ctx.code_finding(
                site,
                message=Text(
                    "onReceivedSslError proceeds despite the certificate error",
                    "onReceivedSslError 在证书错误时仍继续加载",
                ),
            )
        else:
            # Typically a dialog button that lets the user click through the warning.
            yield ctx.code_finding(
                site,
                severity=Severity.MEDIUM,
                confidence=Confidence.MEDIUM,
                message=Text(
                    f"SslErrorHandler.proceed() is called from {java_name(caller.class_desc)}."
                    f"{caller.name} (outside onReceivedSslError, e.g. after asking the user)",
                    f"在 {java_name(caller.class_desc)}.{caller.name} 中调用了 "
                    "SslErrorHandler.proceed()(不在 onReceivedSslError 内,例如询问用户之后)",
                ),
            )
