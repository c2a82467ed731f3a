"""What socket address a value stands for: a host and port, or "every interface".

A socket is bound or connected to an ``InetSocketAddress`` (or an ``InetAddress`` and a
port) that is usually built a few lines earlier, or in a caller. The value analysis gives
the allocation (``new InetSocketAddress``) or the factory call (``InetAddress.getByName``)
that reaches the use; the constructor or factory arguments, resolved across methods too,
say what it is. Anything else (a parameter nobody passes a constant, a field set from
configuration) is unknown, and the checks stay silent about it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mobsec.checks.storage._common import param_types
from mobsec.facts.dataflow import Value
from mobsec.facts.values import Reached, ValueAnalysis

INET_SOCKET_ADDRESS = "Ljava/net/InetSocketAddress;"
INET_ADDRESS = "Ljava/net/InetAddress;"
STRING = "Ljava/lang/String;"
# Factories whose result is this device only.
LOOPBACK_FACTORIES = ("getLoopbackAddress", "getLocalHost")
NAMED_FACTORIES = ("getByName", "getAllByName")
WILDCARD_HOSTS = ("0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0")
LOOPBACK_HOSTS = ("localhost", "ip6-localhost", "::1", "[::1]", "0:0:0:0:0:0:0:1")


@dataclass(frozen=True, slots=True)
class Address:
    """``host`` None = every interface (a wildcard bind); ``port`` None = not known."""

    host: str | None
    port: int | None

    @property
    def wildcard(self) -> bool:
        return self.host is None or self.host in WILDCARD_HOSTS

    @property
    def loopback(self) -> bool:
        return self.host is not None and (
            self.host.lower() in LOOPBACK_HOSTS or self.host.startswith("127.")
        )

    def shown(self) -> str:
        host = "*" if self.wildcard else self.host
        return f"{host}:{self.port}" if self.port is not None else str(host)


def host_of(va: ValueAnalysis, reached: Iterable[Reached]) -> list[str | None] | None:
    """Hosts an ``InetAddress`` or host ``String`` value stands for (None: the wildcard,
    i.e. ``null``), or None when any of them is not known."""
    out: list[str | None] = []
    for r in reached:
        v = r.value
        if v.kind == "const" and v.data == 0:
            out.append(None)
        elif (t := v.text()) is not None:
            out.append(t)
        elif v.kind == "result" and v.data.class_desc == INET_ADDRESS:  # type: ignore[union-attr]
            name = v.data.name  # type: ignore[union-attr]
            if name in LOOPBACK_FACTORIES:
                out.append("localhost")
            elif name in NAMED_FACTORIES:
                inner = _call_args(va, r, v)
                hosts = host_of(va, inner[0]) if inner else None
                if not hosts:
                    return None
                out.extend(hosts)
            else:
                return None
        else:
            return None
    return out


def addresses(va: ValueAnalysis, reached: Iterable[Reached]) -> list[Address] | None:
    """The socket addresses a ``SocketAddress`` value stands for, or None when unknown."""
    out: list[Address] = []
    for r in reached:
        v = r.value
        if v.kind == "new" and v.data == INET_SOCKET_ADDRESS:
            got = _constructed(va, r, v)
        elif v.kind == "result" and v.data.class_desc == INET_SOCKET_ADDRESS:  # type: ignore[union-attr]
            got = _from_args(va, param_types(v.data.proto), _call_args(va, r, v))  # type: ignore[union-attr]
        else:
            return None
        if got is None:
            return None
        out.extend(got)
    return out or None


def port_of(va: ValueAnalysis, reached: Iterable[Reached]) -> int | None:
    ports = {v.data for r in reached if (v := r.value).kind == "const" and isinstance(v.data, int)}
    return ports.pop() if len(ports) == 1 else None


def _constructed(va: ValueAnalysis, r: Reached, obj: Value) -> list[Address] | None:
    """Arguments of ``new InetSocketAddress(...)`` for the object ``obj``."""
    if r.made_in is None:
        return None
    dex, idx = r.made_in
    flow = va.flow(dex, idx)
    if flow is None:
        return None
    for call in flow.invokes():
        c = call.callee
        if c.class_desc != INET_SOCKET_ADDRESS or c.name != "<init>":
            continue
        args = flow.args_at(call.offset)
        if args and obj in args[0]:
            resolved = [va.resolve(dex, idx, a) for a in args[1:]]
            return _from_args(va, param_types(c.proto), resolved)
    return None


def _from_args(
    va: ValueAnalysis, types: list[str], args: list[list[Reached]]
) -> list[Address] | None:
    """(port) / (String|InetAddress host, port) -> addresses."""
    if len(args) != len(types) or not types or types[-1] != "I":
        return None
    port = port_of(va, args[-1])
    if types == ["I"]:
        return [Address(None, port)]
    if types[0] in (STRING, INET_ADDRESS) and len(types) == 2:
        hosts = host_of(va, args[0])
        return None if hosts is None else [Address(h, port) for h in hosts]
    return None


def _call_args(va: ValueAnalysis, r: Reached, result: Value) -> list[list[Reached]]:
    """Resolved arguments (receiver excluded for static calls: there is none) of the call
    whose result ``result`` is."""
    if r.made_in is None or result.offset is None:
        return []
    dex, idx = r.made_in
    flow = va.flow(dex, idx)
    if flow is None:
        return []
    return [va.resolve(dex, idx, a) for a in flow.args_at(result.offset)]
