"""Servers the app opens on the device: a listening socket is an entry point for anyone.

A ``ServerSocket`` created with only a port (or a null bind address) listens on every
interface: other devices on the same Wi-Fi reach it, not only apps on the phone. An
abstract-namespace ``LocalServerSocket`` has no file permissions: every app on the device
can connect. Embedded HTTP servers (NanoHTTPD with a port only) do the same. What the
server then exposes is the app's own protocol — the finding names the place to review it.
A server bound to the loopback address is the twin: reachable from this device only.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.network._common import GBT_COMMUNICATION
from mobsec.checks.registry import check
from mobsec.checks.storage._common import int_constants, is_null, site_args
from mobsec.facts.dataflow import Value
from mobsec.ingest.dex import CodeSite
from mobsec.report.model import Confidence, Finding, Severity, Text

SERVER_SOCKET = "Ljava/net/ServerSocket;"
LOCAL_SERVER_SOCKET = "Landroid/net/LocalServerSocket;"
NANOHTTPD = "Lfi/iki/elonen/NanoHTTPD;"
# ServerSocket constructors: (port), (port, backlog) listen everywhere; with a bind address
# it depends on that address.
PORT_ONLY = ("(I)V", "(II)V")
WITH_ADDRESS = "(IILjava/net/InetAddress;)V"


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
            yield ctx.code_finding(
                site,
                key=f"server-socket:{proto}",
                message=Text(
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
    for site in ctx.code.call_sites(LOCAL_SERVER_SOCKET, "<init>", "(Ljava/lang/String;)V"):
        args = site_args(site)
        names = sorted(t for v in (args[1] if args else ()) if (t := v.text()) is not None)
        shown = f' "{names[0]}"' if len(names) == 1 else ""
        yield ctx.code_finding(
            site,
            key="local-server-socket",
            message=Text(
                f"LocalServerSocket{shown} in the abstract namespace: any app can connect",
                f"抽象命名空间的 LocalServerSocket{shown}:任何应用都可连接",
            ),
        )


def _port(ctx: CheckContext, site: CodeSite) -> str:
    """' (port 8080)' when the port is one known constant (a caller's, a field's...)."""
    ports = int_constants(ctx.facts.values.arg_values(site, 1))
    return f" (port {ports[0]})" if ports and len(ports) == 1 else ""


def _all_interfaces(address: frozenset[Value]) -> bool:
    """A null bind address means every interface; a real address (loopback, or one the
    analysis cannot name) is not reported."""
    return is_null(address)
