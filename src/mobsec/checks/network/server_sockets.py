"""Servers the app opens on the device: a listening socket is an entry point for anyone.

A ``ServerSocket`` created with only a port (or a null bind address) listens on every
interface: other devices on the same Wi-Fi reach it, not only apps on the phone. An
abstract-namespace ``LocalServerSocket`` has no file permissions: every app on the device
can connect. Embedded HTTP servers (NanoHTTPD with a port only or the host "0.0.0.0",
Netty's ``ServerBootstrap.bind(port)``) do the same, and so does an unbound ``ServerSocket``
later bound to ``new InetSocketAddress(port)``. What the server then exposes is the app's
own protocol — the finding names the place to review it. A server bound to the loopback
address is the twin: reachable from this device only.

For ``ServerSocket`` and ``LocalServerSocket`` the connection handling is read too
(:mod:`mobsec.facts.effects.server`, the walk of the exported-component analysis): when the
accept loop is seen and reaches no sensitive effect (no PI source, read of app data,
command, write, settings change...), the finding is an info note naming what it sends
(RotationAgent's ``println(rotation * 90)``); otherwise it names the first effect.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext, java_name
from mobsec.checks.network._common import GBT_COMMUNICATION
from mobsec.checks.registry import check
from mobsec.checks.storage._common import callee_of, int_constants, is_null, site_args, site_flow
from mobsec.facts.dataflow import Value
from mobsec.facts.effects.server import server_effects
from mobsec.ingest.dex import CodeSite
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._addresses import addresses, host_of

SERVER_SOCKET = "Ljava/net/ServerSocket;"
LOCAL_SERVER_SOCKET = "Landroid/net/LocalServerSocket;"
NANOHTTPD = "Lfi/iki/elonen/NanoHTTPD;"
# ServerSocket constructors: (port), (port, backlog) listen everywhere; with a bind address
# it depends on that address.
PORT_ONLY = ("(I)V", "(II)V")
WITH_ADDRESS = "(IILjava/net/InetAddress;)V"
NETTY_SERVER = "Lio/netty/bootstrap/ServerBootstrap;"
# bind overloads that take a SocketAddress (ServerSocket and Netty alike): its position.
SOCKET_ADDRESS_BINDS = ("(Ljava/net/SocketAddress;)", "(Ljava/net/SocketAddress;I)")


@check(
    "android.network.server-socket-exposed",
    title=("Server socket open to other devices or apps", "服务端套接字对其他设备或应用开放"),
    description=(
        "The app listens for connections: a ServerSocket (or an embedded HTTP server) bound to "
        "all interfaces is reachable from other devices on the same network, and an "
        "abstract-namespace LocalServerSocket from every app on the device. Whatever the "
        "server does for a client — files, commands, data — it does for anyone who connects, "
        "unless it authenticates them.",
        "应用在监听连接:绑定到所有网络接口的 ServerSocket(或内嵌 HTTP 服务器)可被同一网络中的其他"
        "设备访问,抽象命名空间的 LocalServerSocket 可被设备上的任何应用访问。服务器为客户端做的"
        "一切(文件、命令、数据)都会为任何连接者去做,除非它对连接方进行认证。",
    ),
    remediation=(
        "Bind to the loopback address (InetAddress.getLoopbackAddress()) when only this "
        "device needs the server, authenticate every client (a per-session secret), and for "
        "local IPC prefer a bound Service or a filesystem socket with file permissions.",
        "仅本机使用时绑定回环地址(InetAddress.getLoopbackAddress()),对每个客户端进行认证"
        "(每次会话的密钥);本地进程间通信优先使用绑定服务或带文件权限的文件系统套接字。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[1327, 306],
    masvs=["MASVS-NETWORK-1", "MASVS-PLATFORM-1"],
    owasp=["M3", "M8"],
    gbt_34975=GBT_COMMUNICATION,
)
def server_socket_exposed(ctx: CheckContext) -> Iterator[Finding]:
    for proto in (*PORT_ONLY, WITH_ADDRESS):
        for site in ctx.code.call_sites(SERVER_SOCKET, "<init>", proto):
            args = site_args(site)
            if proto == WITH_ADDRESS and (
                args is None or not _all_interfaces(ctx.facts.values.arg_values(site, 3))
            ):
                continue  # bound to an address we cannot tell, or to loopback
            port = _port(ctx, site)
            yield _judged(
                ctx,
                site,
                SERVER_SOCKET,
                f"server-socket:{proto}",
                Text(
                    f"ServerSocket{port} listens on all interfaces (other devices can connect)",
                    f"ServerSocket{port} 监听所有网络接口(其他设备可连接)",
                ),
            )
    for site in ctx.code.call_sites(NANOHTTPD, "<init>", "(I)V"):
        port = _port(ctx, site)
        yield ctx.code_finding(
            site,
            key="nanohttpd",
            message=Text(
                f"NanoHTTPD{port} started without a host name: listens on all interfaces",
                f"NanoHTTPD{port} 未指定主机名启动:监听所有网络接口",
            ),
        )
    for site in ctx.code.call_sites(NANOHTTPD, "<init>", "(Ljava/lang/String;I)V"):
        if site.caller.class_desc == NANOHTTPD:
            continue  # NanoHTTPD(port) delegating to this(null, port): reported at its caller
        hosts = host_of(ctx.facts.values, ctx.facts.values.arg(site, 1))
        if hosts and all(h is None or h in ("0.0.0.0", "::") for h in hosts):
            yield ctx.code_finding(
                site,
                key="nanohttpd-host",
                message=Text(
                    f"NanoHTTPD{_port(ctx, site, 2)} started on every interface (host "
                    f"{hosts[0] or 'null'})",
                    f"NanoHTTPD{_port(ctx, site, 2)} 在所有网络接口上启动(主机 {hosts[0] or 'null'})",
                ),
            )
    yield from _bound_everywhere(ctx)
    for site in ctx.code.call_sites(LOCAL_SERVER_SOCKET, "<init>", "(Ljava/lang/String;)V"):
        args = site_args(site)
        names = sorted(t for v in (args[1] if args else ()) if (t := v.text()) is not None)
        shown = f' "{names[0]}"' if len(names) == 1 else ""
        yield _judged(
            ctx,
            site,
            LOCAL_SERVER_SOCKET,
            "local-server-socket",
            Text(
                f"LocalServerSocket{shown} in the abstract namespace: any app can connect",
                f"抽象命名空间的 LocalServerSocket{shown}:任何应用都可连接",
            ),
        )


def _judged(ctx: CheckContext, site: CodeSite, server: str, key: str, message: Text) -> Finding:
    """The finding with what its connection handling can do (:mod:`mobsec.facts.effects.
    server`): a server whose accept loop reaches no sensitive effect is an info note that
    says what it sends; otherwise the first effect is named, as for exported components."""
    handled = server_effects(ctx.facts, site, server)
    severity = None
    if handled.harmless:
        sends = handled.exposes() or "nothing the analysis can name"
        severity = Severity.INFO
        message = Text(
            f"{message.en}; its connection handling reaches no sensitive effect and sends "
            f"only {sends}",
            f"{message.zh};其连接处理代码未发现敏感操作,仅发送 {sends}",
        )
    elif handled.accepts:
        more = handled.effects.summary()
        message = Text(message.en + more[0], message.zh + more[1])
    finding = ctx.code_finding(site, key=key, message=message, severity=severity)
    shown = handled.effects.evidence() if handled.accepts else ""
    if shown and not ctx.full:
        finding.evidence = f"{finding.evidence}\n{shown}" if finding.evidence else shown
    return finding


def _bound_everywhere(ctx: CheckContext) -> Iterator[Finding]:
    """``bind`` calls that listen on every interface: Netty's ``ServerBootstrap.bind(port)``,
    and ``bind(new InetSocketAddress(port))`` on a ServerSocket or a ServerBootstrap."""
    va = ctx.facts.values
    for site in ctx.code.call_sites(NETTY_SERVER, "bind", "(I)Lio/netty/channel/ChannelFuture;"):
        handler = _netty_handler(site)
        serves = f", serving {handler}" if handler else ""
        serves_zh = f",由 {handler} 处理请求" if handler else ""
        yield ctx.code_finding(
            site,
            key="netty-bind",
            message=Text(
                f"Netty ServerBootstrap.bind{_port(ctx, site)} listens on all interfaces "
                f"(other devices can connect){serves}",
                f"Netty ServerBootstrap.bind{_port(ctx, site)} 监听所有网络接口(其他设备可连接)"
                f"{serves_zh}",
            ),
        )
    for cls, what in ((SERVER_SOCKET, "ServerSocket"), (NETTY_SERVER, "Netty ServerBootstrap")):
        for site in ctx.code.call_sites(cls, "bind"):
            if not site_proto(site).startswith(SOCKET_ADDRESS_BINDS):
                continue
            got = addresses(va, va.arg(site, 1))
            if not got or not all(a.wildcard for a in got):
                continue  # loopback, a named host, or unknown
            message = Text(
                f"{what}.bind({got[0].shown()}) listens on all interfaces "
                "(other devices can connect)",
                f"{what}.bind({got[0].shown()}) 监听所有网络接口(其他设备可连接)",
            )
            if cls == SERVER_SOCKET:
                yield _judged(ctx, site, cls, f"bind:{what}", message)
            else:
                yield ctx.code_finding(site, key=f"bind:{what}", message=message)


def _netty_handler(site: CodeSite) -> str | None:
    """What the server exposes: the class of the handler given to ``childHandler`` in the
    method that binds (Netty's pipeline of the app's own request handlers)."""
    flow = site_flow(site)
    if flow is None:
        return None
    for c in flow.invokes():
        if c.callee.name == "childHandler" and c.callee.class_desc == NETTY_SERVER:
            args = flow.args_at(c.offset)
            made = {v.data for v in (args[1] if len(args) > 1 else ()) if v.kind == "new"}
            if len(made) == 1:
                return java_name(str(made.pop()))
    return None


def site_proto(site: CodeSite) -> str:
    ref = callee_of(site)
    return ref.proto if ref is not None else ""


def _port(ctx: CheckContext, site: CodeSite, position: int = 1) -> str:
    """' (port 8080)' when the port is one known constant (a caller's, a field's...)."""
    ports = int_constants(ctx.facts.values.arg_values(site, position))
    return f" (port {ports[0]})" if ports and len(ports) == 1 else ""


def _all_interfaces(address: frozenset[Value]) -> bool:
    """A null bind address means every interface; a real address (loopback, or one the
    analysis cannot name) is not reported."""
    return is_null(address)
