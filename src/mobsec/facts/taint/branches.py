"""Branches that can never be taken, from integer ranges known inside one method.

Why: code guarded by ``if (new Random().nextInt(30) > 40)`` or by ``if (foo() + 80 < 10)``
with ``foo()`` returning a constant never runs, and a leak inside it is not a leak
(DroidBench UnreachableCode). A small interval analysis over the int registers of one
method decides such conditions: constants, ``Random.nextInt(n)`` (``[0, n-1]``),
``add-int/lit``, moves, and the result of an app method whose returns are all constant.
Everything else is unknown, so only conditions decided by those values prune an edge.

The same pass keeps the operand ranges of the instructions whose exceptions or array slots
depend on them (array index and length, divisor, new array size): an array register's
range is its length when it was made here by ``new-array`` of a known size.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from .callgraph import MethodKey

Range = tuple[int, int] | None  # inclusive bounds; None = any value
VISITS_PER_BLOCK = 4  # a block whose entry keeps changing (loops) goes to unknown
MAX_SWITCH_SPAN = 1024
RANDOM_INT = ("Ljava/util/Random;", "nextInt", "(I)I")
INVOKES = frozenset((0x6E, 0x6F, 0x70, 0x71, 0x72, 0x74, 0x75, 0x76, 0x77, 0x78))
CONSTS = frozenset((0x12, 0x13, 0x14, 0x15))  # const/4, /16, const, /high16 (int)
MOVES = frozenset((0x01, 0x02, 0x03, 0x07, 0x08, 0x09))  # an object move keeps its length
NEW_ARRAY = 0x23
ARRAY_OPS = range(0x44, 0x52)  # aget*, aput*: (array, index) ranges kept
DIV_REM = frozenset((0x93, 0x94, 0xB3, 0xB4))  # int division by a register: divisor kept
RETURN_INT = 0x0F  # return (int): the returned range kept
INT_MAX = 2**31 - 1
MAX_COMPUTED_RETURN = 64  # instructions
# Opcodes that write no register (stores, branches, calls, returns, monitors, ...).
NO_DEST = frozenset((0x0E, 0x0F, 0x10, 0x11, 0x1D, 0x1E, 0x26, 0x27, 0x28, 0x29, 0x2A))
NO_DEST = NO_DEST.union(range(0x2B, 0x3E), range(0x4B, 0x52), range(0x59, 0x60))
NO_DEST = NO_DEST.union(range(0x67, 0x6E), INVOKES, (0xFA, 0xFB, 0xFC, 0xFD))
# Opcodes whose destination is a register pair (long/double).
WIDE_DEST = frozenset((0x04, 0x05, 0x06, 0x0B, 0x16, 0x17, 0x18, 0x19, 0x45, 0x53, 0x61))
WIDE_DEST = WIDE_DEST.union((0x7D, 0x7E, 0x80, 0x81, 0x83, 0x86, 0x88, 0x89, 0x8B))
WIDE_DEST = WIDE_DEST.union(
    range(0x9B, 0xA6), range(0xAB, 0xB0), range(0xBB, 0xC6), range(0xCB, 0xD0)
)


def _hull(a: Range, b: Range) -> Range:
    if a is None or b is None:
        return None
    return (min(a[0], b[0]), max(a[1], b[1]))


def _decide(op: int, a: Range, b: Range) -> bool | None:
    """Whether ``if-<op> a, b`` is always (True) or never (False) taken; None: either."""
    if a is None or b is None:
        return None
    (alo, ahi), (blo, bhi) = a, b
    kind = (op - 0x32) % 6  # eq ne lt ge gt le (if-*z compare with zero)
    if kind in (0, 1):
        if alo == ahi == blo == bhi:
            return kind == 0
        if ahi < blo or bhi < alo:
            return kind == 1
        return None
    lt = ahi < blo  # always a < b
    ge = alo >= bhi  # always a >= b
    gt = alo > bhi
    le = ahi <= blo
    return {2: lt if lt else (False if ge else None), 3: ge if ge else (False if lt else None),
            4: gt if gt else (False if le else None), 5: le if le else (False if gt else None)}[kind]  # fmt: skip


@dataclass(frozen=True, slots=True)
class RangeFacts:
    dead: frozenset[tuple[int, int]]  # (block, successor) edges no execution takes
    # insn index -> ranges of its operands: aget/aput (array length, index), new-array
    # (size,), int div/rem by a register (divisor,)
    operands: dict[int, tuple[Range, ...]]


NO_FACTS = RangeFacts(frozenset(), {})


def _operands(insn: object, st: list[Range]) -> tuple[Range, ...] | None:
    op, regs = insn.op, insn.regs  # type: ignore[attr-defined]
    if op in ARRAY_OPS and len(regs) > 2:
        return (st[regs[1]], st[regs[2]])
    if op == NEW_ARRAY and len(regs) > 1:
        return (st[regs[1]],)
    if op in DIV_REM and regs:
        return (st[regs[-1]],)
    if op == RETURN_INT and regs:
        return (st[regs[0]],)
    return None


def dead_edges(
    cfg: object,
    resolve: Callable[[int, object], tuple[MethodKey, ...]],
    method_ref: Callable[[int], object],
    const_return: Callable[[MethodKey], Range],
) -> frozenset[tuple[int, int]]:
    """(block, successor) edges no execution takes; empty when nothing is decided."""
    return range_facts(cfg, resolve, method_ref, const_return).dead


def may_decide(
    cfg: object,
    resolve: Callable[[int, object], tuple[MethodKey, ...]],
    method_ref: Callable[[int], object],
    const_return: Callable[[MethodKey], Range],
) -> bool:
    """Whether the interval pass can decide any branch of the method: a cheap pre-check,
    since most methods compare only unknown values and skipping the pass for them gives the
    same (empty) set of dead edges.

    A branch is decided only when its operands have known ranges. Within the branch's
    block the last write of an operand says whether it can: a constant, a move, a
    ``new-array`` or literal arithmetic from a register that can, or the ``move-result``
    of a call that can return a known range (``Random.nextInt``, an app method with a
    constant return); any other write is unknown (see :func:`_step`). An operand not written
    in the block can be known if any instruction of the method makes that register known
    (flow-insensitive: the entry state is all unknown).
    """
    insns = cfg.insns  # type: ignore[attr-defined]
    blocks, block_of = cfg.blocks, cfg.block_of  # type: ignore[attr-defined]
    branches = [k for k, i in enumerate(insns) if i.op in BRANCH_OPS]
    if not branches:
        return False
    slot = cfg.registers  # type: ignore[attr-defined]
    call_known: dict[int, bool] = {}

    def call_may_know(k: int) -> bool:
        """Whether the call at insn ``k`` can leave a known range in the result slot."""
        got = call_known.get(k)
        if got is None:
            insn = insns[k]
            ref = method_ref(insn.idx)
            got = False
            if (ref.class_desc, ref.name, ref.proto) == RANDOM_INT:
                got = True
            elif ref.proto.endswith(")I") or ref.proto.endswith(")Z"):
                targets = resolve(insn.op, ref)
                got = len(targets) == 1 and const_return(targets[0]) is not None
            call_known[k] = got
        return got

    result_known: bool | None = None  # whether any call can; computed when needed

    def any_call_may_know() -> bool:
        nonlocal result_known
        if result_known is None:
            result_known = any(call_may_know(k) for k, i in enumerate(insns) if i.op in INVOKES)
        return result_known

    known: set[int] | None = None  # registers any instruction may make known

    def entry_known(reg: int) -> bool:
        """Whether ``reg`` can hold a known range at a block's entry (flow-insensitive)."""
        nonlocal known
        if known is None:
            known = {i.regs[0] for i in insns if i.op in CONSTS}
            if any_call_may_know():
                known.update(i.regs[0] for i in insns if i.op == 0x0A and i.regs)
            # (_copies inlined: this pass looks at every instruction)
            copies = [(i.regs[1], i.regs[0]) for i in insns if i.op in COPY_OPS and len(i.regs) > 1]
            changed = True
            while changed:
                changed = False
                for src, dst in copies:
                    if src in known and dst not in known:
                        known.add(dst)
                        changed = True
        return reg in known

    def may_know(reg: int, before: int) -> bool:
        """Whether ``reg`` can hold a known range right before insn ``before``."""
        start = blocks[block_of[before]].start
        k = before - 1
        while k >= start:
            insn = insns[k]
            op, regs = insn.op, insn.regs
            if op in INVOKES:
                if reg == slot:
                    return call_may_know(k)
            elif op == 0x0A and regs and regs[0] == reg:
                reg = slot  # the result of the call before it
            elif op in CONSTS and regs[0] == reg:
                return True
            elif _copies(insn) and regs[0] == reg:
                reg = regs[1]
            elif (
                op not in NO_DEST
                and regs
                and (regs[0] == reg or (op in WIDE_DEST and regs[0] + 1 == reg))
            ):
                return False  # any other write: unknown
            k -= 1
        return any_call_may_know() if reg == slot else entry_known(reg)

    for k in branches:
        insn = insns[k]
        if not insn.regs:
            continue
        if 0x32 <= insn.op <= 0x37:
            if len(insn.regs) > 1 and may_know(insn.regs[0], k) and may_know(insn.regs[1], k):
                return True
        elif may_know(insn.regs[0], k):
            return True
    return False


