"""Values that reach a use, followed across methods: the one value analysis of the engine.

Why across methods: apps wrap crypto, storage and networking in helpers. InsecureBankv2
calls ``aes256encrypt(byte[] iv, byte[] key, ...)`` with a field set to a constant array
in the constructor; pivaa calls ``hash(String algorithm, ...)`` with "MD5"; apps keep the
key in a static field set in ``<clinit>``, return it from a getter, or build the SQL text
in another method. Inside the helper the intra-procedural analysis
(:mod:`mobsec.facts.dataflow`) sees only "parameter 0", "field KEY" or "result of
getKey()". This module follows

- a parameter to what every call site of its method passes (context-insensitive, the
  callers' own values resolved in turn);
- a field to the values its writes store (``<clinit>``, constructors, setters): only when
  every write is a constant, so a field that also takes a run-time value is not called a
  constant;
- the result of an app method to the values its ``return`` instructions return (a returned
  parameter is the argument of *this* call), through the class hierarchy
  (:class:`~mobsec.facts.taint.callgraph.CallGraph`);
- string and byte building: ``getBytes``, ``toCharArray``, ``Base64.decode``,
  ``String.valueOf``/``concat``/``trim`` and StringBuilder chains whose parts are resolved
  this way.

Every answer keeps its path (:mod:`.path`). Work is bounded per question
(:class:`~mobsec.limits.Limits` ``value_*``: depth, callers, writes, call targets, values
kept, steps) and answers about a parameter, a field or a method's return values are
memoised for the app, so a helper called from thousands of places costs a fixed amount,
not a walk of the app.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from itertools import product
from time import perf_counter

from mobsec.facts.dataflow import MethodFlow, Value, method_flow
from mobsec.facts.dataflow.models import MODELS
from mobsec.facts.owners import OwnerResolver
from mobsec.facts.taint.callgraph import STATIC_OR_DIRECT, SUPER, CallGraph
from mobsec.ingest.dex import CodeSite, DexFile, DexSet, FieldRef, MethodRef
from mobsec.limits import DEFAULT_LIMITS, Limits

from .converters import hex_bytes, is_hex_decoder
from .maps import (
    ENTRY_PARTS,
    ITERATOR_CALLS,
    ITERATOR_NEXT,
    MAX_ENTRIES,
    VALUE_READS,
    VIEW_CALLS,
    VIEWS,
    Entry,
    MethodMaps,
    is_map_maker,
)
from .path import Reached, Step, shown_offset

RETURNS = frozenset((0x0F, 0x10, 0x11))  # return, return-wide, return-object
# Library calls whose result is recomputed once their inputs are resolved (the builders'
# append/<init> are not here: they change the builder, the chain is a "concat" value).
REMODELLED = frozenset(
    k for k in MODELS if not (k[1] in ("<init>", "append") and k[0].endswith("Builder;"))
)
# Calls that fill an array they are given: an array parameter or field passed to one of
# them in the method that uses it is not the constant it was made as.
FILLERS = frozenset(("nextBytes", "arraycopy", "read", "readFully", "fill"))
MAX_COMBINATIONS = 8  # concat parts resolved to several constants: products kept


class ValueAnalysis:
    """Resolves the values reaching uses (call arguments, stored values) for one app.

    Parameters of methods in a known SDK are not followed: such a method is the SDK's
    public helper (okio's ``ByteString.digest(String)`` behind ``md5()``), and what its
    callers pass says what the SDK offers, not what the app or the SDK does with it.
    """

    def __init__(
        self,
        code: DexSet,
        owners: OwnerResolver | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.code = code
        self.owners = owners
        self.limits = limits
        self.graph = CallGraph(code)
        self._memo: dict[Hashable, tuple[Reached, ...] | None] = {}
        self._active: set[Hashable] = set()
        self._returns: dict[tuple[str, int], list[tuple[int, frozenset[Value]]]] = {}
        self._decoders: dict[tuple[str, int], bool] = {}
        self._maps: dict[tuple[str, int], MethodMaps | None] = {}
        self._left = 0  # steps left for the current question
        self._cut = False  # the current sub-answer hit a bound or a cycle: not memoised
        # Counters for bench/bench_values.py: questions asked, steps taken, time spent.
        self.questions = 0
        self.steps = 0
        self.seconds = 0.0

    # ---- questions -----------------------------------------------------------------------

    def flow(self, dex: DexFile, method_idx: int) -> MethodFlow | None:
        method = dex.method_by_idx(method_idx)
        return None if method is None else method_flow(dex, method)

    def raw_args(self, site: CodeSite) -> list[frozenset[Value]]:
        """Argument values at the call from the caller's own analysis (receiver first)."""
        flow = self.flow(site.dex, site.caller_idx)
        return flow.args_at(site.offset) if flow is not None else []

    def arg(
        self, site: CodeSite, position: int, *, follow_parameters: bool = True
    ) -> list[Reached]:
        """Resolved values of argument ``position`` (receiver first) at ``site``."""
        args = self.raw_args(site)
        if position >= len(args):
            return []
        return self.resolve(site.dex, site.caller_idx, args[position], follow_parameters)

    def arg_values(
        self, site: CodeSite, position: int, *, follow_parameters: bool = True
    ) -> frozenset[Value]:
        """The values only (for checks that read a ``frozenset[Value]``)."""
        return frozenset(
            r.value for r in self.arg(site, position, follow_parameters=follow_parameters)
        )

    def resolve(
        self,
        dex: DexFile,
        method_idx: int,
        values: Iterable[Value],
        follow_parameters: bool = True,
    ) -> list[Reached]:
        """``values`` (as seen in method ``method_idx``) resolved across methods."""
        self.questions += 1
        self._left = self.limits.value_steps
        self._cut = False
        start = perf_counter()
        got = self._many(dex, method_idx, values, 0, follow_parameters)
        self.seconds += perf_counter() - start
        return list(got[: self.limits.value_reached])

    # ---- resolution ------------------------------------------------------------------------

    def _many(
        self,
        dex: DexFile,
        method_idx: int,
        values: Iterable[Value],
        depth: int,
        follow: bool,
    ) -> list[Reached]:
        out: list[Reached] = []
        cap = self.limits.value_reached
        for v in values:
            if len(out) >= cap:
                self._cut = True
                break
            out.extend(self._one(dex, method_idx, v, depth, follow))
        return out

    def _one(
        self, dex: DexFile, method_idx: int, v: Value, depth: int, follow: bool
    ) -> tuple[Reached, ...]:
        here = (Reached(v, dex.method_ref(method_idx), (), (dex, method_idx)),)
        if v.is_constant():
            return here
        kind = v.kind
        if kind not in ("param", "field", "result", "concat") or (kind == "param" and not follow):
            return here
        if depth >= self.limits.value_depth or self._left <= 0:
            self._cut = True
            return here
        self._left -= 1
        self.steps += 1
        got: tuple[Reached, ...] | None
        if kind == "param":
            got = self._memoised(
                ("param", dex.name, method_idx, v.data, depth),
                lambda: self._param(dex, method_idx, v.data, depth),  # type: ignore[arg-type]
            )
        elif kind == "field":
            got = self._memoised(
                ("field", v.data, depth),
                lambda: self._field(v.data, depth),  # type: ignore[arg-type]
            )
        elif kind == "result":
            got = self._result(dex, method_idx, v, depth, follow)
        else:
            got = self._concat(dex, method_idx, v, depth, follow)
        if not got:
            return here
        if kind in ("param", "field") and _any_array(got) and self._filled(dex, method_idx, v):
            return here
        return got

    def _memoised(self, key: Hashable, compute) -> tuple[Reached, ...] | None:  # type: ignore[no-untyped-def]
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            self._cut = True  # a cycle: what is known so far is not the whole answer
            return None
        outer_cut, self._cut = self._cut, False
        self._active.add(key)
        try:
            got = compute()
        finally:
            self._active.discard(key)
        if not self._cut:
            self._memo[key] = got
        self._cut = self._cut or outer_cut
        return got

    def _param(
        self, dex: DexFile, method_idx: int, index: int, depth: int
    ) -> tuple[Reached, ...] | None:
        """Parameter ``index`` of this method: what its callers pass."""
        flow = self.flow(dex, method_idx)
        if flow is None or not isinstance(index, int):
            return None
        ref = flow.ref
        if self.owners is not None and self.owners.owner_of(ref.class_desc).kind == "sdk":
            return None
        sites = self._callers(ref, flow.is_static)
        if len(sites) > self.limits.value_callers:
            self._cut = True
            sites = sites[: self.limits.value_callers]
        position = index + (0 if flow.is_static else 1)
        out: list[Reached] = []
        for s in sites:
            args = self.raw_args(s)
            if position < len(args) and args[position]:
                step = Step("argument", s.caller, shown_offset(s.dex, s.caller_idx, s.offset))
                got = self._many(s.dex, s.caller_idx, args[position], depth + 1, True)
                out.extend(r.behind(step) for r in got)
        return tuple(out) or None

    def _callers(self, ref: MethodRef, is_static: bool) -> list[CodeSite]:
        """Calls that may run this method: those naming its class, and (virtual methods)
        those naming one of its app-defined superclasses or interfaces, which dispatch here
        when the object is of this class (``KeySink sink = new AesSink(); sink.accept(k)``)."""
        sites = list(self.code.call_sites(ref.class_desc, ref.name, ref.proto))
        if is_static or ref.name == "<init>":
            return sites
        seen, todo = {ref.class_desc}, [ref.class_desc]
        while todo:
            found = self.code.classes.get(todo.pop())
            if found is None:
                continue
            c = found[1]
            for parent in ((c.superclass,) if c.superclass else ()) + tuple(c.interfaces):
                if parent in seen or parent not in self.code.classes:
                    continue  # framework types: their callers are the framework's
                seen.add(parent)
                todo.append(parent)
                sites.extend(
                    site
                    for site in self.code.call_sites(parent, ref.name, ref.proto)
                    if self._may_dispatch_to(site, ref.class_desc)
                )
        return sites

    def _may_dispatch_to(self, site: CodeSite, desc: str) -> bool:
        """Whether the call through a supertype at ``site`` may run ``desc``'s method: not
        when its receiver is only objects the caller created of other classes."""
        args = self.raw_args(site)
        receivers = args[0] if args else frozenset()
        if not receivers or any(v.kind != "new" for v in receivers):
            return True  # unknown receiver: any implementation
        return any(v.data == desc or desc in self.code.superclasses(v.data) for v in receivers)

    def _field(self, field: FieldRef, depth: int) -> tuple[Reached, ...] | None:
        """A field's value: what its writes store, when every one of them is a constant."""
        sites = self.code.field_writes(field.class_desc, field.name, field.type_desc)
        if not sites or len(sites) > self.limits.value_writes:
            return None
        shown = f"{field.class_desc[1:-1].replace('/', '.')}.{field.name}"
        out: list[Reached] = []
        for site in sites:
            flow = self.flow(site.dex, site.caller_idx)
            i = flow.cfg.by_pc.get(site.offset) if flow is not None else None
            if flow is None or i is None or not flow.cfg.insns[i].regs:
                return None
            values = flow.values_of(site.offset, flow.cfg.insns[i].regs[0])
            if not values:
                return None
            if self._uncalled_setter(flow, field, values):
                continue
            got = self._many(site.dex, site.caller_idx, values, depth + 1, True)
            if not got or not all(r.constant for r in got):
                return None
            step = Step(
                "field", site.caller, shown_offset(site.dex, site.caller_idx, site.offset), shown
            )
            out.extend(r.behind(step) for r in got)
        return tuple(out) or None

    def _uncalled_setter(self, flow: MethodFlow, field: FieldRef, values: frozenset[Value]) -> bool:
        """A write of a parameter in the field's own setter that no app code calls: it never
        runs, so it does not make the field a run-time value (Kotlin generates ``setX`` for
        every ``var`` property: ``var httpurl = "http://…"`` has one the app never calls)."""
        ref = flow.ref
        if not (
            ref.class_desc == field.class_desc
            and ref.name == "set" + field.name[:1].upper() + field.name[1:]
            and all(v.kind == "param" for v in values)
        ):
            return False
        # Calls through a subclass name the subclass (d8 keeps the static receiver type).
        if self.code.subclasses(ref.class_desc):
            return False
        return not self._callers(ref, flow.is_static)

    def _result(
        self, dex: DexFile, method_idx: int, v: Value, depth: int, follow: bool
    ) -> tuple[Reached, ...] | None:
        callee = v.data
        read = VALUE_READS.get((callee.class_desc, callee.name))  # type: ignore[union-attr]
        if read is not None:
            return self._map_read(dex, method_idx, v, read, depth, follow)
        part = ENTRY_PARTS.get((callee.class_desc, callee.name))  # type: ignore[union-attr]
        if part is not None or (callee.class_desc, callee.name) == ITERATOR_NEXT:  # type: ignore[union-attr]
            return self._iterated(dex, method_idx, v, part, depth, follow)
        if (callee.class_desc, callee.name) in REMODELLED:  # type: ignore[union-attr]
            return self._remodel(dex, method_idx, v, depth, follow)
        flow = self.flow(dex, method_idx)
        i = flow.cfg.by_pc.get(v.offset) if flow is not None and v.offset is not None else None
        if flow is None or i is None:
            return None
        op = flow.cfg.insns[i].op
        if (
            op not in STATIC_OR_DIRECT
            and op not in SUPER
            and self.code.find_class(
                callee.class_desc  # type: ignore[union-attr]
            )
            is None
        ):
            # A virtual call on a library type (Object.toString, CharSequence...): the
            # receiver may be a library object, so the app's overrides are not all it runs.
            return None
        targets = self.graph.resolve(op, callee)  # type: ignore[arg-type]
        if not targets or len(targets) > self.limits.value_targets:
            return None
        args: list[frozenset[Value]] | None = None
        out: list[Reached] = []
        for key in targets:
            found = self.graph.lookup(key)
            if found is None:
                return None
            tdex, tmethod = found
            is_static = bool(tmethod.access_flags & 0x8)
            decoded = self._hex_decoded(
                dex, method_idx, v, tdex, tmethod.method_idx, is_static, depth
            )
            if decoded is not None:
                out.extend(decoded)
                continue
            for pc, values in self._return_values(tdex, tmethod.method_idx):
                step = Step(
                    "return",
                    tdex.method_ref(tmethod.method_idx),
                    shown_offset(tdex, tmethod.method_idx, pc),
                )
                for rv in values:
                    if rv.kind == "param" and isinstance(rv.data, int):
                        # A returned parameter is what this call passed (context-sensitive).
                        if args is None:
                            args = flow.args_at(v.offset)  # type: ignore[arg-type]
                        pos = rv.data + (0 if is_static else 1)
                        passed = args[pos] if pos < len(args) else frozenset()
                        got = self._many(dex, method_idx, passed, depth + 1, follow)
                        out.extend(got)
                    else:
                        got = list(self._one(tdex, tmethod.method_idx, rv, depth + 1, True))
                        out.extend(r.behind(step) for r in got)
        return tuple(out) or None

    def _hex_decoded(
        self,
        dex: DexFile,
        method_idx: int,
        call: Value,
        tdex: DexFile,
        tidx: int,
        is_static: bool,
        depth: int,
    ) -> list[Reached] | None:
        """The result of an app hex decoder (see :mod:`.converters`) called on constants."""
        key = (tdex.name, tidx)
        known = self._decoders.get(key)
        if known is None:
            tflow = self.flow(tdex, tidx)
            known = self._decoders[key] = tflow is not None and is_hex_decoder(tflow)
        if not known:
            return None
        flow = self.flow(dex, method_idx)
        args = flow.args_at(call.offset) if flow is not None and call.offset is not None else []
        pos = 0 if is_static else 1
        if pos >= len(args):
            return None
        out: list[Reached] = []
        step = Step("return", tdex.method_ref(tidx), None, "hex decoded")
        for r in self._many(dex, method_idx, args[pos], depth + 1, True):
            text = r.value.text()
            data = hex_bytes(text) if text is not None else None
            if data is None:
                return None
            made = Value("bytes", data, r.value.offset)
            out.append(Reached(made, r.origin, (step, *r.steps), r.made_in))
        return out or None

    def _return_values(self, dex: DexFile, method_idx: int) -> list[tuple[int, frozenset[Value]]]:
        key = (dex.name, method_idx)
        got = self._returns.get(key)
        if got is None:
            got = []
            flow = self.flow(dex, method_idx)
            if flow is not None and flow.complete:
                for insn in flow.cfg.insns:
                    if insn.op in RETURNS and insn.regs:
                        vals = flow.values_of(insn.pc, insn.regs[0])
                        if vals:
                            got.append((insn.pc, vals))
            self._returns[key] = got
        return got

    def _remodel(
        self, dex: DexFile, method_idx: int, result: Value, depth: int, follow: bool
    ) -> tuple[Reached, ...] | None:
        """Recompute a modelled call (``key.getBytes()``) with its inputs resolved."""
        callee = result.data
        flow = self.flow(dex, method_idx)
        if flow is None or result.offset is None:
            return None
        args = flow.args_at(result.offset)
        if not args:
            return None
        resolved: list[frozenset[Value]] = []
        carried: Reached | None = None  # the input that came from furthest: its path is kept
        for a in args:
            sub = self._many(dex, method_idx, a, depth + 1, follow)
            resolved.append(frozenset(r.value for r in sub))
            for r in sub:
                if r.steps and carried is None:
                    carried = r
        model = MODELS[(callee.class_desc, callee.name)]  # type: ignore[union-attr]
        if not all(resolved):
            return None
        try:
            made, _updates = model(callee, resolved, result.offset)  # type: ignore[arg-type]
        except (ValueError, UnicodeError, OverflowError, AttributeError):
            return None
        if not made:
            return None
        origin = carried.origin if carried else dex.method_ref(method_idx)
        steps = carried.steps if carried else ()
        return tuple(Reached(m, origin, steps, (dex, method_idx)) for m in made)

    def _concat(
        self, dex: DexFile, method_idx: int, v: Value, depth: int, follow: bool
    ) -> tuple[Reached, ...] | None:
        """A string built from parts: the parts resolved (a StringBuilder chain whose
        pieces come from fields, getters or callers)."""
        options: list[list[Value]] = []
        carried: Reached | None = None
        changed = False
        for p in v.data:  # type: ignore[union-attr]
            if p.is_constant():
                options.append([p])
                continue
            got = self._one(dex, method_idx, p, depth + 1, follow)
            if got and all(r.constant for r in got) and len(got) <= MAX_COMBINATIONS:
                options.append([r.value for r in got])
                changed = True
                if carried is None and got[0].steps:
                    carried = got[0]
            elif len(got) == 1 and got[0].value != p:
                options.append([got[0].value])  # e.g. a concat part that is a caller's input
                changed = True
            else:
                options.append([p])
        if not changed:
            return None
        n = 1
        for o in options:
            n *= len(o)
        if n > MAX_COMBINATIONS:
            return None
        origin = carried.origin if carried else dex.method_ref(method_idx)
        steps = carried.steps if carried else ()
        return tuple(
            Reached(Value("concat", tuple(parts), v.offset), origin, steps, (dex, method_idx))
            for parts in product(*options)
        )

    # ---- maps ------------------------------------------------------------------------------

    def map_entries(
        self, dex: DexFile, method_idx: int, values: Iterable[Value]
    ) -> list[tuple[Entry, tuple[Step, ...]]] | None:
        """The constant entries of the map(s) ``values`` (seen in ``method_idx``) may be,
        each with the steps from here back to the method that filled the map; None when
        one of them is not a map filled only with constants (see :mod:`.maps`)."""
        self._left = self.limits.value_steps
        self._cut = False
        return self._entries(dex, method_idx, frozenset(values), 0, True)

    def _entries(
        self, dex: DexFile, method_idx: int, values: frozenset[Value], depth: int, follow: bool
    ) -> list[tuple[Entry, tuple[Step, ...]]] | None:
        out: list[tuple[Entry, tuple[Step, ...]]] = []
        for r in self._many(dex, method_idx, values, depth + 1, follow):
            got = self._map_of(r, depth)
            if got is None:
                return None
            out.extend(got)
            if len(out) > MAX_ENTRIES:
                return None
        return out or None

    def _map_of(self, r: Reached, depth: int) -> list[tuple[Entry, tuple[Step, ...]]] | None:
        v = r.value
        if v.kind == "field":
            got = self._memoised(
                ("map field", v.data),
                lambda: self._field_map(v.data, depth),  # type: ignore[arg-type]
            )
            return None if got is None else [(e, (*r.steps, *s)) for e, s in got]  # type: ignore[misc]
        if not is_map_maker(v) or r.made_in is None:
            return None
        maps = self._method_maps(*r.made_in)
        if maps is None or any(v in s for s in maps.field_stores):
            return None  # also kept in a field: code reading the field may change it
        entries = self._contents(maps, r.made_in, v, depth)
        return None if entries is None else [(e, r.steps) for e in entries]

    def _contents(
        self,
        maps: MethodMaps,
        made_in: tuple[DexFile, int],
        made: Value,
        depth: int,
        field: FieldRef | None = None,
    ) -> list[Entry] | None:
        mdex, midx = made_in
        return maps.contents(
            made, lambda values: self._many(mdex, midx, values, depth + 1, True) or None, field
        )

    def _field_map(self, field: FieldRef, depth: int) -> tuple | None:
        """A map field: every write stores a map filled with constants where it was made,
        and every method reading the field only reads the map."""
        writes = self.code.field_writes(field.class_desc, field.name, field.type_desc)
        reads = self.code.field_reads(field.class_desc, field.name, field.type_desc)
        cap = self.limits.value_writes
        if not writes or len(writes) > cap or len(reads) > 2 * cap:
            return None
        writers = {(s.dex.name, s.caller_idx) for s in writes}
        for dex_name, idx in {(s.dex.name, s.caller_idx) for s in reads} - writers:
            site = next(s for s in reads if s.dex.name == dex_name and s.caller_idx == idx)
            maps = self._method_maps(site.dex, idx)
            if maps is None or not maps.only_read(field):
                return None
        shown = f"{field.class_desc[1:-1].replace('/', '.')}.{field.name}"
        out: list[tuple[Entry, tuple[Step, ...]]] = []
        for site in writes:
            maps = self._method_maps(site.dex, site.caller_idx)
            i = maps.flow.cfg.by_pc.get(site.offset) if maps is not None else None
            if maps is None or i is None or not maps.flow.cfg.insns[i].regs:
                return None
            stored = maps.flow.values_of(site.offset, maps.flow.cfg.insns[i].regs[0])
            if len(stored) != 1 or not is_map_maker(next(iter(stored))):
                return None
            made = next(iter(stored))
            entries = self._contents(maps, (site.dex, site.caller_idx), made, depth, field)
            if entries is None:
                return None
            step = Step(
                "field", site.caller, shown_offset(site.dex, site.caller_idx, site.offset), shown
            )
            out.extend((e, (step,)) for e in entries)
        return tuple(out) if len(out) <= MAX_ENTRIES else None

    def _method_maps(self, dex: DexFile, method_idx: int) -> MethodMaps | None:
        key = (dex.name, method_idx)
        if key not in self._maps:
            flow = self.flow(dex, method_idx)
            self._maps[key] = MethodMaps(flow) if flow is not None and flow.complete else None
        return self._maps[key]

    def _map_read(
        self,
        dex: DexFile,
        method_idx: int,
        v: Value,
        read: tuple[int, int | None],
        depth: int,
        follow: bool,
    ) -> tuple[Reached, ...] | None:
        """``map.get(key)`` of a map filled with constants: the values stored under a
        constant key, or every value when the key is not a constant (a lookup of what the
        user typed returns one of them, or nothing)."""
        flow = self.flow(dex, method_idx)
        args = flow.args_at(v.offset) if flow is not None and v.offset is not None else []
        key_pos, default_pos = read
        if key_pos >= len(args):
            return None
        entries = self._entries(dex, method_idx, args[0], depth, follow)
        if entries is None:
            return None
        keys = self._many(dex, method_idx, args[key_pos], depth + 1, follow)
        wanted = {r.value.text() for r in keys} if keys and all(r.constant for r in keys) else None
        out: list[Reached] = []
        for e, steps in entries:
            key = e.key.value.text()
            if wanted is not None and key not in wanted:
                continue
            step = Step("map", e.filled_by, e.put_at, key or "")
            out.append(
                Reached(
                    e.value.value,
                    e.value.origin,
                    (*steps, step, *e.value.steps),
                    e.value.made_in,
                )
            )
        if default_pos is not None and default_pos < len(args):
            out.extend(self._many(dex, method_idx, args[default_pos], depth + 1, follow))
        return tuple(out) or None

    def _iterated(
        self,
        dex: DexFile,
        method_idx: int,
        v: Value,
        part: str | None,
        depth: int,
        follow: bool,
    ) -> tuple[Reached, ...] | None:
        """A key or value met while iterating a map filled with constants, in this method:
        ``entry.getKey()/getValue()`` of ``map.entrySet().iterator().next()``, or ``next()``
        of ``map.keySet()/values()``'s iterator."""
        flow = self.flow(dex, method_idx)
        if flow is None:
            return None
        if part is not None:
            args = flow.args_at(v.offset)  # type: ignore[arg-type]
            nexts = list(args[0]) if args else []
        else:
            nexts = [v]
        iterators = self._produced(flow, nexts, frozenset((ITERATOR_NEXT,)))
        views = iterators and self._produced(flow, iterators, ITERATOR_CALLS)
        maps = views and self._produced(flow, views, VIEW_CALLS)
        if not maps:
            return None
        kinds = {VIEWS[x.data.name] for x in views}  # type: ignore[union-attr]
        wanted = part if part is not None else next(iter(kinds))
        if len(kinds) != 1 or (part is None) == ("entry" in kinds) or wanted == "entry":
            return None  # an entry where a key/value is read, or a mix of views
        entries = self._entries(dex, method_idx, frozenset(maps), depth, follow)
        if entries is None:
            return None
        out = []
        for e, steps in entries:
            r = e.key if wanted == "key" else e.value
            step = Step("map", e.filled_by, e.put_at, e.key.value.text() or "")
            out.append(Reached(r.value, r.origin, (*steps, step, *r.steps), r.made_in))
        return tuple(out) or None

    @staticmethod
    def _produced(
        flow: MethodFlow, values: list[Value], calls: frozenset[tuple[str, str]]
    ) -> list[Value]:
        """The receivers of the calls whose results ``values`` are, when every one of them
        is the result of one of ``calls`` (and the receivers all results too); else []."""
        out: list[Value] = []
        for x in values:
            ref = x.data
            if x.kind != "result" or x.offset is None or (ref.class_desc, ref.name) not in calls:  # type: ignore[union-attr]
                return []
            args = flow.args_at(x.offset)
            if not args or not args[0]:
                return []
            out.extend(args[0])
        return out

    def _filled(self, dex: DexFile, method_idx: int, v: Value) -> bool:
        """True when this method hands the array parameter/field ``v`` to a call that fills
        it (``random.nextBytes(iv)``, ``System.arraycopy(.., iv, ..)``)."""
        flow = self.flow(dex, method_idx)
        if flow is None:
            return True
        for call in flow.invokes():
            if call.callee.name not in FILLERS:
                continue
            for a in flow.args_at(call.offset):
                if any(x.kind == v.kind and x.data == v.data for x in a):
                    return True
        return False


def _any_array(got: tuple[Reached, ...]) -> bool:
    return any(r.value.kind in ("array", "bytes") for r in got)
