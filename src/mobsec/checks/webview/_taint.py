"""Does a value come from an Intent? A small backward walk over data-flow values.

Data flow says what reaches an argument: a ``"result"`` value names the call that produced
it, and that call's own arguments are one ``args_at`` away. So "``loadUrl(x)`` where ``x``
is ``getIntent().getData().toString()``" is answered by walking from ``x`` back through
calls that only pass data along (Uri, String, StringBuilder, Bundle getters) until an
Intent getter — the source — or something else is reached. The walk is bounded in depth
and visits, so a hostile method cannot make it expensive.

Fields are followed one step: a field the same class writes with Intent data (``mUrl =
getIntent().getStringExtra("url")`` in onCreate, ``loadUrl(mUrl)`` in onResume) counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mobsec.facts.dataflow import MethodFlow, Value, method_flow, string_constants
from mobsec.ingest.dex import DexFile, DexSet, FieldRef

INTENT = "Landroid/content/Intent;"
URI = "Landroid/net/Uri;"
INTENT_GETTERS = frozenset(
    {
        "getData",
        "getDataString",
        "getStringExtra",
        "getCharSequenceExtra",
        "getExtras",
        "getBundleExtra",
        "getStringArrayExtra",
        "getStringArrayListExtra",
        "getParcelableExtra",
        "getClipData",
    }
)
# Calls on these classes return (part of) what they were given: the walk goes through them.
PASS_THROUGH = frozenset(
    {
        URI,
        "Landroid/net/Uri$Builder;",
        "Ljava/lang/String;",
        "Ljava/lang/StringBuilder;",
        "Ljava/lang/StringBuffer;",
        "Ljava/lang/CharSequence;",
        "Ljava/lang/Object;",
        "Landroid/os/Bundle;",
        "Landroid/os/BaseBundle;",
        "Ljava/net/URLDecoder;",
        "Landroid/content/ClipData;",
        "Landroid/content/ClipData$Item;",
        "Ljava/util/ArrayList;",
        "Ljava/util/List;",
    }
)
MAX_DEPTH = 12
WEAK = "~"  # prefix of a source found by a guess rather than a complete walk
MAX_VISITS = 200
MAX_FIELD_WRITES = 16


@dataclass
class _Budget:
    visits: int = 0


def intent_source(
    code: DexSet, dex: DexFile, flow: MethodFlow, values: Iterable[Value]
) -> str | None:
    """A short description of the Intent data among ``values`` (None when there is none).

    A description starting with :data:`WEAK` is a plausible source the walk could not
    confirm (a query parameter of a Uri the method received as a parameter).
    """
    return _walk(code, dex, flow, frozenset(values), 0, _Budget(), follow_fields=True)


def _walk(
    code: DexSet,
    dex: DexFile,
    flow: MethodFlow,
    values: frozenset[Value],
    depth: int,
    budget: _Budget,
    follow_fields: bool,
) -> str | None:
    if depth > MAX_DEPTH:
        return None
    for v in values:
        budget.visits += 1
        if budget.visits > MAX_VISITS:
            return None
        if v.kind == "concat":
            found = _walk(code, dex, flow, frozenset(v.data), depth + 1, budget, follow_fields)  # type: ignore[arg-type]
        elif v.kind == "result" and v.offset is not None:
            found = _from_call(code, dex, flow, v, depth, budget, follow_fields)
        elif v.kind == "field" and follow_fields:
            found = _from_field(code, v.data, budget)  # type: ignore[arg-type]
        else:
            found = None
        if found:
            return found
    return None


def _from_call(
    code: DexSet,
    dex: DexFile,
    flow: MethodFlow,
    v: Value,
    depth: int,
    budget: _Budget,
    follow_fields: bool,
) -> str | None:
    callee = v.data
    name = callee.name  # type: ignore[union-attr]
    cls = callee.class_desc  # type: ignore[union-attr]
    if name == "getIntent" and callee.proto == "()" + INTENT:  # type: ignore[union-attr]
        return "getIntent()"
    args = flow.args_at(v.offset)  # type: ignore[arg-type]
    if cls == INTENT and name in INTENT_GETTERS:
        keys = sorted(string_constants(args[1])) if len(args) > 1 else []
        return f'Intent.{name}("{keys[0]}")' if len(keys) == 1 else f"Intent.{name}()"
    if cls == URI and name == "getQueryParameter" and args:
        inner = _walk(code, dex, flow, args[0], depth + 1, budget, follow_fields)
        if inner:
            return f"{inner}.getQueryParameter()"
        if any(a.kind == "param" for a in args[0]):
            # A Uri handed to a helper (processDeeplink(Uri)) is deep-link data in practice;
            # the caller is not analysed, hence the weak marker the checks lower confidence on.
            return WEAK + "Uri.getQueryParameter() of a Uri parameter"
        return None
    if cls in PASS_THROUGH:
        for a in args:
            found = _walk(code, dex, flow, a, depth + 1, budget, follow_fields)
            if found:
                return found
    return None


def taint_source_zh(source: str) -> str:
    """A source description of this module (code names joined by its few English words)
    for zh-CN messages."""
    return source.replace(" via field ", " 经字段 ")


def _from_field(code: DexSet, field: FieldRef, budget: _Budget) -> str | None:
    """Intent data written to ``field`` by a method of the field's own class."""
    sites = code.field_writes(field.class_desc, field.name, field.type_desc)
    for site in sites[:MAX_FIELD_WRITES]:
        if site.caller.class_desc != field.class_desc:
            continue
        method = site.dex.method_by_idx(site.caller_idx)
        flow = method_flow(site.dex, method) if method is not None else None
        if flow is None:
            continue
        i = flow.cfg.by_pc.get(site.offset)
        if i is None or not flow.cfg.insns[i].regs:
            continue
        written = flow.values_of(site.offset, flow.cfg.insns[i].regs[0])
        found = _walk(code, site.dex, flow, written, 0, budget, follow_fields=False)
        if found:
            return f"{found} via field {field.name}"
    return None