def _copies(insn: object) -> bool:
    """An instruction whose result is known when its source register is (see _step)."""
    op, regs = insn.op, insn.regs  # type: ignore[attr-defined]
    return op in COPY_OPS and len(regs) > 1


def range_facts(
    cfg: object,
    resolve: Callable[[int, object], tuple[MethodKey, ...]],
    method_ref: Callable[[int], object],
    const_return: Callable[[MethodKey], Range],
    returns: bool = False,
) -> RangeFacts:
    """Dead edges and operand ranges of one method (see the module docstring); with
    ``returns``, the ranges of its int returns too."""
    insns = cfg.insns  # type: ignore[attr-defined]
    wanted = returns or any(
        0x2B <= i.op <= 0x3D or i.op in ARRAY_OPS or i.op == NEW_ARRAY or i.op in DIV_REM
        for i in insns
    )
    if not wanted:
        return NO_FACTS
    blocks = cfg.blocks  # type: ignore[attr-defined]
    nregs = cfg.registers + 1  # type: ignore[attr-defined]
    slot = nregs - 1
    entry: list[list[Range] | None] = [None] * len(blocks)
    entry[0] = [None] * nregs
    visits = [0] * len(blocks)
    work = deque([0])
    queued = {0}

    def merge(b: int, st: list[Range]) -> None:
        old = entry[b]
        if old is None:
            entry[b] = list(st)
        else:
            new = [_hull(x, y) for x, y in zip(old, st, strict=True)]
            if new == old:
                return
            visits[b] += 1
            entry[b] = new if visits[b] < VISITS_PER_BLOCK else [None] * nregs
        if b not in queued:
            queued.add(b)
            work.append(b)

    operands: dict[int, tuple[Range, ...]] = {}

    def replay(
        b: int, out: Callable[[int, list[Range]], None], record: bool = False
    ) -> tuple[set[int], list]:
        """Run block ``b`` from its entry state: the successors its last branch can take
        and the state they get (catch handlers get the state before each instruction)."""
        block = blocks[b]
        st = list(entry[b])  # type: ignore[arg-type]
        for i in range(block.start, block.end):
            for h in block.handlers:
                out(h, st)
            if record:
                got = _operands(insns[i], st)
                if got is not None:
                    operands[i] = got
            if i == block.end - 1 and block.succs:
                taken = _taken(insns, cfg, i, st)
                if taken is not None:
                    return taken, st
            _step(st, insns[i], slot, resolve, method_ref, const_return)
        return set(block.succs), st

    while work:
        b = work.popleft()
        queued.discard(b)
        taken, st = replay(b, merge)
        for s in taken:
            merge(s, st)
    # edges are decided on the final states (a loop may have widened a range since)
    dead: set[tuple[int, int]] = set()
    for b, state in enumerate(entry):
        if state is not None:
            taken, _st = replay(b, lambda _h, _st: None, record=True)
            dead.update((b, s) for s in blocks[b].succs if s not in taken)
    return RangeFacts(frozenset(dead), operands)


