"""Reaching values over the registers of one method (constant propagation, path-insensitive).

Why intra-procedural and path-insensitive: checks ask "which values can reach argument k
of this call", and in app code the answer is almost always decided inside the calling
method (``Cipher.getInstance("AES/ECB/...")``, ``new SecretKeySpec("k".getBytes(), ..)``).
A forward worklist over basic blocks with per-register value sets (capped, see
:mod:`.values`) answers that in well under a millisecond for a typical method.

Only block-entry states are kept; a query replays one block up to the instruction asked
about, so memory stays proportional to blocks x registers.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Iterator
from heapq import heappop, heappush
from typing import NamedTuple

from mobsec.diagnostics import FormatError
from mobsec.ingest.dex import DexFile, FieldRef, MethodDef, MethodRef
from mobsec.ingest.dex.classes import ACC_STATIC

from .cfg import MAX_CODE_UNITS, BrokenCode, Cfg, Insn, build_cfg, decode_all
from .models import MODELS, is_read_only
from .values import EMPTY, MAX_ARRAY, TOP, ArrayData, Value, join, unknown

CACHE_PER_DEX = 256
VISITS_PER_BLOCK = 40  # worklist cap: visits <= this x blocks + VISITS_BASE
VISITS_BASE = 200
WIDEN_AFTER = 6  # visits of a block after which changing registers go to TOP
NOT_ANALYSED = frozenset((Value("unknown", "not-analysed"),))

INVOKES = frozenset((0x6E, 0x6F, 0x70, 0x71, 0x72, 0x74, 0x75, 0x76, 0x77, 0x78))
STATIC_INVOKES = (0x71, 0x77)
# Opcodes that write a wide (register pair) destination in registers[0].
WIDE_DEST = frozenset(
    {0x04, 0x05, 0x06, 0x0B, 0x16, 0x17, 0x18, 0x19, 0x45, 0x53, 0x61, 0x7D, 0x7E, 0x80, 0x81}
    | {0x83, 0x86, 0x88, 0x89, 0x8B}
).union(range(0x9B, 0xA6), range(0xAB, 0xB0), range(0xBB, 0xC6), range(0xCB, 0xD0))
# Opcodes whose registers[0] is a destination computed from operands we do not fold.
OPAQUE_DEST = frozenset((0x20, 0x2D, 0x2E, 0x2F, 0x30, 0x31, 0xFE, 0xFF)).union(range(0x7B, 0xE3))
# Instructions that cannot throw: no edge to catch handlers from before them.
NO_THROW = frozenset((0x1C, 0x28, 0x29, 0x2A, 0x2B, 0x2C)).union(range(0x1A), range(0x32, 0x3E))

# aput*, iput*, sput*, return (value in registers[0])
_STORES_AND_RETURNS = frozenset((0x0F, 0x10, 0x11)).union(
    range(0x4B, 0x52), range(0x59, 0x60), range(0x67, 0x6E)
)


class CallInfo(NamedTuple):
    offset: int
    opcode: int
    method_idx: int
    callee: MethodRef
    is_static: bool
    registers: tuple[int, ...]  # first register of each argument (receiver first)


class _DexNames:
    """Per-DexFile caches of resolved references (the pools do not cache them all)."""

    def __init__(self, dex: DexFile) -> None:
        self.dex = dex
        self.methods: dict[int, MethodRef] = {}
        self.fields: dict[int, FieldRef] = {}
        self.flows: OrderedDict[int, MethodFlow | None] = OrderedDict()
        self.widths: dict[str, tuple[int, ...]] = {}  # proto -> param_widths(proto)

    def method(self, idx: int) -> MethodRef:
        ref = self.methods.get(idx)
        if ref is None:
            ref = self.methods[idx] = self.dex.method_ref(idx)
        return ref

    def field(self, idx: int) -> FieldRef:
        ref = self.fields.get(idx)
        if ref is None:
            ref = self.fields[idx] = self.dex.pools.field_ref(idx)
        return ref


_NAMES: weakref.WeakKeyDictionary[DexFile, _DexNames] = weakref.WeakKeyDictionary()


def _names(dex: DexFile) -> _DexNames:
    n = _NAMES.get(dex)
    if n is None:
        n = _NAMES.setdefault(dex, _DexNames(dex))
    return n


def param_widths(proto: str) -> tuple[int, ...]:
    """Registers each parameter the prototype declares takes (2 for long/double)."""
    out: list[int] = []
    p, end = 1, proto.find(")")
    while 0 < p < end:
        out.append(2 if proto[p] in "JD" else 1)
        while p < end and proto[p] == "[":
            p += 1
        if p < end and proto[p] == "L":
            k = proto.find(";", p, end)
            p = end if k < 0 else k
        p += 1
    return tuple(out)


def arg_count(proto: str, is_static: bool) -> int:
    """Java arguments the prototype declares (receiver included for instance calls)."""
    return (0 if is_static else 1) + len(param_widths(proto))


def arg_registers(proto: str, regs: tuple[int, ...], is_static: bool) -> tuple[int, ...]:
    """First register of each argument (receiver first), wide arguments collapsed."""
    return first_registers(param_widths(proto), regs, is_static)


def first_registers(
    widths: tuple[int, ...], regs: tuple[int, ...], is_static: bool
) -> tuple[int, ...]:
    """:func:`arg_registers` for a prototype already read (its :func:`param_widths`)."""
    out: list[int] = []
    i = 0
    if not is_static:
        if not regs:
            return ()
        out.append(regs[0])
        i = 1
    n = len(regs)
    for w in widths:
        if i >= n:
            break
        out.append(regs[i])
        i += w
    return tuple(out)


class MethodFlow:
    """The analysed method; queries answer for the state *before* an instruction runs."""

    def __init__(self, dex: DexFile, method: MethodDef, cfg: Cfg, complete: bool) -> None:
        self.dex = dex
        self.method = method
        self.ref = dex.method_ref(method.method_idx)
        self.is_static = bool(method.access_flags & ACC_STATIC)
        self.cfg = cfg
        self.complete = complete  # False: too big or did not settle; values are unknown
        self._names = _names(dex)
        self._entry: list[list[frozenset[Value]] | None] = []
        self._slot = cfg.registers  # pseudo register holding the last invoke's result
        self._uses: dict[int, list[tuple[int, int]]] | None = None  # see result_users
        if complete:
            self.complete = self._solve()

    # ---- fixpoint ----------------------------------------------------------------------

    def _initial(self) -> list[frozenset[Value]]:
        cfg = self.cfg
        st: list[frozenset[Value]] = [EMPTY] * (cfg.registers + 1)
        reg = cfg.registers - cfg.ins
        if not self.is_static and 0 <= reg < cfg.registers:
            st[reg] = frozenset((Value("this", self.ref.class_desc),))
            reg += 1
        proto = self.ref.proto
        firsts = arg_registers(proto, tuple(range(reg, cfg.registers)), True)
        for i, r in enumerate(firsts):
            st[r] = frozenset((Value("param", i),))
        return st

    def _solve(self) -> bool:
        blocks = self.cfg.blocks
        if not blocks:
            return True
        entry: list[list[frozenset[Value]] | None] = [None] * len(blocks)
        self._entry = entry
        entry[0] = self._initial()
        # Passes in code order (an approximation of reverse post-order): a block reached
        # forward is handled in the same pass, one reached by a back edge or a handler in
        # the next, so a loop header sees all its back edges before it is redone.
        work = [0]
        later: set[int] = set()
        queued = {0}
        current = -1
        visits_of = [0] * len(blocks)
        cap = VISITS_PER_BLOCK * len(blocks) + VISITS_BASE
        visits = 0
        insns = self.cfg.insns
        step = self._step

        def merge(b: int, st: list[frozenset[Value]]) -> None:
            old = entry[b]
            if old is None:
                entry[b] = list(st)
                changed = True
            elif old == st:
                return
            else:
                changed = False
                widen = visits_of[b] >= WIDEN_AFTER
                for r, v in enumerate(st):
                    a = old[r]
                    if v is a or a is TOP or v <= a:
                        continue
                    # Widening: a register still changing after several visits of the
                    # block is a loop-carried value; give it up instead of iterating on.
                    j = TOP if widen else join(a, v)
                    if j != a:
                        old[r] = j
                        changed = True
            if changed and b not in queued:
                queued.add(b)
                if b > current:
                    heappush(work, b)
                else:
                    later.add(b)

        while work or later:
            if not work:
                work = sorted(later)
                later.clear()
                current = -1
            visits += 1
            if visits > cap:
                return False
            b = heappop(work)
            current = b
            queued.discard(b)
            visits_of[b] += 1
            block = blocks[b]
            st = list(entry[b])  # type: ignore[arg-type]
            handlers = block.handlers
            sent: list[frozenset[Value]] | None = None  # last state sent to the handlers
            for i in range(block.start, block.end):
                insn = insns[i]
                if handlers and insn.op not in NO_THROW and st != sent:
                    for h in handlers:
                        merge(h, st)
                    sent = list(st)
                step(st, insn)
            for s in block.succs:
                merge(s, st)
        return True

    # ---- transfer ----------------------------------------------------------------------

    def _step(self, st: list[frozenset[Value]], insn: Insn) -> None:
        op = insn.op
        regs = insn.regs
        pc = insn.pc
        if op in INVOKES:
            self._invoke(st, insn)
            return
        if op >= 0x100 or op == 0x00:
            return
        if 0x01 <= op <= 0x09:  # move, move-wide, move-object (+ /from16, /16)
            st[regs[0]] = st[regs[1]]
            if op in WIDE_DEST:
                _set_high(st, regs[0], regs[1])
            return
        if 0x0A <= op <= 0x0C:  # move-result*
            st[regs[0]] = st[self._slot]
            if op == 0x0B:
                _set_high(st, regs[0], None)
            return
        if op == 0x0D:
            st[regs[0]] = unknown(pc, "exception")
            return
        if 0x12 <= op <= 0x19:
            st[regs[0]] = frozenset((Value("const", insn.lit, pc),))
            if op >= 0x16:
                _set_high(st, regs[0], None)
            return
        if op in (0x1A, 0x1B):
            st[regs[0]] = frozenset((Value("string", self.dex.string(insn.idx), pc),))  # type: ignore[arg-type]
            return
        if op == 0x1C:
            st[regs[0]] = frozenset((Value("class", self.dex.type_desc(insn.idx), pc),))  # type: ignore[arg-type]
            return
        if op == 0x21:  # array-length
            st[regs[0]] = self._array_length(st[regs[1]], pc)
            return
        if op == 0x22:  # new-instance
            st[regs[0]] = frozenset((Value("new", self.dex.type_desc(insn.idx), pc),))  # type: ignore[arg-type]
            return
        if op == 0x23:  # new-array
            st[regs[0]] = self._new_array(st[regs[1]], insn.idx, pc)  # type: ignore[arg-type]
            return
        if op in (0x24, 0x25):  # filled-new-array(/range)
            st[self._slot] = self._filled_array(st, insn)
            return
        if op == 0x26:  # fill-array-data
            self._fill_array(st, insn)
            return
        if 0x44 <= op <= 0x4A:  # aget*
            st[regs[0]] = self._aget(st, insn)
            if op == 0x45:
                _set_high(st, regs[0], None)
            return
        if 0x4B <= op <= 0x51:  # aput*
            self._aput(st, insn)
            return
        if 0x52 <= op <= 0x58 or 0x60 <= op <= 0x66:  # iget*, sget*
            st[regs[0]] = frozenset((Value("field", self._names.field(insn.idx), pc),))  # type: ignore[arg-type]
            if op in (0x53, 0x61):
                _set_high(st, regs[0], None)
            return
        if op in OPAQUE_DEST:
            st[regs[0]] = unknown(pc)
            if op in WIDE_DEST:
                _set_high(st, regs[0], None)
            return
        if op in (0xFA, 0xFB, 0xFC, 0xFD):  # invoke-polymorphic / invoke-custom
            st[self._slot] = unknown(pc, "dynamic-invoke")
            return
        # check-cast keeps the value; branches, returns, monitors, iput/sput change nothing

    def _invoke(self, st: list[frozenset[Value]], insn: Insn) -> None:
        names = self._names
        ref = names.method(insn.idx)  # type: ignore[arg-type]
        is_static = insn.op in STATIC_INVOKES
        # arg_registers and arg_count, with the prototype read once per DEX (calls repeat a
        # few thousand prototypes).
        widths = names.widths.get(ref.proto)
        if widths is None:
            widths = names.widths[ref.proto] = param_widths(ref.proto)
        nregs = len(st) - 1
        args = [
            st[r] if r < nregs else EMPTY for r in first_registers(widths, insn.regs, is_static)
        ]
        # Hostile or broken code can pass fewer registers than the prototype declares; the
        # missing arguments are unknown, so models and checks always see the full arity.
        args += [EMPTY] * (len(widths) + (0 if is_static else 1) - len(args))
        result: frozenset[Value] | None = None
        updates: dict[Value, Value] | None = None
        model = MODELS.get((ref.class_desc, ref.name))
        if model is not None:
            try:
                result, updates = model(ref, args, insn.pc)
            except (ValueError, UnicodeError, OverflowError, AttributeError):
                result, updates = None, None
        if not is_read_only(ref):
            start = 0 if is_static else 1
            for a in args[start:]:
                for v in a:
                    if v.kind in ("array", "bytes") and (
                        v.kind == "bytes" or v.data.contents is not None  # type: ignore[union-attr]
                    ):
                        updates = dict(updates or {})
                        updates.setdefault(v, _escaped(v))
        if updates:
            _replace(st, updates)
        if result is None:
            if ref.proto.endswith(")V"):
                result = EMPTY
            else:
                result = frozenset((Value("result", ref, insn.pc),))
        st[self._slot] = result

    # ---- arrays ------------------------------------------------------------------------

    def _new_array(self, size: frozenset[Value], type_idx: int, pc: int) -> frozenset[Value]:
        desc = self.dex.type_desc(type_idx)
        lengths = {v.data for v in size if v.kind == "const"}
        if len(lengths) == 1 and len(size) == 1:
            n = lengths.pop()
            if isinstance(n, int) and 0 <= n <= MAX_ARRAY:
                return frozenset((Value("array", ArrayData(desc, n, (0,) * n), pc),))
            return frozenset((Value("array", ArrayData(desc, None, None), pc),))
        return frozenset((Value("array", ArrayData(desc, None, None), pc),))

    def _filled_array(self, st: list[frozenset[Value]], insn: Insn) -> frozenset[Value]:
        desc = self.dex.type_desc(insn.idx)  # type: ignore[arg-type]
        items: list[int] | None = []
        for r in insn.regs:
            vs = st[r] if r < len(st) - 1 else EMPTY
            if len(vs) == 1 and next(iter(vs)).kind == "const" and items is not None:
                items.append(next(iter(vs)).data)  # type: ignore[arg-type]
            else:
                items = None
        data = ArrayData(desc, len(insn.regs), tuple(items) if items is not None else None)
        return frozenset((Value("array", data, insn.pc),))

    def _fill_array(self, st: list[frozenset[Value]], insn: Insn) -> None:
        pay = self.cfg.by_pc.get(insn.target)  # type: ignore[arg-type]
        if pay is None or self.cfg.insns[pay].op != 0x300:
            return
        width, count, raw = self.cfg.insns[pay].payload  # type: ignore[misc]
        updates: dict[Value, Value] = {}
        for v in st[insn.regs[0]]:
            if v.kind != "array":
                continue
            desc = v.data.type_desc  # type: ignore[union-attr]
            if width == 1 and desc in ("[B", "[Z"):
                new = Value("bytes", bytes(raw), v.offset)
            elif width in (2, 4, 8) and count <= MAX_ARRAY:
                items = tuple(
                    int.from_bytes(raw[i * width : (i + 1) * width], "little") for i in range(count)
                )
                new = Value("array", ArrayData(desc, count, items), v.offset)
            else:
                new = Value("array", ArrayData(desc, count, None), v.offset)
            updates[v] = new
        if updates:
            _replace(st, updates)

    def _array_length(self, arrays: frozenset[Value], pc: int) -> frozenset[Value]:
        out = set()
        for v in arrays:
            if v.kind == "bytes":
                out.add(Value("const", len(v.data), pc))  # type: ignore[arg-type]
            elif v.kind == "array" and v.data.length is not None:  # type: ignore[union-attr]
                out.add(Value("const", v.data.length, pc))  # type: ignore[union-attr]
            else:
                return unknown(pc)
        return frozenset(out) if out else unknown(pc)

    def _aget(self, st: list[frozenset[Value]], insn: Insn) -> frozenset[Value]:
        _, arr, idx = insn.regs
        arrays, indexes = st[arr], st[idx]
        if len(arrays) == 1 and len(indexes) == 1:
            a, i = next(iter(arrays)), next(iter(indexes))
            if i.kind == "const" and isinstance(i.data, int):
                items = _items(a)
                if items is not None and 0 <= i.data < len(items):
                    return frozenset((Value("const", items[i.data], insn.pc),))
        return unknown(insn.pc)

    def _aput(self, st: list[frozenset[Value]], insn: Insn) -> None:
        src, arr, idx = insn.regs
        arrays, indexes, values = st[arr], st[idx], st[src]
        updates: dict[Value, Value] = {}
        for a in arrays:
            if a.kind not in ("array", "bytes"):
                continue
            items = _items(a)
            new = _escaped(a)
            if (
                items is not None
                and len(indexes) == 1
                and len(values) == 1
                and insn.op != 0x4D  # aput-object: contents are not numbers
            ):
                i, v = next(iter(indexes)), next(iter(values))
                if i.kind == "const" and v.kind == "const" and 0 <= i.data < len(items):  # type: ignore[operator]
                    changed = list(items)
                    changed[i.data] = v.data  # type: ignore[index,call-overload]
                    if a.kind == "bytes":
                        new = Value("bytes", bytes(x & 0xFF for x in changed), a.offset)
                    else:
                        data = a.data._replace(contents=tuple(changed))  # type: ignore[union-attr]
                        new = Value("array", data, a.offset)
            updates[a] = new
        if updates:
            _replace(st, updates)

    # ---- queries -----------------------------------------------------------------------

    def invokes(self) -> list[CallInfo]:
        """Every invoke-virtual/super/direct/static/interface (and /range) of the method."""
        out = []
        for insn in self.cfg.insns:
            if insn.op in INVOKES:
                ref = self._names.method(insn.idx)  # type: ignore[arg-type]
                is_static = insn.op in STATIC_INVOKES
                firsts = arg_registers(ref.proto, insn.regs, is_static)
                out.append(CallInfo(insn.pc, insn.op, insn.idx, ref, is_static, firsts))  # type: ignore[arg-type]
        return out

    def _state_before(self, offset: int) -> list[frozenset[Value]] | None:
        i = self.cfg.by_pc.get(offset)
        if i is None or not self.complete:
            return None
        b = self.cfg.block_of[i]
        entry = self._entry[b] if b < len(self._entry) else None
        if entry is None:
            return None  # unreachable code
        st = list(entry)
        for k in range(self.cfg.blocks[b].start, i):
            self._step(st, self.cfg.insns[k])
        return st

    def values_of(self, offset: int, register: int) -> frozenset[Value]:
        """Possible values of ``register`` just before the instruction at ``offset``."""
        st = self._state_before(offset)
        if st is None:
            return NOT_ANALYSED if not self.complete else EMPTY
        if not 0 <= register < len(st) - 1:
            return EMPTY
        return st[register]

    def args_at(self, offset: int) -> list[frozenset[Value]]:
        """Possible values of each argument of the invoke at ``offset`` (receiver first).

        One entry per Java argument: a long/double pair counts once. Empty list when
        there is no invoke at ``offset``.
        """
        i = self.cfg.by_pc.get(offset)
        if i is None or self.cfg.insns[i].op not in INVOKES:
            return []
        insn = self.cfg.insns[i]
        ref = self._names.method(insn.idx)  # type: ignore[arg-type]
        is_static = insn.op in STATIC_INVOKES
        firsts = arg_registers(ref.proto, insn.regs, is_static)
        missing = [EMPTY] * (arg_count(ref.proto, is_static) - len(firsts))  # broken code
        st = self._state_before(offset)
        if st is None:
            fill = NOT_ANALYSED if not self.complete else EMPTY
            return [fill for _ in firsts] + missing
        return [st[r] if r < len(st) - 1 else EMPTY for r in firsts] + missing

    def iter_states(self) -> Iterator[tuple[Insn, list[frozenset[Value]]]]:
        """Each reachable instruction with the state before it (a fresh list per block)."""
        if not self.complete:
            return
        for b, block in enumerate(self.cfg.blocks):
            entry = self._entry[b] if b < len(self._entry) else None
            if entry is None:
                continue
            st = list(entry)
            for k in range(block.start, block.end):
                insn = self.cfg.insns[k]
                yield insn, st
                self._step(st, insn)

    def result_users(self, offset: int) -> list[tuple[int, int]]:
        """Where the result of the invoke at ``offset`` is used: (offset, argument position).

        Uses are invokes (position = argument index, receiver first), field and array
        stores (position 0 = the stored value) and returns; a value that merely *contains*
        the result (a concat part) counts as a use too.
        """
        if self._uses is None:
            self._uses = self._index_uses()
        return list(self._uses.get(offset, ()))

    def _index_uses(self) -> dict[int, list[tuple[int, int]]]:
        """Producer offset -> its uses, for every producer at once: one pass over the
        states instead of one per ``result_users`` question (forward walks ask many)."""
        index: dict[int, list[tuple[int, int]]] = {}
        for insn, st in self.iter_states():
            op = insn.op
            if op in INVOKES:
                ref = self._names.method(insn.idx)  # type: ignore[arg-type]
                regs = arg_registers(ref.proto, insn.regs, op in STATIC_INVOKES)
            elif op in _STORES_AND_RETURNS:
                regs = insn.regs[:1]
            else:
                continue
            for pos, r in enumerate(regs):
                if r < len(st) - 1:
                    for producer in _producers(st[r]):
                        index.setdefault(producer, []).append((insn.pc, pos))
        return index


def _producers(values: frozenset[Value]) -> set[int]:
    """Offsets whose result these values are, or contain as a concat part."""
    out: set[int] = set()
    todo = list(values)
    while todo:
        v = todo.pop()
        if v.offset is not None:
            out.add(v.offset)
        if v.kind == "concat":
            todo.extend(v.data)  # type: ignore[arg-type]
    return out


def _set_high(st: list[frozenset[Value]], low: int, src_low: int | None) -> None:
    """The second register of a wide pair holds no value of its own."""
    if low + 1 < len(st) - 1:
        st[low + 1] = EMPTY


def _items(a: Value) -> tuple[int, ...] | None:
    if a.kind == "bytes":
        return tuple(a.data)  # type: ignore[arg-type]
    if a.kind == "array":
        return a.data.contents  # type: ignore[union-attr]
    return None


def _escaped(v: Value) -> Value:
    """The same array after code we do not model may have written it."""
    if v.kind == "bytes":
        data = ArrayData("[B", len(v.data), None)  # type: ignore[arg-type]
    else:
        data = v.data._replace(contents=None)  # type: ignore[union-attr]
    return Value("array", data, v.offset)


def _replace(st: list[frozenset[Value]], updates: dict[Value, Value]) -> None:
    """Every register holding an updated object now holds its new state (aliasing)."""
    for r, vs in enumerate(st):
        if vs and not updates.keys().isdisjoint(vs):
            new = frozenset(updates.get(v, v) for v in vs)
            st[r] = TOP if len(new) > 8 else new


# ---- entry point and cache --------------------------------------------------------------


def method_flow(dex: DexFile, method: MethodDef) -> MethodFlow | None:
    """The analysed method; None without code or when its code cannot be decoded.

    Cached per (dex, method record) in a bounded LRU.
    """
    names = _names(dex)
    cache = names.flows
    key = method.record
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    flow = _analyse(dex, method)
    cache[key] = flow
    if len(cache) > CACHE_PER_DEX:
        cache.popitem(last=False)
    return flow


def _analyse(dex: DexFile, method: MethodDef) -> MethodFlow | None:
    try:
        code = dex.code_item(method)
    except FormatError:
        return None
    if code is None:
        return None
    try:
        if code.insns_size > MAX_CODE_UNITS:
            # Too big to analyse: invokes are still listed, every value is unknown.
            insns = decode_all(dex, code)
            cfg = Cfg(insns, {x.pc: i for i, x in enumerate(insns)}, [], [], code.registers_size,
                      code.ins_size)  # fmt: skip
            return MethodFlow(dex, method, cfg, complete=False)
        cfg = build_cfg(dex, code)
    except BrokenCode:
        return None
    if code.ins_size > code.registers_size or cfg.max_register >= code.registers_size:
        return None  # the verifier would reject it; no state can hold these registers
    return MethodFlow(dex, method, cfg, complete=True)
