"""Plain TCP sockets to a remote host: whatever the app sends or receives there is cleartext.

``new Socket(host, port)`` and ``socket.connect(new InetSocketAddress(host, port))`` open a
TCP connection with no TLS. Network security configs and ``usesCleartextTraffic`` do not
apply to raw sockets, so the cleartext-URL checks never see them. Reported only when the
host is a known constant (followed across methods) that is not this device; a socket the
same method hands to ``SSLSocketFactory.createSocket(socket, ...)`` is TLS after all.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.checks.storage._common import callee_of, site_flow
from mobsec.ingest.dex import CodeSite
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._addresses import Address, addresses, host_of, port_of
from ._common import GBT_COMMUNICATION

SOCKET = "Ljava/net/Socket;"
# Socket constructors that connect at once: the host (String or InetAddress) is argument 1,
# the port argument 2.
CONNECTING_INITS = (
    "(Ljava/lang/String;I)V",
    "(Ljava/lang/String;IZ)V",
    "(Ljava/lang/String;ILjava/net/InetAddress;I)V",
    "(Ljava/net/InetAddress;I)V",
    "(Ljava/net/InetAddress;IZ)V",
    "(Ljava/net/InetAddress;ILjava/net/InetAddress;I)V",
)
CONNECTS = ("(Ljava/net/SocketAddress;)V", "(Ljava/net/SocketAddress;I)V")
# A method that layers TLS over the socket it made (SSLSocketFactory.createSocket(Socket,
# host, port, autoClose)) or is itself about TLS.
TLS_LAYERING = ("createSocket", "startHandshake", "wrap")


@check(
    "android.network.plain-socket",
    title=("Plain TCP socket to a remote host", "使用明文 TCP 套接字连接远程主机"),
    description=(
        "The app opens a TCP socket (java.net.Socket) to a fixed remote host without TLS. "
        "Everything sent or received on it crosses the network in cleartext: anyone on the "
        "same Wi-Fi, a hostile access point or an operator can read it and change it. The "
        "network security config and usesCleartextTraffic do not cover raw sockets, so "
        "nothing on the device blocks it.",
        "应用在未使用 TLS 的情况下打开到固定远程主机的 TCP 套接字(java.net.Socket)。通过它收发"
        "的一切都以明文在网络上传输:同一 Wi-Fi 中的任何人、恶意热点或运营商都能读取并篡改。网络"
        "安全配置和 usesCleartextTraffic 不管理原始套接字,设备上没有任何机制会阻止它。",
    ),
    remediation=(
        "Use TLS: SSLSocketFactory.getDefault().createSocket(host, port) (or wrap the socket "
        "with createSocket(socket, host, port, true)), verify the host name, and pin the "
        "server's key where the protocol is the app's own.",
        "使用 TLS:SSLSocketFactory.getDefault().createSocket(host, port)(或用 createSocket(socket, "
        "host, port, true) 包装套接字),校验主机名;对应用自有协议固定服务器公钥。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[319],
    masvs=["MASVS-NETWORK-1"],
    owasp=["M5"],
    gbt_34975=GBT_COMMUNICATION,
)
def plain_socket(ctx: CheckContext) -> Iterator[Finding]:
    va = ctx.facts.values
    for proto in CONNECTING_INITS:
        for site in ctx.code.call_sites(SOCKET, "<init>", proto):
            hosts = host_of(va, va.arg(site, 1))
            if hosts is None:
                continue
            port = port_of(va, va.arg(site, 2))
            yield from _report(ctx, site, [Address(h, port) for h in hosts], "new Socket")
    # Exactly java.net.Socket: an SSLSocket's connect names SSLSocket (its static type).
    for site in ctx.code.call_sites(SOCKET, "connect"):
        ref = callee_of(site)
        if ref is None or ref.proto not in CONNECTS:
            continue
        got = addresses(va, va.arg(site, 1))
        if got is not None:
            yield from _report(ctx, site, got, "Socket.connect")


def _report(
    ctx: CheckContext, site: CodeSite, targets: list[Address], what: str
) -> Iterator[Finding]:
    remote = [a for a in targets if not a.wildcard and not a.loopback]
    if not remote or len(remote) != len(targets) or _layers_tls(site):
        return
    where = remote[0].shown()
    yield ctx.code_finding(
        site,
        key=f"{what}:{where}",
        message=Text(
            f"{what} to {where} without TLS (cleartext TCP)",
            f"{what} 连接 {where},未使用 TLS(明文 TCP)",
        ),
    )


def _layers_tls(site: CodeSite) -> bool:
    flow = site_flow(site)
    return flow is None or any(
        c.callee.name in TLS_LAYERING and "ssl" in c.callee.class_desc.lower()
        for c in flow.invokes()
    )
