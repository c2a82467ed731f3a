"""Argument values at a call site, from the intra-procedural data flow.

Shared by the code, native and secrets checks so each asks one question: "which values can
reach argument k of this call" (const-string -> register -> argument), never "does this
string exist somewhere in the app".
"""

from __future__ import annotations

from mobsec.facts.dataflow import MethodFlow, Value, method_flow
from mobsec.ingest.dex import CodeSite


def flow_at(site: CodeSite) -> MethodFlow | None:
    method = site.dex.method_by_idx(site.caller_idx)
    if method is None:
        return None
    return method_flow(site.dex, method)


def args_at(site: CodeSite) -> list[frozenset[Value]]:
    """Possible values of each argument of the invoke at ``site`` (receiver first)."""
    flow = flow_at(site)
    return flow.args_at(site.offset) if flow is not None else []


def arg_strings(site: CodeSite, position: int) -> frozenset[str]:
    """Constant strings that can reach argument ``position`` (receiver counts as 0)."""
    args = args_at(site)
    if position >= len(args):
        return frozenset()
    return frozenset(t for v in args[position] if (t := v.text()) is not None)


def arg_ints(site: CodeSite, position: int) -> frozenset[int]:
    args = args_at(site)
    if position >= len(args):
        return frozenset()
    return frozenset(
        v.data for v in args[position] if v.kind == "const" and isinstance(v.data, int)
    )
