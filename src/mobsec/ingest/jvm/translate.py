"""JVM bytecode of one method → Dalvik code units, the way d8 maps a stack to registers.

Register layout: v0-v3 are scratch (Dalvik's 4-bit register formats: iget/iput, if-cmp,
conversions, array-length, instance-of, new-array), local ``n`` is ``v(4+n)``, operand
stack slot ``d`` is ``v(4+max_locals+d)``, and the parameters arrive in the highest
registers (Dalvik's convention) and are moved into their locals first. A long or double
takes two slots in both machines, so register pairs fall out of the slot numbering.

The operand stack's shape at every instruction is computed first (a worklist over the
code, as a verifier does); the kinds (int, float, long, double, reference, a ``new``
object not yet constructed) pick the move and get/put flavour. ``new X; dup; ...;
invokespecial <init>`` constructs the duplicate: the original slot receives it after the
call, so models of constructors (``new String(bytes)``) reach the value that is used.

A method that cannot be translated (``jsr``/``ret``, a frame over 252 registers, a stack
that under/overflows or differs at a join, a branch too far for 16 bits) raises
:class:`Untranslatable`; the caller keeps the method without code and counts it.
"""

from __future__ import annotations

import itertools
import struct
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from .bytecode import LENGTHS
from .classfile import (
    ACC_STATIC,
    FIELDREF,
    IFACE_METHODREF,
    METHODREF,
    STRING,
    ClassFormatError,
    ClassInfo,
    ConstantPool,
    MethodInfo,
)
from .dexwriter import DexCode, Ref, Unit, parse_desc, valid_ref

SCRATCH = 4
MAX_FRAME = 256  # every local and stack register must fit an 8-bit register field
MAX_STATES = 200_000  # worklist steps per method (a bounded verifier)


class Untranslatable(Exception):
    """The method's bytecode has no faithful Dalvik form here; the message says why."""


@dataclass(slots=True)
class Translated:
    code: DexCode
    pc_map: list[tuple[int, int]]  # (dex pc, jvm pc) ascending, one per JVM instruction

    def jvm_pc(self, dex_pc: int) -> int | None:
        """The JVM instruction a Dalvik code unit belongs to (the parameter moves before
        the first one belong to the method's entry, offset 0)."""
        if not self.pc_map:
            return None
        i = bisect_right(self.pc_map, (dex_pc, 1 << 30)) - 1
        return self.pc_map[max(i, 0)][1]


@lru_cache(maxsize=16384)
def kind_of(desc: str) -> str:
    c = desc[:1]
    if c in "ZBCSI":
        return "I"
    if c in "FJD":
        return c
    return "" if c == "V" else "A"


def _slots(kind: str) -> tuple[str, ...]:
    return (kind, "T") if kind in ("J", "D") else (kind,) if kind else ()


@lru_cache(maxsize=16384)
def _arg_slots(desc: str, static: bool) -> tuple[str, ...]:
    params, _ = parse_desc(desc)
    out: tuple[str, ...] = () if static else ("A",)
    for t in params:
        out += _slots(kind_of(t))
    return out


# JVM arithmetic (0x60 + 4*k + t, t = I J F D) → Dalvik binop base per type
_BINOP_BASE = {"I": 0x90, "J": 0x9B, "F": 0xA6, "D": 0xAB}
_TYPES = "IJFD"
_SHIFT_LOGIC = {  # JVM op → (Dalvik op, kind)
    0x78: (0x98, "I"), 0x79: (0xA3, "J"), 0x7A: (0x99, "I"), 0x7B: (0xA4, "J"),
    0x7C: (0x9A, "I"), 0x7D: (0xA5, "J"), 0x7E: (0x95, "I"), 0x7F: (0xA0, "J"),
    0x80: (0x96, "I"), 0x81: (0xA1, "J"), 0x82: (0x97, "I"), 0x83: (0xA2, "J"),
}  # fmt: skip
_CONVERT = {  # JVM 0x85..0x93 → (from kind, to kind); Dalvik op = JVM op - 4
    0x85: "IJ", 0x86: "IF", 0x87: "ID", 0x88: "JI", 0x89: "JF", 0x8A: "JD", 0x8B: "FI",
    0x8C: "FJ", 0x8D: "FD", 0x8E: "DI", 0x8F: "DJ", 0x90: "DF", 0x91: "II", 0x92: "II",
    0x93: "II",
}  # fmt: skip
_ALOAD = {0x2E: (0x44, "I"), 0x2F: (0x45, "J"), 0x30: (0x44, "F"), 0x31: (0x45, "D"),
          0x32: (0x46, "A"), 0x33: (0x48, "I"), 0x34: (0x49, "I"), 0x35: (0x4A, "I")}  # fmt: skip
