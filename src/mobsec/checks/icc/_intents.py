"""What an Intent built in a method looks like: explicit or implicit, action, extras.

Why: whether ``sendBroadcast(i)`` or ``PendingIntent.getActivity(.., i, ..)`` is safe
depends on how ``i`` was built. Data flow gives the ``new-instance`` value that reaches the
call; every Intent method called on that same value in the method (constructor, setters,
putExtra) describes it. An Intent that did not start in this method (a parameter, a field,
a copy) has an unknown shape, and checks stay silent about it.
"""

from __future__ import annotations

from typing import NamedTuple

from mobsec.checks.storage._common import param_types
from mobsec.facts.dataflow import MethodFlow, Value
from mobsec.facts.values import ValueAnalysis

INTENT = "Landroid/content/Intent;"
TARGETING = ("setClass", "setClassName", "setComponent", "setPackage", "setSelector")
EXPLICIT_INIT_TYPES = ("Ljava/lang/Class;", "Landroid/content/ComponentName;")


class Extra(NamedTuple):
    key: str | None
    values: frozenset[Value]


class IntentShape(NamedTuple):
    explicit: bool  # a component, class or package was set
    action: str | None
    extras: tuple[Extra, ...]
    new_offset: int  # where the Intent was allocated


def intent_shape(
    flow: MethodFlow, values: frozenset[Value], va: ValueAnalysis | None = None
) -> IntentShape | None:
    """The shape of the one Intent ``values`` stands for, or None when it is not known.

    With ``va`` the action and extra names are followed across methods (a field set in
    ``<clinit>``, a getter, a caller's constant)."""

    def text(vals: frozenset[Value]) -> str | None:
        if va is not None:
            vals = frozenset(r.value for r in va.resolve(flow.dex, flow.method.method_idx, vals))
        return _text(vals)

    if len(values) != 1:
        return None
    (v,) = values
    if v.kind != "new" or v.data != INTENT:
        return None
    explicit = False
    action: str | None = None
    extras: list[Extra] = []
    for call in flow.invokes():
        c = call.callee
        if c.class_desc != INTENT or call.is_static:
            continue
        args = flow.args_at(call.offset)
        if not args or v not in args[0]:
            continue
        if c.name == "<init>":
            types = param_types(c.proto)
            if any(t in EXPLICIT_INIT_TYPES for t in types):
                explicit = True
            elif types == [INTENT]:
                return None  # a copy of another Intent: shape unknown
            elif types and types[0] == "Ljava/lang/String;" and len(args) > 1:
                action = text(args[1])
        elif c.name in TARGETING:
            if len(args) > 1 and not all(a.kind == "const" and a.data == 0 for a in args[1]):
                explicit = True
        elif c.name == "setAction" and len(args) > 1:
            action = text(args[1])
        elif c.name == "putExtra" and len(args) > 2:
            extras.append(Extra(text(args[1]), args[2]))
    return IntentShape(explicit, action, tuple(extras), v.offset or 0)


def _text(values: frozenset[Value]) -> str | None:
    texts = {t for x in values if (t := x.text()) is not None}
    return texts.pop() if len(texts) == 1 else None