def _taken(insns: list, cfg: object, i: int, st: list[Range]) -> set[int] | None:
    """The successor blocks the branch at insn ``i`` can take, or None when undecided."""
    insn = insns[i]
    op = insn.op
    by_pc, block_of = cfg.by_pc, cfg.block_of  # type: ignore[attr-defined]
    fall = block_of[i + 1] if i + 1 < len(insns) else None
    if 0x32 <= op <= 0x3D:
        a = st[insn.regs[0]]
        b = st[insn.regs[1]] if op <= 0x37 else (0, 0)
        verdict = _decide(op, a, b)
        target = by_pc.get(insn.target)
        if verdict is None or target is None or fall is None:
            return None
        return {block_of[target]} if verdict else {fall}
    if op in (0x2B, 0x2C):
        r = st[insn.regs[0]]
        pay = by_pc.get(insn.target)
        if r is None or pay is None or insns[pay].payload is None or fall is None:
            return None
        if r[1] - r[0] > MAX_SWITCH_SPAN:
            return None
        keys_or_first, rels = insns[pay].payload
        keys = (range(keys_or_first, keys_or_first + len(rels)) if insns[pay].op == 0x100
                else keys_or_first)  # fmt: skip
        out: set[int] = set()
        hit = 0
        for key, rel in zip(keys, rels, strict=False):
            if r[0] <= key <= r[1]:
                t = by_pc.get(insn.pc + rel)
                if t is None:
                    return None
                out.add(block_of[t])
                hit += 1
        if hit < r[1] - r[0] + 1:
            out.add(fall)
        return out
    return None


