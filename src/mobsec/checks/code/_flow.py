"""Argument values at a call site.

Shared by the code, native and secrets checks so each asks one question: "which values can
reach argument k of this call" (const-string -> register -> argument), never "does this
string exist somewhere in the app". With the app's value analysis (``ctx.facts.values``)
the values are followed across methods (callers, fields, getters, see
:mod:`mobsec.facts.values`); without it, only the calling method is read.
"""

from __future__ import annotations

from mobsec.facts.dataflow import MethodFlow, Value, method_flow
from mobsec.facts.values import ValueAnalysis
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


def _arg(site: CodeSite, position: int, values: ValueAnalysis | None) -> frozenset[Value]:
    if values is not None:
        return values.arg_values(site, position)
    args = args_at(site)
    return args[position] if position < len(args) else frozenset()


def arg_values(
    site: CodeSite, position: int, values: ValueAnalysis | None = None
) -> frozenset[Value]:
    """Every value that can reach argument ``position`` (receiver counts as 0)."""
    return _arg(site, position, values)


def arg_strings(
    site: CodeSite, position: int, values: ValueAnalysis | None = None
) -> frozenset[str]:
    """Constant strings that can reach argument ``position`` (receiver counts as 0)."""
    return frozenset(t for v in _arg(site, position, values) if (t := v.text()) is not None)


def arg_ints(site: CodeSite, position: int, values: ValueAnalysis | None = None) -> frozenset[int]:
    return frozenset(
        v.data  # type: ignore[misc]
        for v in _arg(site, position, values)
        if v.kind == "const" and isinstance(v.data, int)
    )
