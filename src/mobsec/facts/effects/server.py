"""What a listening socket's connection handling can do: the effects its accept loop reaches.

The walk of :mod:`.component` runs from the class whose method creates the server (an
instance exists when that method runs: its constructors and callbacks are followed too, an
over-approximation that can only add effects) and from the creating method itself. The found
calls count as for a content provider (``kind="socket"``): what the handler reads it can
send to the client, and what it starts may carry the client's bytes.

The answer is "harmless" only when the walk also reached the ``accept`` of that server type:
a method that creates a server and hands it to code elsewhere shows nothing of what the
connections get, and stays a finding. For the note, the values the handler writes to a
stream (``PrintWriter.println``, ``OutputStream.write``...) are named as far as the
method's own data flow tells them (``WindowManagerWrapper.getRotation()``, a constant).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mobsec.facts.dataflow import Value, method_flow
from mobsec.facts.effects.component import ComponentEffects, walk_effects
from mobsec.ingest.dex import CodeSite

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts

# The stream writers whose argument is what a client reads (System.out's PrintStream is
# left out: it goes to the process's standard output, not to a connection).
WRITERS = (
    ("Ljava/io/PrintWriter;", ("print", "println", "write", "printf", "format")),
    ("Ljava/io/Writer;", ("write", "append")),
    ("Ljava/io/OutputStream;", ("write",)),
    ("Ljava/io/DataOutputStream;", ("writeInt", "writeUTF", "writeBytes", "writeLong")),
)
SHOWN_WRITES = 3


@dataclass(slots=True)
class ServerEffects:
    effects: ComponentEffects
    accepts: bool  # the walk reached an accept() of the server type
    writes: list[str]  # "PrintWriter.println(WindowManagerWrapper.getRotation())"

    @property
    def harmless(self) -> bool:
        return self.accepts and self.effects.harmless

    def exposes(self) -> str:
        """What the handler sends, for the message: "" when nothing was named."""
        if not self.writes:
            return ""
        more = f" and {len(self.writes) - SHOWN_WRITES} more" if len(self.writes) > 3 else ""
        return ", ".join(self.writes[:SHOWN_WRITES]) + more


def server_effects(facts: AppFacts, site: CodeSite, server_class: str) -> ServerEffects:
    """The effects of the connection handling of the server created at ``site``
    (``server_class``: the platform type whose ``accept`` hands out connections)."""
    caller = site.caller
    key = (caller.class_desc, caller.name, caller.proto, server_class)
    cache = facts.memo(("effects", "servers"), dict)
    got = cache.get(key)
    if got is None:
        got = cache[key] = _analyse(facts, site, server_class)
    return got


def _analyse(facts: AppFacts, site: CodeSite, server_class: str) -> ServerEffects:
    caller = site.caller
    java = caller.class_desc[1:-1].replace("/", ".")
    effects, walk = walk_effects(
        facts, java, "socket", entries=((caller.class_desc, caller.name, caller.proto),)
    )
    if walk is None or not effects.known:
        return ServerEffects(effects, False, [])
    reached = walk.names
    accepts = any(
        (id(s.dex), s.caller_idx) in reached for s in facts.calls.of(server_class, "accept")
    )
    writes: list[str] = []
    for cls, names in WRITERS:
        for name in names:
            for s in facts.calls.of(cls, name):
                if (id(s.dex), s.caller_idx) in reached:
                    where = f"{_simple(s.caller.class_desc)}.{s.caller.name}"
                    shown = f"{_simple(cls)}.{name}({_argument(s)}) in {where}"
                    if shown not in writes:
                        writes.append(shown)
    return ServerEffects(effects, accepts, writes)


def _argument(site: CodeSite) -> str:
    """The written value as the calling method's data flow names it."""
    method = site.dex.method_by_idx(site.caller_idx)
    flow = None if method is None else method_flow(site.dex, method)
    if flow is None:
        return "?"
    args = flow.args_at(site.offset)
    if len(args) < 2:
        return ""
    named = {_named(v) for v in args[1]}
    if named == {"?"}:  # arithmetic and the like: say at least what type it is
        call = next((c for c in flow.invokes() if c.offset == site.offset), None)
        params = call.callee.proto[1:].split(")")[0] if call is not None else ""
        return _TYPES.get(params, "a computed value")
    return " | ".join(sorted(named))


_TYPES = {"I": "an int", "J": "a long", "Z": "a boolean", "F": "a float", "D": "a double"}


def _simple(desc: str) -> str:
    return desc[1:-1].rsplit("/", 1)[-1]


def _named(v: Value) -> str:
    text = v.text()
    if text is not None:
        return repr(text)[:40]
    if v.kind == "const":
        return str(v.data)
    if v.kind in ("result", "field"):
        owner = _simple(str(getattr(v.data, "class_desc", "L?;")))
        tail = "()" if v.kind == "result" else ""
        return f"{owner}.{getattr(v.data, 'name', '?')}{tail}"
    if v.kind == "param":
        return f"parameter {v.data}"
    if v.kind == "concat":
        return " + ".join(_named(p) for p in v.data)  # type: ignore[union-attr]
    return "?"
