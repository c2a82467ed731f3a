"""Control-flow graph of one method: basic blocks, branch/switch successors, catch edges.

Why its own decoding loop: the analysis needs every instruction of a method as a compact
tuple (no names resolved), and ``_dexcore.decode`` gives exactly that without the string
work :func:`~mobsec.ingest.dex.disasm.decode_at` does for display.

Block boundaries: branch targets, the instruction after any branch/switch/return/throw,
try-range starts and ends, and handler addresses. So a block lies entirely inside or
outside each try range, and the analysis can send the state before each instruction of a
covered block to its handlers (path-insensitive, but no assignment inside a try is lost).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

from mobsec.ingest.dex import DexFile, _dexcore
from mobsec.ingest.dex.code import CodeItem

PAYLOADS = (0x100, 0x200, 0x300)
MAX_CODE_UNITS = 20_000  # bigger methods are not analysed (values stay unknown)
GOTO = (0x28, 0x29, 0x2A)
SWITCH = (0x2B, 0x2C)
RETURN_OR_THROW = (0x0E, 0x0F, 0x10, 0x11, 0x27)
INVOKE_RANGE = (0x74, 0x75, 0x76, 0x77, 0x78, 0xFB, 0xFD)
# Instructions that end a block (branch, switch, return, throw, payload): build_cfg looks
# closer only at these.
BLOCK_ENDS = frozenset((*GOTO, *SWITCH, *RETURN_OR_THROW, *PAYLOADS)).union(range(0x32, 0x3E))
_PC, _REGS = itemgetter(0), itemgetter(3)  # Insn.pc, Insn.regs


class Insn(NamedTuple):
    pc: int
    op: int
    size: int
    regs: tuple[int, ...]
    lit: int | None
    idx: int | None
    target: int | None
    payload: tuple | None


@dataclass(slots=True)
class Block:
    start: int  # index into Cfg.insns of the first instruction
    end: int  # one past the last instruction (index)
    succs: list[int]  # block numbers
    handlers: tuple[int, ...]  # block numbers of catch handlers covering this block


class BrokenCode(Exception):
    """The code cannot be decoded (truncated instruction); the method is not analysed."""


@dataclass(slots=True)
class Cfg:
    insns: list[Insn]
    by_pc: dict[int, int]  # pc -> index in insns
    blocks: list[Block]
    block_of: list[int]  # insn index -> block number
    registers: int
    ins: int
    # handler block -> the exception classes it catches (None: catch-all); for the taint
    # engine's exception edges (which instructions can reach which handler)
    catches: dict[int, frozenset[str | None]] = field(default_factory=dict)

    @property
    def max_register(self) -> int:
        """Highest register an instruction names (-1 for none)."""
        # map/filter: the pass over every instruction runs in C (once per CFG built)
        return max(map(max, filter(None, map(_REGS, self.insns))), default=-1)


def decode_all(dex: DexFile, code: CodeItem) -> list[Insn]:
    """Every instruction (payloads included) of the code item, or BrokenCode."""
    data, off, n = dex.data, code.insns_off, code.insns_size
    out: list[Insn] = []
    pc = 0
    decode = _dexcore.decode
    new = tuple.__new__  # Insn(...) without the named tuple's Python-level __new__
    while pc < n:
        try:
            op, fmt, size, regs, lit, idx, _idx2, target, payload = decode(data, off, n, pc)
        except ValueError as exc:
            raise BrokenCode(str(exc)) from exc
        if payload is not None:
            regs = ()
        elif fmt in ("3rc", "4rcc"):
            first, count = regs[0]
            regs = tuple(range(first, first + count))
        out.append(new(Insn, (pc, op, size, regs, lit, idx, target, payload)))
        pc += size
    return out


def build_cfg(dex: DexFile, code: CodeItem) -> Cfg:
    insns = decode_all(dex, code)
    n = len(insns)
    by_pc = dict(zip(map(_PC, insns), range(n), strict=True))
    targets_of: dict[int, list[int]] = {}  # insn index of a branch -> target insn indexes
    leaders = {0} if n else set()
    for i, insn in enumerate(insns):
        op = insn.op
        if op not in BLOCK_ENDS:
            continue
        tgt: list[int] = []
        if op in GOTO or 0x32 <= op <= 0x3D:
            t = by_pc.get(insn.target)  # type: ignore[arg-type]
            if t is not None:
                tgt.append(t)
        elif op in SWITCH:
            pay = by_pc.get(insn.target)  # type: ignore[arg-type]
            if pay is not None and insns[pay].payload is not None and insns[pay].op != 0x300:
                for rel in insns[pay].payload[1]:
                    t = by_pc.get(insn.pc + rel)
                    if t is not None:
                        tgt.append(t)
        # (a return, throw or payload ends its block without a target)
        targets_of[i] = tgt
        leaders.update(tgt)
        if i + 1 < n:
            leaders.add(i + 1)
    handler_insns: list[tuple[int, int, tuple[int, ...]]] = []  # (start pc, end pc, handlers)
    caught: dict[int, set[str | None]] = {}  # handler insn index -> caught classes
    for t in code.tries:
        hs = tuple(h for h in (by_pc.get(x.address) for x in t.handlers) if h is not None)
        for x in t.handlers:
            if x.address in by_pc:
                caught.setdefault(by_pc[x.address], set()).add(x.type_desc)
        handler_insns.append((t.start_addr, t.start_addr + t.insn_count, hs))
        leaders.update(hs)
        for bound in (t.start_addr, t.start_addr + t.insn_count):
            b = by_pc.get(bound)
            if b is not None:
                leaders.add(b)
    starts = sorted(leaders)
    block_of = [0] * n
    blocks: list[Block] = []
    for bi, s in enumerate(starts):
        e = starts[bi + 1] if bi + 1 < len(starts) else n
        block_of[s:e] = [bi] * (e - s)
        blocks.append(Block(s, e, [], ()))
    for b in blocks:
        last = b.end - 1
        pc = insns[b.start].pc
        hs: set[int] = set()
        for start_pc, end_pc, handlers in handler_insns:
            if start_pc <= pc < end_pc:
                hs.update(block_of[h] for h in handlers)
        b.handlers = tuple(sorted(hs))
        succ: list[int] = []
        if last in targets_of:
            succ = [block_of[t] for t in targets_of[last]]
            op = insns[last].op
            falls = (0x2B <= op <= 0x2C) or (0x32 <= op <= 0x3D)
        else:
            falls = True
        if falls and b.end < n:
            succ.append(block_of[b.end])
        b.succs = sorted(set(succ))
    catches = {block_of[h]: frozenset(types) for h, types in caught.items()}
    return Cfg(insns, by_pc, blocks, block_of, code.registers_size, code.ins_size, catches)
