"""Which key codes can reach an instruction of a key handler: the branches on the code.

``onKey(primaryCode, ...)`` usually dispatches with a switch or an if-chain on the code; a
log in the fallback branch runs only for codes no case handles. For each code the keyboard
can send, the method's control-flow graph is walked with that code in its parameter
register and the constants loaded on the way: a comparison of known values takes one side,
anything else (a value the walk does not know, a register overwritten, an exception
handler) takes every side. So the answer "not reached" is only given when no path exists for
any of the codes.
"""

from __future__ import annotations

from collections.abc import Iterable

from mobsec.facts.dataflow import MethodFlow
from mobsec.facts.dataflow.cfg import Insn

MAX_STEPS = 20_000  # blocks visited for all codes together; beyond: "reached"
CONSTS = (0x12, 0x13, 0x14)  # const/4, const/16, const (the literal is the value)
MOVES = (0x01, 0x02, 0x03)
IF_TWO = {0x32: "eq", 0x33: "ne", 0x34: "lt", 0x35: "ge", 0x36: "gt", 0x37: "le"}
IF_ZERO = {0x38: "eq", 0x39: "ne", 0x3A: "lt", 0x3B: "ge", 0x3C: "gt", 0x3D: "le"}
SWITCHES = (0x2B, 0x2C)
# Instructions that write no register (everything else may write its first one, or a pair).
NO_WRITE = frozenset(
    {0x00, 0x0E, 0x0F, 0x10, 0x11, 0x1D, 0x1E, 0x26, 0x27, 0x28, 0x29, 0x2A, *SWITCHES}
    | set(range(0x32, 0x3E))
    | set(range(0x4B, 0x52))  # aput*
    | set(range(0x59, 0x60))  # iput*
    | set(range(0x67, 0x6E))  # sput*
    | set(range(0x6E, 0x73))  # invoke*
    | set(range(0x74, 0x79))  # invoke*/range
    | {0xFA, 0xFB, 0xFC, 0xFD}
)
COMPARE = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "ge": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
    "le": lambda a, b: a <= b,
}


def reached_by_codes(flow: MethodFlow, register: int, codes: Iterable[int], pc: int) -> bool:
    """True when the instruction at ``pc`` can run with ``register`` holding one of
    ``codes`` on entry (or when the walk cannot tell)."""
    cfg = flow.cfg
    if pc not in cfg.by_pc or not cfg.blocks:
        return True
    steps = 0
    for code in codes:
        work: list[tuple[int, tuple[tuple[int, int], ...]]] = [(0, ((register, code),))]
        seen: set[tuple[int, tuple[tuple[int, int], ...]]] = set()
        while work:
            item = work.pop()
            if item in seen:
                continue
            seen.add(item)
            steps += 1
            if steps > MAX_STEPS:
                return True
            block_no, frozen = item
            block = cfg.blocks[block_no]
            known = dict(frozen)
            last: Insn | None = None
            for k in range(block.start, block.end):
                insn = cfg.insns[k]
                if insn.pc == pc:
                    return True
                _step(insn, known)
                last = insn
            nexts = list(block.handlers)
            taken = _decided(cfg, block_no, last, known) if last is not None else None
            nexts.extend(block.succs if taken is None else [taken])
            state = tuple(sorted(known.items()))
            work.extend((n, state) for n in nexts)
    return False


def _step(insn: Insn, known: dict[int, int]) -> None:
    op, regs = insn.op, insn.regs
    if op in CONSTS and regs and insn.lit is not None:
        known[regs[0]] = insn.lit
    elif op in MOVES and len(regs) == 2:
        if regs[1] in known:
            known[regs[0]] = known[regs[1]]
        else:
            known.pop(regs[0], None)
    elif op not in NO_WRITE and regs:
        known.pop(regs[0], None)
        known.pop(regs[0] + 1, None)  # wide results take a pair


def _decided(cfg, block_no: int, insn: Insn, known: dict[int, int]) -> int | None:
    """The one successor block a branch on known values takes, or None."""
    block = cfg.blocks[block_no]
    follow = cfg.block_of[block.end] if block.end < len(cfg.insns) else None
    op, regs = insn.op, insn.regs
    if op in IF_TWO or op in IF_ZERO:
        a = known.get(regs[0]) if regs else None
        b = 0 if op in IF_ZERO else (known.get(regs[1]) if len(regs) > 1 else None)
        target = cfg.by_pc.get(insn.target) if insn.target is not None else None
        if a is None or b is None or target is None:
            return None
        test = IF_TWO.get(op) or IF_ZERO[op]
        return cfg.block_of[target] if COMPARE[test](a, b) else follow
    if op in SWITCHES and regs and regs[0] in known:
        payload_at = cfg.by_pc.get(insn.target) if insn.target is not None else None
        payload = cfg.insns[payload_at].payload if payload_at is not None else None
        if payload is None:
            return None
        first, rels = payload
        keys = [first + i for i in range(len(rels))] if op == 0x2B else list(first)
        for key, rel in zip(keys, rels, strict=False):
            if key == known[regs[0]]:
                at = cfg.by_pc.get(insn.pc + rel)
                return None if at is None else cfg.block_of[at]
        return follow
    return None
