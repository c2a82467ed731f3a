"""Constant reflection: ``Class.forName("a.B").getMethod("m").invoke(obj, args)``.

Why: apps (and DroidBench's Reflection categories) hide source and sink calls behind
reflection with names that are constants in the same method, sometimes after simple string
operations (``substring``, ``reverse``, concatenation). The intra-procedural data flow gives
the values that reach ``getMethod``; a ``"result"`` value carries the call that produced it,
so the operations are replayed here on constant inputs. Anything not constant stays
unresolved (the call is then an ordinary library call).
"""

from __future__ import annotations

from mobsec.facts.dataflow import MethodFlow, Value, method_flow
from mobsec.facts.entry_points import java_to_descriptor
from mobsec.ingest.dex import DexSet, FieldRef

MAX_DEPTH = 6
# Field hops followed when naming a class (object kept in a field, created from a Class kept
# in another field): each hop fans out to at most MAX_WRITES write sites.
FIELD_DEPTH = 4
MAX_STRINGS = 8
MAX_WRITES = 8
STRING = "Ljava/lang/String;"
BUILDERS = ("Ljava/lang/StringBuilder;", "Ljava/lang/StringBuffer;")
CLASS = "Ljava/lang/Class;"
CONSTRUCTOR = "Ljava/lang/reflect/Constructor;"
CONSTRUCTOR_LOOKUPS = ("getConstructor", "getDeclaredConstructor")


def fold_strings(
    flow: MethodFlow, values: frozenset[Value], depth: int = 0, code: DexSet | None = None
) -> set[str]:
    """Constant strings ``values`` stand for, replaying simple String/StringBuilder calls.

    With ``code``, a string read from a field is followed to the constants written to it.
    """
    out: set[str] = set()
    for v in values:
        if len(out) >= MAX_STRINGS:
            break
        t = v.text()
        if t is not None:
            out.add(t)
        elif v.kind == "field" and code is not None and depth < 2:
            for flow2, values2 in field_values(code, v.data):  # type: ignore[arg-type]
                out |= fold_strings(flow2, values2, depth + 1, code)
        elif v.kind == "result" and depth < MAX_DEPTH and v.offset is not None:
            out |= _fold_call(flow, v, depth + 1)
    return out


def _ints(values: frozenset[Value]) -> list[int]:
    return [v.data for v in values if v.kind == "const" and isinstance(v.data, int)]


def _fold_call(flow: MethodFlow, v: Value, depth: int) -> set[str]:
    ref = v.data
    cls, name = getattr(ref, "class_desc", ""), getattr(ref, "name", "")
    args = flow.args_at(v.offset)  # type: ignore[arg-type]
    if not args or (cls != STRING and cls not in BUILDERS):
        return set()
    recv = fold_strings(flow, args[0], depth)
    out: set[str] = set()
    for s in recv:
        if name in ("toString", "trim", "intern"):
            out.add(s.strip() if name == "trim" else s)
        elif name == "reverse":
            out.add(s[::-1])
        elif name == "toLowerCase":
            out.add(s.lower())
        elif name == "toUpperCase":
            out.add(s.upper())
        elif name == "substring" and len(args) >= 2:
            starts = _ints(args[1])
            ends = _ints(args[2]) if len(args) > 2 else [len(s)]
            for a in starts:
                for b in ends:
                    if 0 <= a <= b <= len(s):
                        out.add(s[a:b])
        elif name in ("concat", "append") and len(args) >= 2:
            for t in fold_strings(flow, args[1], depth):
                out.add(s + t)
    return out


