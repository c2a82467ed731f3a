"""Fields of objects allocated in the method being analysed, flow-sensitively.

Why: instance fields are one global location per class + field name, written and read in
any order, so ``o = new C(); sms(o.f); o.f = imei;`` and ``o.f = imei; o.f = "x";
sms(o.f)`` look like leaks (DroidBench FieldSensitivity4, ObjectSensitivity2). While an
object made here (``new-instance``, identity ``("N", pc)`` and no other identity) has not
left the method, a write to its field is kept on the object's registers as held labels
``("H", field, taint)`` and replaces the previous ones (a strong update); a read of its
field sees the held labels and the global field (what constructors and other code wrote).
A call of its constructor is not leaving when the constructor (and its app superclass
constructors) only reads and writes the object's fields through ``this``.
When the object leaves the method — passed to a call, stored, returned, thrown — the held
labels are written to the global field, so every other reader sees them, and the object
is marked escaped (``("E", pc)``): from then on its writes go to the global field too.
Known limit: one allocation site in a loop stands for the objects of every iteration; a
strong update on one of them is taken for all registers holding that site.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FIELD_ACCESS = frozenset(range(0x52, 0x60))  # iget*, iput*: regs = (value, object)


def fresh(labels: frozenset) -> Any:
    """The allocation identity when ``labels`` are exactly one object made here, else None."""
    found = None
    for x in labels:
        if isinstance(x, int) or x[0] in ("a", "H", "S"):
            continue
        if x[0] != "N" or len(x) != 2 or found is not None:
            return None
        found = x
    return found


def held(labels: frozenset, key: Any) -> frozenset:
    """The taint this method last wrote into field ``key`` of the object."""
    return frozenset(x[2] for x in labels if isinstance(x, tuple) and x[0] == "H" and x[1] == key)


def overwrite(st: list[frozenset], nregs: int, reg: int, key: Any, taints: frozenset) -> None:
    """Field ``key`` of the object in ``reg`` now holds ``taints`` (strong update)."""
    ident = fresh(st[reg])
    new = frozenset(("H", key, t) for t in taints)
    for r in range(nregs):
        labels = st[r]
        if ident in labels:
            kept = frozenset(
                x for x in labels if not (isinstance(x, tuple) and x[0] == "H" and x[1] == key)
            )
            st[r] = kept | new


def escaped(st: list[frozenset], nregs: int, ident: Any) -> None:
    """The object ``ident`` left the method: mark every register holding it."""
    mark = ("E", ident[1])
    for r in range(nregs):
        if ident in st[r]:
            st[r] = st[r] | {mark}


def pending(labels: frozenset) -> dict[Any, frozenset]:
    """Held labels by field, for writing to the global fields when the object escapes."""
    out: dict[Any, set] = {}
    for x in labels:
        if isinstance(x, tuple) and x[0] == "H":
            out.setdefault(x[1], set()).add(x[2])
    return {k: frozenset(v) for k, v in out.items()}


def constructor_keeps_this(dex: Any, cfg: Any, init_keeps: Callable[[Any], bool]) -> bool:
    """Whether a constructor's ``this`` is used only as the object of field accesses and as
    the receiver of a superclass/own constructor that keeps it too."""
    this = cfg.registers - cfg.ins
    for insn in cfg.insns:
        regs = insn.regs
        if this not in regs:
            continue
        if insn.op in FIELD_ACCESS and regs[1] == this and regs[0] != this:
            continue
        if insn.op in (0x70, 0x76) and regs[0] == this and this not in regs[1:]:
            ref = dex.method_ref(insn.idx)
            if ref.name == "<init>" and init_keeps(ref):
                continue
        return False  # passed on, stored, returned, overwritten or moved
    return True
