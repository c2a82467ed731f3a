"""Code queries shared by the storage and ICC checks.

Call sites of an API come from :attr:`AppFacts.calls <mobsec.facts.app.AppFacts.calls>`,
which also finds ``this.openFileOutput(..)`` inside an Activity (javac names the receiver's
static type, ``Lcom/app/Main;->openFileOutput``, not Context): ask it for the framework
class that declares the method.

Values reaching an argument always come from :mod:`mobsec.facts.dataflow` (never from a
string existing somewhere in the app); :func:`site_args` is the one place that asks it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from mobsec.facts.dataflow import CallInfo, MethodFlow, Value, method_flow
from mobsec.ingest.dex import CodeSite, MethodRef

MAX_FORWARD = 48  # values followed by forward_uses in one method

CONTEXT = "Landroid/content/Context;"
BROADCAST_RECEIVER = "Landroid/content/BroadcastReceiver;"
CONTENT_PROVIDER = "Landroid/content/ContentProvider;"
ACTIVITY = "Landroid/app/Activity;"


def site_flow(site: CodeSite) -> MethodFlow | None:
    method = site.dex.method_by_idx(site.caller_idx)
    return None if method is None else method_flow(site.dex, method)


def site_args(site: CodeSite) -> list[frozenset[Value]] | None:
    """Possible values of each argument of the call at ``site`` (receiver first), or None
    when the caller could not be analysed."""
    flow = site_flow(site)
    if flow is None or not flow.complete:
        return None
    args = flow.args_at(site.offset)
    return args or None


def int_constants(values: frozenset[Value]) -> list[int] | None:
    """The ints ``values`` can be, or None when any of them is not a known constant."""
    if not values:
        return None
    out = []
    for v in values:
        if v.kind != "const" or not isinstance(v.data, int):
            return None
        out.append(v.data)
    return out


def is_null(values: frozenset[Value]) -> bool:
    """True when the only possible value is the constant 0 (``null``)."""
    return bool(values) and all(v.kind == "const" and v.data == 0 for v in values)


def results_of(
    values: Iterable[Value], class_desc: str | None, names: Iterable[str]
) -> list[Value]:
    """The values that are results of a call to one of ``names`` (on ``class_desc`` if given)."""
    wanted = set(names)
    out = []
    for v in values:
        if v.kind == "result":
            ref = v.data
            if ref.name in wanted and (class_desc is None or ref.class_desc == class_desc):  # type: ignore[union-attr]
                out.append(v)
    return out


def has_variable_part(v: Value) -> bool:
    """A concat with at least one part that is not a constant (built from input)."""
    return v.kind == "concat" and not v.is_constant()


_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def words(identifier: str) -> list[str]:
    """'userPassword_hash' -> ['user', 'password', 'hash'] (camelCase and snake_case)."""
    return [w.lower() for w in _WORDS.findall(identifier[:200])]


def calls_by_offset(flow: MethodFlow) -> dict[int, CallInfo]:
    return {c.offset: c for c in flow.invokes()}


def forward_uses(
    flow: MethodFlow, start: int, max_nodes: int = MAX_FORWARD
) -> Iterator[tuple[CallInfo, int]]:
    """Calls that use the value produced at ``start`` or anything derived from it.

    Derived: the result of a call that used it (``f.getAbsolutePath()``, a concat part
    included), and an object constructed from it (``new File(dir, name)`` -> the File).
    Yields (call, argument position, receiver 0). Bounded by ``max_nodes`` producers.
    """
    calls = calls_by_offset(flow)
    todo = [start]
    seen = {start}
    while todo:
        off = todo.pop()
        for use_off, pos in flow.result_users(off):
            call = calls.get(use_off)
            if call is None:
                continue  # a field store or a return: followed no further
            yield call, pos
            nxt: list[int] = []
            if call.callee.name == "<init>" and pos > 0:
                args = flow.args_at(use_off)
                nxt = [
                    v.offset
                    for v in (args[0] if args else ())
                    if v.kind == "new" and v.offset is not None
                ]
            elif not call.callee.proto.endswith(")V"):
                nxt = [call.offset]
            for n in nxt:
                if n not in seen and len(seen) < max_nodes:
                    seen.add(n)
                    todo.append(n)


def param_types(proto: str) -> list[str]:
    """'(ILjava/lang/String;[B)V' -> ['I', 'Ljava/lang/String;', '[B']."""
    out: list[str] = []
    i, end = 1, proto.find(")")
    while 0 < i < end:
        j = i
        while j < end and proto[j] == "[":
            j += 1
        if j < end and proto[j] == "L":
            k = proto.find(";", j, end)
            j = end - 1 if k < 0 else k
        out.append(proto[i : j + 1])
        i = j + 1
    return out


def callee_of(site: CodeSite) -> MethodRef | None:
    """The method the invoke at ``site`` names (with its exact proto)."""
    for r in site.dex.invokes_in(site.caller_idx):
        if r.offset == site.offset:
            return site.dex.method_ref(r.target)
    return None
