"""Which instructions of a try range can reach which catch handler.

Why: a handler is only entered when something in its try range throws what it catches.
Sending the state before *every* covered instruction to the handler makes a handler of
code that cannot throw (an in-bounds read of an array made here, a call that cannot raise
the caught class) look reachable, and a leak inside it look real (DroidBench
Exceptions3/7).

Model:
- Instructions that never throw: moves, constants, branches, returns, comparisons, most
  arithmetic; an int division by a non-zero constant or a register known non-zero; a
  ``new-array`` of a size known ≥ 0; an ``aget``/``aput`` (not ``aput-object``: store
  checks) of an index known inside the length of an array made here by ``new-array``.
  Out-of-memory and other VM errors are not modelled (as in FlowDroid).
- Exceptions only the VM raises for array and arithmetic instructions
  (``ArrayIndexOutOfBoundsException``, ``ArithmeticException``, ...) reach a handler that
  catches nothing else only from such an instruction, a ``throw``, or a call of an app
  method that contains one (transitively); framework calls are taken not to let them out
  (``System.arraycopy`` excepted).
"""

from __future__ import annotations

from .branches import ARRAY_OPS, DIV_REM, NEW_ARRAY, Range

INVOKES = frozenset((0x6E, 0x6F, 0x70, 0x71, 0x72, 0x74, 0x75, 0x76, 0x77, 0x78))
NEVER_THROW = frozenset(
    (0x00, *range(0x01, 0x1C), *range(0x28, 0x2B), *range(0x2D, 0x3E), *range(0x7B, 0x90))
) | frozenset(range(0x90, 0xE3)) - frozenset(
    (0x93, 0x94, 0x9E, 0x9F, 0xB3, 0xB4, 0xBE, 0xBF, 0xD3, 0xD4, 0xDB, 0xDC)
)
DIV_REM_LIT = frozenset((0xD3, 0xD4, 0xDB, 0xDC))
APUT_OBJECT = 0x4D
THROW = 0x27
VM_ONLY = frozenset(
    (
        "Ljava/lang/ArrayIndexOutOfBoundsException;",
        "Ljava/lang/ArithmeticException;",
        "Ljava/lang/NegativeArraySizeException;",
        "Ljava/lang/ArrayStoreException;",
    )
)
# VM instructions that can raise a VM_ONLY exception (array access, division, new-array)
VM_RAISERS = frozenset((*ARRAY_OPS, NEW_ARRAY, 0x24, 0x25, 0x26, THROW)) | (
    frozenset((0x93, 0x94, 0x9E, 0x9F, 0xB3, 0xB4, 0xBE, 0xBF)) | DIV_REM_LIT
)
# the instructions whose operand ranges can_throw reads
RANGED = frozenset((*DIV_REM, NEW_ARRAY, *ARRAY_OPS))
RAISING_LIBRARY = frozenset((("Ljava/lang/System;", "arraycopy"),))
MAX_DEPTH = 4


def can_throw(insn: object, operands: tuple[Range, ...] | None) -> bool:
    """Whether ``insn`` can throw at all (``operands`` from :mod:`.branches`)."""
    op = insn.op  # type: ignore[attr-defined]
    if op in NEVER_THROW:
        return False
    if op in DIV_REM_LIT:
        return not insn.lit  # type: ignore[attr-defined]
    if op in DIV_REM:
        d = operands[0] if operands else None
        return d is None or d[0] <= 0 <= d[1]
    if op == NEW_ARRAY:
        size = operands[0] if operands else None
        return size is None or size[0] < 0
    if op in ARRAY_OPS and op != APUT_OBJECT:
        if not operands:
            return True
        length, index = operands
        return length is None or index is None or index[0] < 0 or index[1] >= length[0]
    return True


def vm_only(caught: frozenset[str | None]) -> bool:
    """Whether a handler catches only exceptions the VM raises for array/arithmetic code."""
    return bool(caught) and all(t in VM_ONLY for t in caught)
