"""Maps filled with constants in one method: what ``get(key)`` on them can return.

Why: apps keep a login table in a map built by a helper (InsecureShop's ``Util.getUserCreds``
puts ``"shopuser" -> "<password>"`` into a ``HashMap`` and returns it; the login method
compares the typed password with ``getUserCreds().get(username)``). The intra-procedural
data flow sees only "result of HashMap.get"; this module reads the map where it was made.

A map counts only when everything done to it in the method that made it is known: it is
created empty (``new HashMap()``, Kotlin ``hashMapOf()``) or from constant pairs (Kotlin
``mapOf("a" to "b")``, ``Map.of``, ``Collections.singletonMap``), receives ``put`` calls
whose key and value the caller resolves to single constants, and otherwise is only read,
returned or stored in a field. A map handed to any other call, stored in an array or put
into with a run-time value is not a constant map (``None``). Contents are capped at
:data:`MAX_ENTRIES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mobsec.facts.dataflow import MethodFlow, Value, arg_registers
from mobsec.ingest.dex import FieldRef, MethodRef

from .path import Reached, shown_offset

MAX_ENTRIES = 32
MAP_TYPES = frozenset(
    (
        "Ljava/util/HashMap;",
        "Ljava/util/LinkedHashMap;",
        "Ljava/util/TreeMap;",
        "Ljava/util/Hashtable;",
        "Ljava/util/concurrent/ConcurrentHashMap;",
        "Landroid/util/ArrayMap;",
        "Landroidx/collection/ArrayMap;",
    )
)
# Types a call on a map may name (the variable's static type).
MAP_CALL_TYPES = MAP_TYPES | frozenset(
    (
        "Ljava/util/Map;",
        "Ljava/util/AbstractMap;",
        "Ljava/util/SortedMap;",
        "Ljava/util/NavigableMap;",
        "Ljava/util/concurrent/ConcurrentMap;",
        "Landroidx/collection/SimpleArrayMap;",
    )
)
EMPTY_INITS = frozenset(("()V", "(I)V", "(IF)V"))
PUTS = frozenset(("put", "putIfAbsent"))
# Calls that only read a map (or view it: a view's own writes are not followed, so a
# view passed on is an escape like the map itself, see ``_uses``).
READS = frozenset(
    (
        "get",
        "getOrDefault",
        "containsKey",
        "containsValue",
        "size",
        "isEmpty",
        "keySet",
        "values",
        "entrySet",
        "equals",
        "hashCode",
        "toString",
    )
)
KOTLIN_PAIR = "Lkotlin/Pair;"
# Map factories: Kotlin's from an array of Pairs (or one Pair), Java's from key, value, ...
KOTLIN_FACTORIES = frozenset(
    ("mapOf", "mutableMapOf", "hashMapOf", "linkedMapOf", "sortedMapOf", "mapOfNotNull")
)
KOTLIN_MAPS = "Lkotlin/collections/MapsKt;"
# Kotlin's null checks on a value (``checkNotNullExpressionValue(map, "...")``) read it only.
NULL_CHECKS = "Lkotlin/jvm/internal/Intrinsics;"
# Map reads whose result is a value of the map: (class, name) -> position of the key
# (receiver first) and of a default value, if any.
VALUE_READS: dict[tuple[str, str], tuple[int, int | None]] = {
    **{(t, "get"): (1, None) for t in MAP_CALL_TYPES},
    **{(t, "getOrDefault"): (1, 2) for t in MAP_CALL_TYPES},
    (KOTLIN_MAPS, "getValue"): (1, None),
    (KOTLIN_MAPS, "getOrDefault"): (1, 2),
}

# Iterating a map: ``for (e : map.entrySet()) e.getKey()/e.getValue()``, ``for (k : map.keySet())``,
# ``for (v : map.values())`` (Java and Kotlin compile them to these calls).
ENTRY = "Ljava/util/Map$Entry;"
ENTRY_PARTS = {(ENTRY, "getKey"): "key", (ENTRY, "getValue"): "value"}
ITERATOR_NEXT = ("Ljava/util/Iterator;", "next")
ITERABLES = frozenset(("Ljava/util/Set;", "Ljava/util/Collection;", "Ljava/lang/Iterable;"))
VIEWS = {"entrySet": "entry", "keySet": "key", "values": "value"}
ITERATOR_CALLS = frozenset((t, "iterator") for t in ITERABLES)
VIEW_CALLS = frozenset((t, name) for t in MAP_CALL_TYPES for name in VIEWS)


def reads_map(ref: MethodRef) -> bool:
    """A call that reads a value or key out of a map (``get``, an iteration's parts)."""
    key = (ref.class_desc, ref.name)
    return key in VALUE_READS or key in ENTRY_PARTS


Resolve = Callable[[frozenset[Value]], list[Reached] | None]


@dataclass(frozen=True, slots=True)
class Entry:
    """One constant entry: the key and value as resolved, and the call that put it
    (``put_at`` as a reader looks it up, see :func:`.path.shown_offset`)."""

    key: Reached
    value: Reached
    filled_by: MethodRef
    put_at: int | None


def is_map_maker(v: Value) -> bool:
    """A value that is a map made in its method: ``new HashMap``, ``mapOf(...)``..."""
    if v.kind == "new":
        return v.data in MAP_TYPES
    if v.kind == "result":
        ref: MethodRef = v.data  # type: ignore[assignment]
        return _factory(ref) is not None
    return False


def _factory(ref: MethodRef) -> str | None:
    """ "pairs" (Kotlin: an array of Pairs or one Pair), "java" (k, v, k, v...), or None."""
    if ref.class_desc == KOTLIN_MAPS and ref.name in KOTLIN_FACTORIES:
        return "pairs"
    if (ref.class_desc, ref.name) in (
        ("Ljava/util/Map;", "of"),
        ("Ljava/util/Collections;", "singletonMap"),
    ):
        return "java"
    return None


class MethodMaps:
    """Every use of a map made in one method, read in one pass over the method's states."""

    def __init__(self, flow: MethodFlow) -> None:
        self.flow = flow
        # (call, argument values receiver first) for every invoke; array and field stores.
        self.calls: list[tuple[int, MethodRef, bool, list[frozenset[Value]]]] = []
        self.array_stores: list[tuple[frozenset[Value], frozenset[Value]]] = []
        self.field_stores: list[frozenset[Value]] = []
        for insn, st in flow.iter_states():
            op = insn.op
            n = len(st) - 1
            if insn.op in (0x6E, 0x6F, 0x70, 0x71, 0x72, 0x74, 0x75, 0x76, 0x77, 0x78):
                ref = flow.dex.method_ref(insn.idx)  # type: ignore[arg-type]
                is_static = op in (0x71, 0x77)
                regs = arg_registers(ref.proto, insn.regs, is_static)
                args = [st[r] if r < n else frozenset() for r in regs]
                self.calls.append((insn.pc, ref, is_static, args))
            elif op == 0x4D and len(insn.regs) >= 2:  # aput-object value, array, index
                v, a = insn.regs[0], insn.regs[1]
                if v < n and a < n:
                    self.array_stores.append((st[a], st[v]))
            elif (0x5B <= op <= 0x5F or 0x69 <= op <= 0x6D) and insn.regs and insn.regs[0] < n:
                self.field_stores.append(st[insn.regs[0]])

    def contents(
        self, made: Value, resolve: Resolve, field: FieldRef | None = None
    ) -> list[Entry] | None:
        """The entries of the map ``made`` (made in this method), None when not constant.
        With ``field`` (the map is stored in it here), calls on the field's value read back
        in this method count too (``static { MAP.put(..) }`` after ``MAP = new HashMap()``)."""

        def holds(values: frozenset[Value]) -> bool:
            return made in values or (field is not None and _reads(values, field))

        entries: list[Entry] = []
        if made.kind == "result":
            initial = self._factory_entries(made, resolve)
            if initial is None:
                return None
            entries.extend(initial)
        if any(holds(a) for a, _v in self.array_stores):
            return None  # in an array: anything may happen to it
        if field is not None and any(_reads(s, field) for s in self.field_stores):
            return None  # copied to another field
        for offset, ref, is_static, args in self.calls:
            for pos, a in enumerate(args):
                if not holds(a):
                    continue
                if is_static and ref.class_desc == NULL_CHECKS:
                    continue
                if pos or is_static:
                    if made.kind == "result" and offset == made.offset:
                        continue
                    return None  # passed to another method, which may fill it
                if ref.class_desc not in MAP_CALL_TYPES:
                    return None
                if ref.name == "<init>" and ref.proto in EMPTY_INITS:
                    continue
                if ref.name in READS:
                    continue
                if ref.name not in PUTS or len(args) < 3:
                    return None
                entry = self._entry(args[1], args[2], offset, resolve)
                if entry is None:
                    return None
                entries.append(entry)
                if len(entries) > MAX_ENTRIES:
                    return None
        return entries

    def _entry(
        self, key: frozenset[Value], value: frozenset[Value], at: int, resolve: Resolve
    ) -> Entry | None:
        k, v = resolve(key), resolve(value)
        if not k or not v or len(k) != 1 or len(v) != 1:
            return None
        if not (k[0].constant and v[0].constant):
            return None
        dex = self.flow.dex
        return Entry(k[0], v[0], self.flow.ref, shown_offset(dex, self.flow.method.method_idx, at))

    def _factory_entries(self, made: Value, resolve: Resolve) -> list[Entry] | None:
        kind = _factory(made.data)  # type: ignore[arg-type]
        call = next((c for c in self.calls if c[0] == made.offset), None)
        if kind is None or call is None:
            return None
        _offset, ref, _static, args = call
        if kind == "java":
            if len(args) % 2:
                return None
            out = []
            for i in range(0, len(args), 2):
                e = self._entry(args[i], args[i + 1], made.offset, resolve)  # type: ignore[arg-type]
                if e is None:
                    return None
                out.append(e)
            return out
        if not args:
            return [] if ref.proto.startswith("()") else None
        if ref.proto.startswith("(Lkotlin/Pair;)"):
            pairs = [args[0]]
        else:
            arrays = [a for a in args[0] if a.kind == "array"]
            if len(arrays) != 1 or len(args[0]) != 1:
                return None
            pairs = [
                stored
                for target, stored in self.array_stores
                if any(t.kind == "array" and t.offset == arrays[0].offset for t in target)
            ]
            length = arrays[0].data.length  # type: ignore[union-attr]
            if length is None or len(pairs) != length or length > MAX_ENTRIES:
                return None
        out = []
        for p in pairs:
            e = self._pair(p, resolve)
            if e is None:
                return None
            out.append(e)
        return out

    def _pair(self, values: frozenset[Value], resolve: Resolve) -> Entry | None:
        """A Kotlin Pair made here: ``TuplesKt.to(k, v)`` or ``new Pair(k, v)``."""
        if len(values) != 1:
            return None
        p = next(iter(values))
        for offset, ref, _static, args in self.calls:
            if (
                p.kind == "result"
                and offset == p.offset
                and ref.class_desc == "Lkotlin/TuplesKt;"
                and ref.name == "to"
                and len(args) == 2
            ):
                return self._entry(args[0], args[1], offset, resolve)
            if (
                p.kind == "new"
                and p.data == KOTLIN_PAIR
                and ref.class_desc == KOTLIN_PAIR
                and ref.name == "<init>"
                and len(args) == 3
                and p in args[0]
            ):
                return self._entry(args[1], args[2], offset, resolve)
        return None

    def only_read(self, field: FieldRef) -> bool:
        """Whether every read of ``field`` here only reads the map it holds: a map kept in a
        field is constant only when no code that reads the field changes it."""

        def held(values: frozenset[Value]) -> bool:
            return _reads(values, field)

        if any(held(a) for a, _x in self.array_stores) or any(held(s) for s in self.field_stores):
            return False
        for _offset, ref, is_static, args in self.calls:
            for pos, a in enumerate(args):
                if not held(a) or (is_static and ref.class_desc == NULL_CHECKS):
                    continue
                if pos or is_static or ref.name not in READS:
                    return False
        return True


def _reads(values: frozenset[Value], field: FieldRef) -> bool:
    return any(x.kind == "field" and x.data == field for x in values)
