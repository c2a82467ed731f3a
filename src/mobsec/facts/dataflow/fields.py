"""Values of fields written only with constants, anywhere in the app.

Why: ``private static String KEY = "..."`` without ``final`` (or an instance field set in
the constructor) is not inlined by javac; the use site reads it with sget/iget, and the
analysis of that method alone sees only a ``"field"`` value. The writes are few and the
code index lists them (``DexSet.field_writes``), so resolving them costs one analysis of
each writing method.
"""

from __future__ import annotations

from mobsec.ingest.dex import DexSet, FieldRef

from .analysis import method_flow
from .values import EMPTY, Value

MAX_WRITES = 64  # a field written in more places than this is not treated as a constant


def field_constants(dex_set: DexSet, field: FieldRef) -> frozenset[Value]:
    """Every value written to ``field`` when all writes are constants, else empty.

    Empty also when the app never writes the field (a value from ``static_values`` of a
    ``static final`` field is not read here) or writes it in too many places.
    """
    sites = dex_set.field_writes(field.class_desc, field.name, field.type_desc)
    if not sites or len(sites) > MAX_WRITES:
        return EMPTY
    out: set[Value] = set()
    for site in sites:
        method = site.dex.method_by_idx(site.caller_idx)
        if method is None:
            return EMPTY
        flow = method_flow(site.dex, method)
        if flow is None:
            return EMPTY
        i = flow.cfg.by_pc.get(site.offset)
        if i is None:
            return EMPTY
        insn = flow.cfg.insns[i]
        values = flow.values_of(site.offset, insn.regs[0]) if insn.regs else EMPTY
        if not values or not all(v.is_constant() for v in values):
            return EMPTY
        out.update(values)
    return frozenset(out)