def class_names(
    flow: MethodFlow, values: frozenset[Value], code: DexSet | None = None, depth: int = 0
) -> set[str]:
    """Class descriptors a ``Class`` value may stand for (const-class, forName, getClass)."""
    out: set[str] = set()
    for v in values:
        if v.kind == "field" and code is not None and depth < FIELD_DEPTH:
            for flow2, values2 in field_values(code, v.data):  # type: ignore[arg-type]
                out |= class_names(flow2, values2, code, depth + 1)
        elif v.kind == "class":
            out.add(str(v.data))
        elif v.kind == "result" and v.offset is not None and depth < MAX_DEPTH:
            ref = v.data
            name = getattr(ref, "name", "")
            args = flow.args_at(v.offset)
            if name in ("forName", "loadClass") and len(args) >= 1:
                arg = args[0] if name == "forName" else (args[1] if len(args) > 1 else set())
                out |= {java_to_descriptor(s) for s in fold_strings(flow, frozenset(arg), 0, code)}
            elif name == "getClass" and args:
                out |= object_classes(flow, args[0], code, depth + 1)
    return out


def object_classes(
    flow: MethodFlow, values: frozenset[Value], code: DexSet | None = None, depth: int = 0
) -> set[str]:
    """Class descriptors of the objects ``values`` stand for (for ``obj.getClass()``).

    Why: reflective code often keeps the instance in a field (``o = c.newInstance()`` in one
    place, ``o.getClass().getMethod(..)`` in another); the object's class is then the class
    the ``Class`` value it was created from stands for.
    """
    out: set[str] = set()
    for r in values:
        if r.kind in ("this", "new"):
            out.add(str(r.data))
        elif r.kind == "field" and code is not None and depth < FIELD_DEPTH:
            for flow2, values2 in field_values(code, r.data):  # type: ignore[arg-type]
                out |= object_classes(flow2, values2, code, depth + 1)
        elif r.kind == "result" and r.offset is not None and depth < MAX_DEPTH:
            ref = r.data
            if getattr(ref, "name", "") != "newInstance":
                continue
            args = flow.args_at(r.offset)
            if not args:
                continue
            owner = getattr(ref, "class_desc", "")
            if owner == CLASS:
                out |= class_names(flow, args[0], code, depth + 1)
            elif owner == CONSTRUCTOR:  # c.getConstructor(..).newInstance(..)
                for g in args[0]:
                    if g.kind != "result" or g.offset is None:
                        continue
                    if getattr(g.data, "name", "") not in CONSTRUCTOR_LOOKUPS:
                        continue
                    got = flow.args_at(g.offset)
                    if got:
                        out |= class_names(flow, got[0], code, depth + 1)
    return out


def field_values(code: DexSet, field: FieldRef) -> list[tuple[MethodFlow, frozenset[Value]]]:
    """The values written to ``field`` at each of its (few) write sites, with their flows."""
    out = []
    for site in code.field_writes(field.class_desc, field.name, field.type_desc)[:MAX_WRITES]:
        method = site.dex.method_by_idx(site.caller_idx)
        flow = method_flow(site.dex, method) if method is not None else None
        if flow is None:
            continue
        i = flow.cfg.by_pc.get(site.offset)
        if i is not None and flow.cfg.insns[i].regs:
            out.append((flow, flow.values_of(site.offset, flow.cfg.insns[i].regs[0])))
    return out


def reflective_target(
    flow: MethodFlow, method_value: frozenset[Value], code: DexSet | None = None, depth: int = 0
) -> set[tuple[str, str]]:
    """(class descriptor, method name) pairs a ``java.lang.reflect.Method`` value may be.

    A Method kept in a field (set in ``onCreate``, invoked in a callback) is followed to the
    values written to the field when ``code`` is given.
    """
    out: set[tuple[str, str]] = set()
    for v in method_value:
        if v.kind == "field" and code is not None and depth < 2:
            for flow2, values in field_values(code, v.data):  # type: ignore[arg-type]
                out |= reflective_target(flow2, values, code, depth + 1)
            continue
        ref = v.data
        if v.kind != "result" or v.offset is None or getattr(ref, "class_desc", "") != CLASS:
            continue
        if ref.name not in ("getMethod", "getDeclaredMethod"):  # type: ignore[union-attr]
            continue
        args = flow.args_at(v.offset)
        if len(args) < 2:
            continue
        for cls in class_names(flow, args[0], code):
            for name in fold_strings(flow, args[1], 0, code):
                out.add((cls, name))
    return out
