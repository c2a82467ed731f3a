"""Bytecode of one Code attribute → the references the facts need (JVMS §6.5).

Kept: invokes (with the constant arguments a short operand-stack model can see: an
``ldc "x"`` or ``iconst_1`` pushed before the call), string constants, field reads and
writes, and ``new``. Everything else is only decoded for its length; an unknown opcode, a
truncated instruction or a switch/jump that leaves the code is a ClassFormatError.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .classfile import ConstantPool, MemberRef

INVOKE = "invoke"
STRING = "string"
FIELD_READ = "field_read"
FIELD_WRITE = "field_write"
NEW = "new"

INVOKEVIRTUAL, INVOKESPECIAL, INVOKESTATIC, INVOKEINTERFACE, INVOKEDYNAMIC = (
    0xB6,
    0xB7,
    0xB8,
    0xB9,
    0xBA,
)
_UNKNOWN = object()  # a stack slot whose value we do not track


class Insn(NamedTuple):
    offset: int  # byte offset in the code
    opcode: int
    kind: str
    target: MemberRef | str  # member for invokes/fields, text for strings, descriptor for new
    args: tuple[object, ...] = ()  # invokes: constant value per argument or None


def _lengths() -> bytes:
    t = bytearray(256)  # 0 = invalid opcode; 255 = variable length
    for op in range(0x00, 0x10):
        t[op] = 1
    t[0x10], t[0x11], t[0x12], t[0x13], t[0x14] = 2, 3, 2, 3, 3
    for op in range(0x15, 0x1A):
        t[op] = 2
    for op in range(0x1A, 0x36):
        t[op] = 1
    for op in range(0x36, 0x3B):
        t[op] = 2
    for op in range(0x3B, 0x84):
        t[op] = 1
    t[0x84] = 3
    for op in range(0x85, 0x99):
        t[op] = 1
    for op in range(0x99, 0xA9):
        t[op] = 3
    t[0xA9] = 2
    t[0xAA] = t[0xAB] = 255
    for op in range(0xAC, 0xB2):
        t[op] = 1
    for op in range(0xB2, 0xB9):
        t[op] = 3
    t[0xB9] = t[0xBA] = 5
    t[0xBB], t[0xBC], t[0xBD], t[0xBE], t[0xBF], t[0xC0], t[0xC1] = 3, 2, 3, 1, 1, 3, 3
    t[0xC2] = t[0xC3] = 1
    t[0xC4] = 255
    t[0xC5] = 4
    t[0xC6] = t[0xC7] = 3
    t[0xC8] = t[0xC9] = 5
    return bytes(t)


LENGTHS = _lengths()
_BRANCH16 = frozenset(range(0x99, 0xA9)) | {0xC6, 0xC7}  # if*, goto, jsr, ifnull, ifnonnull
_CONST_INT = {0x02: -1, 0x03: 0, 0x04: 1, 0x05: 2, 0x06: 3, 0x07: 4, 0x08: 5}


def param_count(desc: str) -> int:
    """Number of parameters of a method descriptor ``(ILjava/lang/String;[J)V`` → 3."""
    n = 0
    i = desc.find("(") + 1
    end = desc.find(")")
    if i <= 0 or end < i:
        return 0
    while i < end:
        while i < end and desc[i] == "[":
            i += 1
        if i < end and desc[i] == "L":
            j = desc.find(";", i)
            i = end if j < 0 else j + 1
        else:
            i += 1
        n += 1
    return n


def decode_code(code: bytes, cp: ConstantPool, handlers: list[int], where: str) -> list[Insn]:
    from .classfile import FIELDREF, IFACE_METHODREF, METHODREF, ClassFormatError

    n = len(code)
    lengths = LENGTHS
    pcs: list[int] = []  # instruction starts, in order
    is_start = bytearray(n + 1)
    targets: set[int] = set(handlers)
    pc = 0
    while pc < n:  # pass 1: lengths and jump targets; every step advances pc
        op = code[pc]
        size = lengths[op]
        if size == 0:
            raise ClassFormatError(f"{where}: unknown opcode 0x{op:02x} at {pc}")
        if size == 255:
            size = _variable_size(code, pc, op, targets, where)
        elif pc + size > n:
            raise ClassFormatError(f"{where}: instruction 0x{op:02x} at {pc} is truncated")
        elif op in _BRANCH16:
            off = (code[pc + 1] << 8) | code[pc + 2]
            targets.add(pc + (off - 0x10000 if off & 0x8000 else off))
        elif op == 0xC8 or op == 0xC9:
            targets.add(pc + struct.unpack_from(">i", code, pc + 1)[0])
        is_start[pc] = 1
        pcs.append(pc)
        pc += size
    for t in targets:
        if not 0 <= t < n or not is_start[t]:
            raise ClassFormatError(f"{where}: a jump or handler targets {t}, not an instruction")

    out: list[Insn] = []
    stack: list[object] = []
    for pc in pcs:  # pass 2: references, and the constants a short stack model sees
        op = code[pc]
        if pc in targets:
            stack.clear()  # reached from elsewhere: what is on the stack is not known
        if 0x15 <= op <= 0x2D:  # loads
            stack.append(_UNKNOWN)
        elif INVOKEVIRTUAL <= op <= INVOKEINTERFACE:
            tags = (IFACE_METHODREF,) if op == INVOKEINTERFACE else (METHODREF, IFACE_METHODREF)
            idx = (code[pc + 1] << 8) | code[pc + 2]
            ref = cp.member(idx, tags, f"{where}: invoke at {pc}")
            k = param_count(ref.desc)
            top = stack[-k:] if k else []
            args = [None] * (k - len(top)) + [None if v is _UNKNOWN else v for v in top]
            out.append(Insn(pc, op, INVOKE, ref, tuple(args)))
            del stack[len(stack) - min(len(stack), k + (op != INVOKESTATIC)) :]
            if not ref.desc.endswith(")V"):
                stack.append(_UNKNOWN)
        elif 0xB2 <= op <= 0xB5:
            idx = (code[pc + 1] << 8) | code[pc + 2]
            ref = cp.member(idx, (FIELDREF,), f"{where}: field access at {pc}")
            stack.clear()
            if op == 0xB2 or op == 0xB4:
                out.append(Insn(pc, op, FIELD_READ, ref))
                stack.append(_UNKNOWN)
            else:
                out.append(Insn(pc, op, FIELD_WRITE, ref))
        elif 0x12 <= op <= 0x14:  # ldc, ldc_w, ldc2_w
            idx = code[pc + 1] if op == 0x12 else (code[pc + 1] << 8) | code[pc + 2]
            value = cp.loadable(idx, op == 0x14, f"{where}: ldc at {pc}")
            if isinstance(value, str):
                out.append(Insn(pc, op, STRING, value))
            stack.append(value)
        elif op in _CONST_INT:
            stack.append(_CONST_INT[op])
        elif op == 0x10:  # bipush: a signed byte
            b = code[pc + 1]
            stack.append(b - 256 if b & 0x80 else b)
        elif op == 0x11:  # sipush: a signed short
            v = (code[pc + 1] << 8) | code[pc + 2]
            stack.append(v - 0x10000 if v & 0x8000 else v)
        elif op == 0x01:
            stack.append(None)
        elif op == 0x59:  # dup
            stack.append(stack[-1] if stack else _UNKNOWN)
        elif op == 0xBB:
            idx = (code[pc + 1] << 8) | code[pc + 2]
            out.append(Insn(pc, op, NEW, cp.class_name(idx, f"{where}: new at {pc}")))
            stack.append(_UNKNOWN)
        elif op == INVOKEDYNAMIC:
            idx = (code[pc + 1] << 8) | code[pc + 2]
            cp.name_and_type_of_dynamic(idx, f"{where}: invokedynamic at {pc}")
            stack.clear()
            stack.append(_UNKNOWN)
        elif op == 0xBD or op == 0xBC:  # new arrays take a count
            if stack:
                stack.pop()
            stack.append(_UNKNOWN)
        else:
            stack.clear()  # anything else: stop tracking rather than guess
    return out


def _variable_size(code: bytes, pc: int, op: int, targets: set[int], where: str) -> int:
    from .classfile import ClassFormatError

    n = len(code)
    if op == 0xC4:  # wide
        if pc + 1 >= n:
            raise ClassFormatError(f"{where}: wide at {pc} is truncated")
        size = 6 if code[pc + 1] == 0x84 else 4
        if pc + size > n:
            raise ClassFormatError(f"{where}: wide at {pc} is truncated")
        return size
    base = (pc + 4) & ~3  # operands are 4-byte aligned from the start of the code
    if base + 12 > n:
        raise ClassFormatError(f"{where}: switch at {pc} is truncated")
    default = struct.unpack_from(">i", code, base)[0]
    targets.add(pc + default)
    if op == 0xAA:  # tableswitch
        low, high = struct.unpack_from(">ii", code, base + 4)
        count = high - low + 1
        if count < 0 or base + 12 + 4 * count > n:
            raise ClassFormatError(f"{where}: tableswitch at {pc} has {count} bad cases")
        for i in range(count):
            targets.add(pc + struct.unpack_from(">i", code, base + 12 + 4 * i)[0])
        return base + 12 + 4 * count - pc
    npairs = struct.unpack_from(">i", code, base + 4)[0]
    if npairs < 0 or base + 8 + 8 * npairs > n:
        raise ClassFormatError(f"{where}: lookupswitch at {pc} has {npairs} bad pairs")
    for i in range(npairs):
        targets.add(pc + struct.unpack_from(">i", code, base + 12 + 8 * i)[0])
    return base + 8 + 8 * npairs - pc