_ASTORE = {0x4F: (0x4B, "I"), 0x50: (0x4C, "J"), 0x51: (0x4B, "F"), 0x52: (0x4C, "D"),
           0x53: (0x4D, "A"), 0x54: (0x4F, "I"), 0x55: (0x50, "I"), 0x56: (0x51, "I")}  # fmt: skip
_FIELD_FLAVOUR = {"I": 0, "F": 0, "J": 1, "D": 1, "L": 2, "[": 2, "Z": 3, "B": 4, "C": 5, "S": 6}
_NEWARRAY = {4: "[Z", 5: "[C", 6: "[F", 7: "[D", 8: "[B", 9: "[S", 10: "[I", 11: "[J"}
# dup family: (slots taken from the top, new top as indexes into them, bottom first)
_DUPS = {
    0x59: (1, (0, 0)),
    0x5A: (2, (1, 0, 1)),
    0x5B: (3, (2, 0, 1, 2)),
    0x5C: (2, (0, 1, 0, 1)),
    0x5D: (3, (1, 2, 0, 1, 2)),
    0x5E: (4, (2, 3, 0, 1, 2, 3)),
    0x5F: (2, (1, 0)),
}
_MOVE16 = {"I": 0x03, "F": 0x03, "J": 0x06, "D": 0x06, "A": 0x09, "N": 0x09}  # N: from new
_RESULT = {"I": 0x0A, "F": 0x0A, "J": 0x0B, "D": 0x0B, "A": 0x0C}


