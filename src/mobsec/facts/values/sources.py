"""Who controls the non-constant parts of a value: the device's user, another app, the network.

Why: SQL built from what the device's own user types into the app's own local database is
not injection (that user can already read and change the database); SQL built from an
Intent extra, a deep link's parameters, a content provider's selection or a server
response is, since another app or the network chooses it. The parts are read where they
were made (``editText.getText().toString()``, ``intent.getStringExtra("q")``), through the
library calls that only copy or convert text.
"""

from __future__ import annotations

from mobsec.facts.dataflow import MethodFlow, Value, method_flow
from mobsec.facts.hierarchy import TypeHierarchy
from mobsec.ingest.dex import MethodRef

from .path import Reached

UI_INPUT = "ui-input"  # text the device's user typed into this app's own views
IPC = "ipc"  # data another app sends (Intent extras and data, provider arguments)
NETWORK = "network"  # a server's response
UNKNOWN = "unknown"

MAX_DEPTH = 4
TEXT_VIEW = "Landroid/widget/TextView;"
INTENT = "Landroid/content/Intent;"
CONTENT_PROVIDER = "Landroid/content/ContentProvider;"
# Calls whose result is their receiver's or first argument's text, converted or copied.
PASS_THROUGH = frozenset(
    ("toString", "valueOf", "trim", "toLowerCase", "toUpperCase", "substring", "replace")
)
IPC_READS = {
    INTENT: None,  # every getter of an Intent: extras, data, action
    "Landroid/os/Bundle;": None,
    "Landroid/net/Uri;": None,
}
NETWORK_READS = frozenset(
    (
        ("Lokhttp3/ResponseBody;", "string"),
        ("Lcom/squareup/okhttp/ResponseBody;", "string"),
        ("Lorg/apache/http/util/EntityUtils;", "toString"),
    )
)
PROVIDER_ENTRIES = frozenset(("query", "update", "delete", "insert", "call", "openFile"))


def input_kinds(r: Reached, hierarchy: TypeHierarchy) -> frozenset[str]:
    """Who controls the non-constant parts of ``r`` (empty when it is a constant)."""
    v = r.value
    parts = v.data if v.kind == "concat" else (v,)
    flow = _flow(r)
    out: set[str] = set()
    for p in parts:  # type: ignore[union-attr]
        if isinstance(p, Value) and not p.is_constant():
            out.add(_kind(flow, p, hierarchy, 0))
    return frozenset(out)


def describe_kinds(kinds: frozenset[str]) -> tuple[str, str]:
    """(en, zh) for a message: where the variable text comes from."""
    if IPC in kinds:
        return (
            "data another app sends (Intent, content provider)",
            "其他应用发送的数据(Intent、内容提供者)",
        )
    if NETWORK in kinds:
        return "a server response", "服务器响应"
    if kinds == {UI_INPUT}:
        return "text typed into the app's own views", "用户在应用自身界面输入的文本"
    return "", ""


def _flow(r: Reached) -> MethodFlow | None:
    if r.made_in is None:
        return None
    dex, idx = r.made_in
    method = dex.method_by_idx(idx)
    return None if method is None else method_flow(dex, method)


def _kind(flow: MethodFlow | None, v: Value, hierarchy: TypeHierarchy, depth: int) -> str:
    if flow is None or depth > MAX_DEPTH:
        return UNKNOWN
    if v.kind == "param":
        return IPC if _provider_entry(flow.ref, hierarchy) else UNKNOWN
    if v.kind == "concat":
        kinds = {_kind(flow, p, hierarchy, depth + 1) for p in v.data if not p.is_constant()}  # type: ignore[union-attr]
        return _strongest(kinds)
    if v.kind != "result" or v.offset is None:
        return UNKNOWN
    callee: MethodRef = v.data  # type: ignore[assignment]
    if (callee.class_desc, callee.name) in NETWORK_READS:
        return NETWORK
    if callee.class_desc in IPC_READS and callee.name.startswith("get"):
        return IPC
    if callee.name == "getIntent":
        return IPC
    if callee.name == "getText" and _is(hierarchy, callee.class_desc, TEXT_VIEW):
        return UI_INPUT
    if callee.name in PASS_THROUGH:
        args = _args_of(flow, v.offset, callee)
        kinds = {
            _kind(flow, a, hierarchy, depth + 1)
            for values in args[:2]
            for a in values
            if not a.is_constant()
        }
        return _strongest(kinds) if kinds else UNKNOWN
    return UNKNOWN


def _strongest(kinds: set[str]) -> str:
    for k in (IPC, NETWORK, UNKNOWN, UI_INPUT):
        if k in kinds:
            return k
    return UNKNOWN


def _args_of(flow: MethodFlow, offset: int, callee: MethodRef) -> list[frozenset[Value]]:
    """Arguments of the call at ``offset`` when it is the call of ``callee`` (a value made in
    another method than ``flow`` has an offset that means nothing here)."""
    for c in flow.invokes():
        if c.offset == offset:
            return flow.args_at(offset) if c.callee == callee else []
    return []


def _is(hierarchy: TypeHierarchy, desc: str, ancestor: str) -> bool:
    return desc == ancestor or hierarchy.is_subtype(desc, ancestor)


def _provider_entry(ref: MethodRef, hierarchy: TypeHierarchy) -> bool:
    return ref.name in PROVIDER_ENTRIES and _is(hierarchy, ref.class_desc, CONTENT_PROVIDER)