def _step(st, insn, slot, resolve, method_ref, const_return) -> None:
    op, regs = insn.op, insn.regs
    if op in INVOKES:
        st[slot] = None
        ref = method_ref(insn.idx)
        sig = (ref.class_desc, ref.name, ref.proto)
        if sig == RANDOM_INT and len(regs) > 1:
            bound = st[regs[1]]
            if bound is not None and bound[0] == bound[1] and bound[0] > 0:
                st[slot] = (0, bound[0] - 1)
        elif ref.proto.endswith(")I") or ref.proto.endswith(")Z"):
            targets = resolve(op, ref)
            if len(targets) == 1:
                st[slot] = const_return(targets[0])
        return
    if op == 0x0A:  # move-result
        st[regs[0]] = st[slot]
        return
    if op in CONSTS:
        st[regs[0]] = (insn.lit, insn.lit)
        return
    if op in MOVES:
        st[regs[0]] = st[regs[1]]
        return
    if op == NEW_ARRAY and len(regs) > 1:  # the array's range is its length
        st[regs[0]] = st[regs[1]]
        return
    if op in (0xD0, 0xD8):  # add-int/lit16, add-int/lit8
        r = st[regs[1]]
        st[regs[0]] = None if r is None else (r[0] + insn.lit, r[1] + insn.lit)
        return
    if op in LIT_FOLD:  # rsub/mul/rem of a constant by a literal: folded
        r = st[regs[1]]
        got = None
        if r is not None and r[0] == r[1] and (op not in (0xD4, 0xDC) or insn.lit):
            got = LIT_FOLD[op](r[0], insn.lit)
        st[regs[0]] = (got, got) if got is not None and abs(got) <= INT_MAX else None
        return
    if op in NO_DEST or not regs:
        return
    st[regs[0]] = None
    if op in WIDE_DEST and regs[0] + 1 < slot:  # a wide destination takes the next register
        st[regs[0] + 1] = None


def returned_range(
    cfg: object,
    resolve: Callable[[int, object], tuple[MethodKey, ...]],
    method_ref: Callable[[int], object],
    const_return: Callable[[MethodKey], Range],
) -> Range:
    """The hull of the int ranges a method returns, or None if any return is unknown."""
    insns = cfg.insns  # type: ignore[attr-defined]
    if any(i.op in (0x10, 0x11) for i in insns):
        return None
    got = _straight_constant_return(insns)
    if got is not None:
        return got
    # the interval pass only for small methods computing from constants alone (what
    # ``(1 + 1) * 5 % 10 + 4`` compiles to); it would cost more than it finds elsewhere
    if len(insns) > MAX_COMPUTED_RETURN or any(i.op in INVOKES for i in insns):
        return None
    facts = range_facts(cfg, resolve, method_ref, const_return, returns=True)
    got: Range = None
    seen = False
    for k, insn in enumerate(insns):
        if insn.op != RETURN_INT:
            continue
        if k not in facts.operands:  # unreachable return
            continue
        r = facts.operands[k][0]
        if r is None:
            return None
        got = r if not seen else _hull(got, r)
        seen = True
    return got if seen else None


def _straight_constant_return(insns: list) -> Range:
    """In straight-line code, the hull of constants loaded right before each return."""
    if any(0x27 <= i.op <= 0x3D for i in insns):
        return None
    got: Range = None
    for k, insn in enumerate(insns):
        if insn.op != RETURN_INT:
            continue
        prev = insns[k - 1] if k else None
        if prev is None or prev.op not in CONSTS or prev.regs[0] != insn.regs[0]:
            return None
        got = (prev.lit, prev.lit) if got is None else _hull(got, (prev.lit, prev.lit))
    return got


def _java_rem(a: int, b: int) -> int:
    return a - b * int(a / b)


LIT_FOLD = {
    0xD1: lambda a, b: b - a,  # rsub-int (lit16)
    0xD9: lambda a, b: b - a,
    0xD2: lambda a, b: a * b,  # mul-int/lit
    0xDA: lambda a, b: a * b,
    0xD4: _java_rem,  # rem-int/lit
    0xDC: _java_rem,
}
# The opcodes of _copies: moves, new-array and literal arithmetic.
COPY_OPS = frozenset((*MOVES, NEW_ARRAY, 0xD0, 0xD8, *LIT_FOLD))
BRANCH_OPS = frozenset(range(0x32, 0x3E)).union((0x2B, 0x2C))  # if-*, switches (may_decide)