class _Frame:
    """Stack shapes before each instruction, found with a bounded worklist."""

    def __init__(self, code: bytes, cp: ConstantPool, method: MethodInfo, owner: str) -> None:
        self.code, self.cp, self.method = code, cp, method
        self.owner = owner
        self.starts: dict[int, int] = {}  # pc → instruction length
        self.states: dict[int, tuple[str, ...]] = {}
        self.max_depth = 0
        self.joins: set[int] = set()  # reached other than by falling through: jump targets

    def length(self, pc: int) -> int:
        code, op = self.code, self.code[pc]
        size = LENGTHS[op]
        if size == 255:
            if op == 0xC4:
                return 6 if code[pc + 1] == 0x84 else 4
            base = (pc + 4) & ~3
            if op == 0xAA:
                low, high = struct.unpack_from(">ii", code, base + 4)
                return base + 12 + 4 * (high - low + 1) - pc
            (n,) = struct.unpack_from(">i", code, base + 4)
            return base + 8 + 8 * n - pc
        return size

    def run(self) -> None:
        work: list[tuple[int, tuple[str, ...]]] = [(0, ())]
        for _, _, handler, _ in self.method.handlers:
            work.append((handler, ("A",)))
            self.joins.add(handler)
        steps = 0
        while work:
            pc, state = work.pop()
            old = self.states.get(pc)
            if old is not None:
                if len(old) != len(state) or any(
                    (a == "T") != (b == "T") or (a in "JD") != (b in "JD")
                    for a, b in zip(old, state, strict=True)
                ):
                    raise Untranslatable(f"stack shapes differ at {pc}")
                continue
            steps += 1
            if steps > MAX_STATES:
                raise Untranslatable("too many stack states")
            if not 0 <= pc < len(self.code):
                raise Untranslatable(f"flow leaves the code at {pc}")
            self.states[pc] = state
            self.max_depth = max(self.max_depth, len(state))
            after, succs = self.step(pc, state)
            self.max_depth = max(self.max_depth, len(after))
            for s in succs:
                if s != pc + self.length(pc):
                    self.joins.add(s)
                work.append((s, after))

    def pop(self, state: tuple[str, ...], n: int) -> tuple[str, ...]:
        if n > len(state):
            raise Untranslatable("operand stack underflow")
        return state[: len(state) - n]

    def step(self, pc: int, st: tuple[str, ...]) -> tuple[tuple[str, ...], list[int]]:
        """The stack after the instruction at ``pc`` and where control goes next."""
        code, op = self.code, self.code[pc]
        size = self.length(pc)
        nxt = [pc + size]
        u2 = (code[pc + 1] << 8) | code[pc + 2] if size >= 3 else 0
        if op == 0x00:
            return st, nxt
        if op == 0x01:
            return (*st, "A"), nxt
        if 0x02 <= op <= 0x08 or op in (0x10, 0x11):
            return (*st, "I"), nxt
        if op in (0x09, 0x0A):
            return (*st, "J", "T"), nxt
        if 0x0B <= op <= 0x0D:
            return (*st, "F"), nxt
        if op in (0x0E, 0x0F):
            return (*st, "D", "T"), nxt
        if op in (0xB2, 0xB3, 0xB4, 0xB5):
            ref = self.cp.member(u2, (FIELDREF,), f"field access at {pc}")
            k = _slots(kind_of(ref.desc))
            if op == 0xB2:
                return st + k, nxt
            if op == 0xB3:
                return self.pop(st, len(k)), nxt
            if op == 0xB4:
                return self.pop(st, 1) + k, nxt
            return self.pop(st, 1 + len(k)), nxt
        if 0xB6 <= op <= 0xB9:
            tags = (IFACE_METHODREF,) if op == 0xB9 else (METHODREF, IFACE_METHODREF)
            ref = self.cp.member(u2, tags, f"invoke at {pc}")
            n = len(_arg_slots(ref.desc, op == 0xB8))
            after = self.pop(st, n)
            if op == 0xB7 and ref.name == "<init>":
                receiver = st[len(st) - n]
                if receiver.startswith("N"):  # constructed: every copy is now an object
                    after = tuple("A" if k == receiver else k for k in after)
            return after + _slots(kind_of(parse_desc(ref.desc)[1])), nxt
        if 0x12 <= op <= 0x14:
            idx = code[pc + 1] if op == 0x12 else u2
            self.cp.loadable(idx, op == 0x14, f"ldc at {pc}")
            return st + _slots(self.cp.loadable_kind(idx)), nxt
        if 0x15 <= op <= 0x2D:
            k = "IJFDA"[op - 0x15] if op <= 0x19 else "IJFDA"[(op - 0x1A) // 4]
            return st + _slots(k), nxt
        if op in _ALOAD:
            return self.pop(st, 2) + _slots(_ALOAD[op][1]), nxt
        if 0x36 <= op <= 0x4E:
            k = "IJFDA"[op - 0x36] if op <= 0x3A else "IJFDA"[(op - 0x3B) // 4]
            return self.pop(st, len(_slots(k))), nxt
        if op in _ASTORE:
            return self.pop(st, 2 + len(_slots(_ASTORE[op][1]))), nxt
        if op in (0x57, 0x58):
            return self.pop(st, op - 0x56), nxt
        if op in _DUPS:
            take, order = _DUPS[op]
            top = st[len(st) - take :] if take <= len(st) else None
            if top is None:
                raise Untranslatable("operand stack underflow")
            return self.pop(st, take) + tuple(top[i] for i in order), nxt
        if 0x60 <= op <= 0x73:
            k = _TYPES[(op - 0x60) % 4]
            return self.pop(st, 2 * len(_slots(k))) + _slots(k), nxt
        if 0x74 <= op <= 0x77:
            return st, nxt
        if op in _SHIFT_LOGIC:
            _, k = _SHIFT_LOGIC[op]
            n = (len(_slots(k)) + 1) if op <= 0x7D else 2 * len(_slots(k))
            return self.pop(st, n) + _slots(k), nxt
        if op == 0x84:
            return st, nxt
        if op in _CONVERT:
            a, b = _CONVERT[op]
            return self.pop(st, len(_slots(a))) + _slots(b), nxt
        if op in (0x94, 0x97, 0x98):
            return (*self.pop(st, 4), "I"), nxt
        if op in (0x95, 0x96):
            return (*self.pop(st, 2), "I"), nxt
        if 0x99 <= op <= 0x9E or op in (0xC6, 0xC7):
            return self.pop(st, 1), [*nxt, pc + _s16(u2)]
        if 0x9F <= op <= 0xA6:
            return self.pop(st, 2), [*nxt, pc + _s16(u2)]
        if op == 0xA7:
            return st, [pc + _s16(u2)]
        if op == 0xC8:
            return st, [pc + struct.unpack_from(">i", code, pc + 1)[0]]
        if op in (0xAA, 0xAB):
            return self.pop(st, 1), self.switch_targets(pc)
        if 0xAC <= op <= 0xB1:
            return (), []
        if op == 0xBA:
            _, desc = self.cp.name_and_type_of_dynamic(u2, f"invokedynamic at {pc}")
            n = len(_arg_slots(desc, True))
            return self.pop(st, n) + _slots(kind_of(parse_desc(desc)[1])), nxt
        if op == 0xBB:
            self.cp.class_name(u2, f"new at {pc}")
            return (*st, f"N{pc}"), nxt
        if op in (0xBC, 0xBD, 0xBE, 0xC1):
            return self.pop(st, 1) + (("I",) if op in (0xBE, 0xC1) else ("A",)), nxt
        if op == 0xBF:
            self.pop(st, 1)
            return (), []
        if op == 0xC0:
            self.cp.class_name(u2, f"checkcast at {pc}")
            return (*self.pop(st, 1), "A"), nxt
        if op in (0xC2, 0xC3):
            return self.pop(st, 1), nxt
        if op == 0xC4:
            inner = code[pc + 1]
            if inner == 0x84:
                return st, nxt
            if 0x15 <= inner <= 0x19:
                return st + _slots("IJFDA"[inner - 0x15]), nxt
            if 0x36 <= inner <= 0x3A:
                return self.pop(st, len(_slots("IJFDA"[inner - 0x36]))), nxt
            raise Untranslatable(f"wide {inner:#x} at {pc}")
        if op == 0xC5:
            return (*self.pop(st, code[pc + 3]), "A"), nxt
        raise Untranslatable(f"opcode {op:#04x} at {pc} (jsr/ret subroutines are not translated)")

    def switch_targets(self, pc: int) -> list[int]:
        return [pc + off for _, off in self.switch(pc)[1]]

    def switch(self, pc: int) -> tuple[int | None, list[tuple[int, int]]]:
        """(low key or None for lookupswitch, [(key, offset)] with the default first)."""
        code, base = self.code, (pc + 4) & ~3
        (default,) = struct.unpack_from(">i", code, base)
        out = [(0, default)]
        if code[pc] == 0xAA:
            low, high = struct.unpack_from(">ii", code, base + 4)
            for i in range(high - low + 1):
                out.append((low + i, struct.unpack_from(">i", code, base + 12 + 4 * i)[0]))
            return low, out
        (n,) = struct.unpack_from(">i", code, base + 4)
        for i in range(n):
            out.append(struct.unpack_from(">ii", code, base + 8 + 8 * i))  # type: ignore[arg-type]
        return None, out


def _s16(v: int) -> int:
    return v - 0x10000 if v & 0x8000 else v


class _Emitter:
    def __init__(self) -> None:
        self.units: list[Unit] = []
        self.branches: list[
            tuple[int, int, int, int]
        ] = []  # (unit index, insn pc, jvm target, width)
        self.payloads: list[tuple[int, int, list[Unit | tuple[int, int]]]] = []
        self.int_const: tuple[int, int] = (-1, 0)  # (pc after it, value) of the last int push

    def push_int(self, reg: int, value: int, next_pc: int) -> None:
        self.const32(reg, value)
        self.int_const = (next_pc, value)

    @property
    def pc(self) -> int:
        return len(self.units)

    def raw(self, *units: Unit) -> None:
        self.units.extend(units)

    def move(self, kind: str, dst: int, src: int) -> None:
        if dst != src and kind != "T":
            self.units += (_MOVE16[kind[0]], dst, src)

    def ref21(self, op: int, a: int, ref: Ref) -> None:
        self.raw(op | (a << 8), ref)

    def op23(self, op: int, a: int, b: int, c: int) -> None:
        self.raw(op | (a << 8), b | (c << 8))

    def const32(self, reg: int, value: int) -> None:
        v = value & 0xFFFFFFFF
        self.raw(0x14 | (reg << 8), v & 0xFFFF, v >> 16)

    def const64(self, reg: int, value: int) -> None:
        v = value & 0xFFFFFFFFFFFFFFFF
        self.raw(0x18 | (reg << 8), *((v >> s) & 0xFFFF for s in (0, 16, 32, 48)))

    def branch(self, op_unit: int, jvm_target: int, width: int) -> None:
        start = self.pc
        self.raw(op_unit)
        self.branches.append((self.pc, start, jvm_target, width))
        self.raw(*([0] * (width // 16)))


def translate(cls: ClassInfo, m: MethodInfo) -> Translated:
    """Dalvik code for ``m`` (which has bytecode); raises :class:`Untranslatable`."""
    try:
        return _translate(cls, m)
    except (struct.error, IndexError) as e:
        raise Untranslatable(f"truncated operand ({e})") from None
    except (ClassFormatError, ValueError) as e:  # an operand the reader did not resolve
        raise Untranslatable(str(e)) from None


def _translate(cls: ClassInfo, m: MethodInfo) -> Translated:
    cp = cls.cp
    assert cp is not None
    code = m.bytecode
    static = bool(m.access & ACC_STATIC)
    args = _arg_slots(m.desc, static)
    if len(args) > m.max_locals:
        raise Untranslatable(f"{len(args)} parameter slots but max_locals {m.max_locals}")
    frame = _Frame(code, cp, m, cls.name)
    frame.run()
    base = SCRATCH + m.max_locals
    if base + frame.max_depth > MAX_FRAME:
        raise Untranslatable(f"frame of {base + frame.max_depth} registers is over {MAX_FRAME}")
    params = base + frame.max_depth
    e = _Emitter()
    for i, k in enumerate(args):  # parameters: from the top registers into their locals
        e.move(k, SCRATCH + i, params + i)
    handler_pcs = {h for _, _, h, _ in m.handlers}
    dex_pc: dict[int, int] = {}
    pc_map: list[tuple[int, int]] = []
    outs = 0
    pc = 0
    while pc < len(code):
        size = frame.length(pc)
        if size <= 0:
            raise Untranslatable(f"bad instruction length at {pc}")
        dex_pc[pc] = e.pc
        pc_map.append((e.pc, pc))
        st = frame.states.get(pc)
        if st is not None:
            if pc in handler_pcs:
                e.raw(0x0D | ((base + len(st) - 1) << 8))  # move-exception
            outs = max(outs, _emit(e, frame, cp, cls.name, pc, st, base))
        pc += size
    for at, start, target, width in e.branches:
        if target not in dex_pc:
            raise Untranslatable(f"branch to {target}, not an instruction")
        rel = dex_pc[target] - start
        if width == 16:
            if not -0x8000 <= rel < 0x8000:
                raise Untranslatable("branch too far for a 16-bit offset")
            e.units[at] = rel & 0xFFFF
        else:
            e.units[at] = rel & 0xFFFF
            e.units[at + 1] = (rel >> 16) & 0xFFFF
    for at, start, payload in e.payloads:  # switch payloads at the end, 4-byte aligned
        if e.pc % 2:
            e.raw(0)
        rel = e.pc - start
        e.units[at], e.units[at + 1] = rel & 0xFFFF, (rel >> 16) & 0xFFFF
        for item in payload:
            if isinstance(item, tuple) and isinstance(item[0], int):
                target_rel = dex_pc[item[0]] - start  # type: ignore[index]
                e.raw(target_rel & 0xFFFF, (target_rel >> 16) & 0xFFFF)
            else:
                e.raw(item)  # type: ignore[arg-type]
    tries = _tries(m, dex_pc, e.pc)
    lines = sorted({(dex_pc[p], ln) for p, ln in m.lines if p in dex_pc})
    dedup: list[tuple[int, int]] = []
    for pcu, ln in lines:
        if dedup and dedup[-1][0] == pcu:
            continue
        dedup.append((pcu, ln))
    bad = next((u for u in e.units if not isinstance(u, int) and not valid_ref(u)), None)
    if bad is not None:
        raise Untranslatable(f"malformed descriptor in a reference: {str(bad[1])[:120]}")
    n_params = len(parse_desc(m.desc)[0])
    regs = params + len(args)
    return Translated(DexCode(regs, len(args), outs, e.units, tries, dedup, n_params), pc_map)


def _tries(
    m: MethodInfo, dex_pc: dict[int, int], end: int
) -> list[tuple[int, int, list[tuple[str | None, int]]]]:
    """JVM's ordered, overlapping exception table → Dalvik's disjoint try ranges."""
    if not m.handlers:
        return []

    def at(p: int) -> int:
        return dex_pc.get(p, end)

    ranges = [(at(s), at(e), at(h), t) for s, e, h, t in m.handlers if h in dex_pc]
    cuts = sorted({b for s, e, _, _ in ranges for b in (s, e)})
    out = []
    for a, b in itertools.pairwise(cuts):
        if b <= a or b - a > 0xFFFF:
            continue
        handlers: list[tuple[str | None, int]] = []
        seen: set[str | None] = set()
        for s, e, h, t in ranges:
            if s <= a and b <= e and t not in seen and None not in seen:
                seen.add(t)
                handlers.append((t, h))
        if handlers:
            out.append((a, b - a, handlers))
    return out


def _emit(
    e: _Emitter, f: _Frame, cp: ConstantPool, owner: str, pc: int, st: tuple[str, ...], base: int
) -> int:
    """Dalvik for the instruction at ``pc``; returns the outgoing argument count."""
    code, op = f.code, f.code[pc]
    d = len(st)

    def r(slot: int) -> int:
        return base + slot

    u2 = (code[pc + 1] << 8) | code[pc + 2] if LENGTHS[op] >= 3 else 0
    if op in (0x00, 0x57, 0x58):
        return 0
    if op == 0x01:
        e.const32(r(d), 0)
    elif 0x02 <= op <= 0x08:
        e.push_int(r(d), op - 3, pc + 1)
    elif op in (0x09, 0x0A):
        e.const64(r(d), op - 0x09)
    elif 0x0B <= op <= 0x0D:
        e.const32(r(d), struct.unpack("<I", struct.pack("<f", float(op - 0x0B)))[0])
    elif op in (0x0E, 0x0F):
        e.const64(r(d), struct.unpack("<Q", struct.pack("<d", float(op - 0x0E)))[0])
    elif op == 0x10:
        e.push_int(r(d), code[pc + 1] - 256 if code[pc + 1] & 0x80 else code[pc + 1], pc + 2)
    elif op == 0x11:
        e.const32(r(d), _s16(u2))
    elif 0xB2 <= op <= 0xB5:
        ref = cp.member(u2, (FIELDREF,), f"field access at {pc}")
        k = kind_of(ref.desc)
        w = len(_slots(k))
        flavour = _FIELD_FLAVOUR[ref.desc[0]]
        key = ("field", (ref.owner, ref.name, ref.desc))
        if op == 0xB2:
            e.ref21(0x60 + flavour, r(d), key)
        elif op == 0xB3:
            e.ref21(0x67 + flavour, r(d - w), key)
        elif op == 0xB4:
            e.move("A", 2, r(d - 1))
            e.raw((0x52 + flavour) | (0 << 8) | (2 << 12), key)
            e.move(k, r(d - 1), 0)
        else:
            e.move(k, 0, r(d - w))
            e.move("A", 2, r(d - w - 1))
            e.raw((0x59 + flavour) | (0 << 8) | (2 << 12), key)
    elif 0xB6 <= op <= 0xB9:
        tags = (IFACE_METHODREF,) if op == 0xB9 else (METHODREF, IFACE_METHODREF)
        ref = cp.member(u2, tags, f"invoke at {pc}")
        n = len(_arg_slots(ref.desc, op == 0xB8))
        if op == 0xB6:
            dop = 0x74
        elif op == 0xB8:
            dop = 0x77
        elif op == 0xB9:
            dop = 0x78
        elif ref.name == "<init>" or ref.owner == owner:
            dop = 0x76  # constructors and the class's own private methods: invoke-direct
        else:
            dop = 0x75
        first = r(d - n) if n else 0
        e.raw(dop | (n << 8), ("method", (ref.owner, ref.name, ref.desc)), first)
        k = kind_of(parse_desc(ref.desc)[1])
        if k:
            e.raw(_RESULT[k] | (r(d - n) << 8))
        if dop == 0x76 and ref.name == "<init>" and st[d - n].startswith("N"):
            for slot in range(d - n):  # the copies below the receiver: the constructed object
                if st[slot] == st[d - n]:
                    e.move("A", r(slot), r(d - n))
        return n
    elif 0x12 <= op <= 0x14:
        idx = code[pc + 1] if op == 0x12 else u2
        value = cp.loadable(idx, op == 0x14, f"ldc at {pc}")
        tag = cp.tags[idx]
        if tag == STRING:
            e.ref21(0x1A, r(d), ("string", value))
        elif tag == 7:  # CONSTANT_Class
            e.ref21(0x1C, r(d), ("type", cp.class_name(idx, f"ldc at {pc}")))
        elif isinstance(value, float):
            if op == 0x14:
                e.const64(r(d), struct.unpack("<Q", struct.pack("<d", value))[0])
            else:
                e.const32(r(d), struct.unpack("<I", struct.pack("<f", value))[0])
        elif isinstance(value, int):
            (e.const64 if op == 0x14 else e.const32)(r(d), value)
        else:
            _opaque(e, cp.loadable_kind(idx), r(d))
    elif 0x15 <= op <= 0x2D:
        k = "IJFDA"[op - 0x15] if op <= 0x19 else "IJFDA"[(op - 0x1A) // 4]
        n = code[pc + 1] if op <= 0x19 else (op - 0x1A) % 4
        _local(f, n, k)
        e.move(k, r(d), SCRATCH + n)
    elif op in _ALOAD:
        e.op23(_ALOAD[op][0], r(d - 2), r(d - 2), r(d - 1))
    elif 0x36 <= op <= 0x4E:
        k = "IJFDA"[op - 0x36] if op <= 0x3A else "IJFDA"[(op - 0x3B) // 4]
        n = code[pc + 1] if op <= 0x3A else (op - 0x3B) % 4
        _local(f, n, k)
        w = len(_slots(k))
        e.move(st[d - w], SCRATCH + n, r(d - w))
    elif op in _ASTORE:
        w = len(_slots(_ASTORE[op][1]))
        e.op23(_ASTORE[op][0], r(d - w), r(d - w - 2), r(d - w - 1))
    elif op in _DUPS:
        take, order = _DUPS[op]
        if op == 0x59:
            e.move(st[d - 1], r(d), r(d - 1))
        else:
            top = st[d - take :]
            for i, k in enumerate(top):  # to scratch, then back in the new order
                e.move(k, i, r(d - take + i))
            for j, i in enumerate(order):
                e.move(top[i], r(d - take + j), i)
    elif op in _LIT8 and e.int_const[0] == pc and pc not in f.joins and _lit8(op, e.int_const[1]):
        # `x op constant`, as d8 writes it: the literal form (checks match on it)
        dop, lit = _LIT8[op], _lit8(op, e.int_const[1])
        e.raw(dop | (r(d - 2) << 8), r(d - 2) | ((lit[1] & 0xFF) << 8))
    elif 0x60 <= op <= 0x73:
        k = _TYPES[(op - 0x60) % 4]
        w = len(_slots(k))
        a = r(d - 2 * w)
        e.op23(_BINOP_BASE[k] + (op - 0x60) // 4, a, a, r(d - w))
    elif 0x74 <= op <= 0x77:
        k = _TYPES[op - 0x74]
        w = len(_slots(k))
        e.move(k, 0, r(d - w))
        e.raw({"I": 0x7B, "J": 0x7D, "F": 0x7F, "D": 0x80}[k])  # neg v0, v0
        e.move(k, r(d - w), 0)
    elif op in _SHIFT_LOGIC:
        dop, k = _SHIFT_LOGIC[op]
        w = len(_slots(k))
        if op <= 0x7D:  # shift: value, then an int amount
            e.op23(dop, r(d - 1 - w), r(d - 1 - w), r(d - 1))
        else:
            e.op23(dop, r(d - 2 * w), r(d - 2 * w), r(d - w))
    elif op == 0x84:
        n, c = code[pc + 1], code[pc + 2]
        _local(f, n, "I")
        e.const32(0, c - 256 if c & 0x80 else c)
        e.op23(0x90, SCRATCH + n, SCRATCH + n, 0)
    elif op in _CONVERT:
        a, b = _CONVERT[op]
        wa = len(_slots(a))
        e.move(a, 2, r(d - wa))
        e.raw((op - 4) | (0 << 8) | (2 << 12))
        e.move(b, r(d - wa), 0)
    elif op in (0x94, 0x97, 0x98):
        e.op23({0x94: 0x31, 0x97: 0x2F, 0x98: 0x30}[op], r(d - 4), r(d - 4), r(d - 2))
    elif op in (0x95, 0x96):
        e.op23(0x2D + op - 0x95, r(d - 2), r(d - 2), r(d - 1))
    elif 0x99 <= op <= 0x9E or op in (0xC6, 0xC7):
        dop = 0x38 + op - 0x99 if op <= 0x9E else (0x38 if op == 0xC6 else 0x39)
        e.branch(dop | (r(d - 1) << 8), pc + _s16(u2), 16)
    elif 0x9F <= op <= 0xA6:
        k = "A" if op >= 0xA5 else "I"
        e.move(k, 0, r(d - 2))
        e.move(k, 1, r(d - 1))
        dop = 0x32 + (op - 0x9F if op <= 0xA4 else op - 0xA5)
        e.branch(dop | (0 << 8) | (1 << 12), pc + _s16(u2), 16)
    elif op in (0xA7, 0xC8):
        rel = _s16(u2) if op == 0xA7 else struct.unpack_from(">i", code, pc + 1)[0]
        e.branch(0x2A, pc + rel, 32)
    elif op in (0xAA, 0xAB):
        low, cases = f.switch(pc)
        start = e.pc
        e.raw((0x2B if op == 0xAA else 0x2C) | (r(d - 1) << 8), 0, 0)
        rest = cases[1:]
        payload: list = []
        if op == 0xAA:
            lo = low or 0
            payload = [0x0100, len(rest), lo & 0xFFFF, (lo >> 16) & 0xFFFF]
            payload += [(pc + off, 0) for _, off in rest]
        else:
            payload = [0x0200, len(rest)]
            for key, _ in rest:
                payload += [key & 0xFFFF, (key >> 16) & 0xFFFF]
            payload += [(pc + off, 0) for _, off in rest]
        e.payloads.append((start + 1, start, payload))
        # A Dalvik switch falls through when no case matches; the JVM one jumps to its
        # default: without this goto the default branch would be unreachable.
        e.branch(0x2A, pc + cases[0][1], 32)
    elif 0xAC <= op <= 0xB0:
        k = "IJFDA"[op - 0xAC]
        w = len(_slots(k))
        e.raw({"I": 0x0F, "J": 0x10, "F": 0x0F, "D": 0x10, "A": 0x11}[k] | (r(d - w) << 8))
    elif op == 0xB1:
        e.raw(0x0E)
    elif op == 0xBA:
        _, desc = cp.name_and_type_of_dynamic(u2, f"invokedynamic at {pc}")
        n = len(_arg_slots(desc, True))
        k = kind_of(parse_desc(desc)[1])
        if k:
            _opaque(e, k, r(d - n))
    elif op == 0xBB:
        e.ref21(0x22, r(d), ("type", cp.class_name(u2, f"new at {pc}")))
    elif op in (0xBC, 0xBD, 0xC5):
        if op == 0xBC:
            if code[pc + 1] not in _NEWARRAY:
                raise Untranslatable(f"newarray type {code[pc + 1]} at {pc}")
            t = _NEWARRAY[code[pc + 1]]
            size_slot = d - 1
        elif op == 0xBD:
            t = "[" + cp.class_name(u2, f"anewarray at {pc}")
            size_slot = d - 1
        else:
            t = cp.class_name(u2, f"multianewarray at {pc}")
            size_slot = d - code[pc + 3]
            if not t.startswith("[") or size_slot < 0:
                raise Untranslatable(f"multianewarray at {pc}")
        e.move("I", 2, r(size_slot))
        e.raw(0x23 | (0 << 8) | (2 << 12), ("type", t))
        e.move("A", r(size_slot), 0)
    elif op in (0xBE, 0xC1):
        e.move("A", 2, r(d - 1))
        if op == 0xBE:
            e.raw(0x21 | (0 << 8) | (2 << 12))
        else:
            e.raw(0x20 | (0 << 8) | (2 << 12), ("type", cp.class_name(u2, f"instanceof at {pc}")))
        e.move("I", r(d - 1), 0)
    elif op == 0xBF:
        e.raw(0x27 | (r(d - 1) << 8))
    elif op == 0xC0:
        e.ref21(0x1F, r(d - 1), ("type", cp.class_name(u2, f"checkcast at {pc}")))
    elif op in (0xC2, 0xC3):
        e.raw((0x1D if op == 0xC2 else 0x1E) | (r(d - 1) << 8))
    elif op == 0xC4:
        inner = code[pc + 1]
        n = (code[pc + 2] << 8) | code[pc + 3]
        if inner == 0x84:
            _local(f, n, "I")
            c = (code[pc + 4] << 8) | code[pc + 5]
            e.const32(0, _s16(c))
            e.op23(0x90, SCRATCH + n, SCRATCH + n, 0)
        elif 0x15 <= inner <= 0x19:
            k = "IJFDA"[inner - 0x15]
            _local(f, n, k)
            e.move(k, r(d), SCRATCH + n)
        else:
            k = "IJFDA"[inner - 0x36]
            _local(f, n, k)
            w = len(_slots(k))
            e.move(st[d - w], SCRATCH + n, r(d - w))
    return 0


# int binop with a constant right operand -> Dalvik binop/lit8 (isub: add of the negation)
_LIT8 = {0x60: 0xD8, 0x64: 0xD8, 0x68: 0xDA, 0x6C: 0xDB, 0x70: 0xDC, 0x7E: 0xDD, 0x80: 0xDE,
         0x82: 0xDF, 0x78: 0xE0, 0x7A: 0xE1, 0x7C: 0xE2}  # fmt: skip


def _lit8(op: int, value: int) -> tuple[bool, int] | None:
    lit = -value if op == 0x64 else value
    return (True, lit) if -128 <= lit <= 127 else None


def _local(f: _Frame, n: int, k: str) -> None:
    if n + len(_slots(k)) > f.method.max_locals:
        raise Untranslatable(f"local {n} is outside max_locals {f.method.max_locals}")


def _opaque(e: _Emitter, kind: str, reg: int) -> None:
    """A value the analysis must not know (a lambda, a method handle): an operation whose
    result the data flow does not fold (``add-int``/``add-long`` of the register itself)."""
    e.op23(0x9B if kind in ("J", "D") else 0x90, reg, reg, reg)
