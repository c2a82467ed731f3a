"""JVM instructions as ``javap -c`` prints them: the evidence of a finding in a class file.

Each line is ``offset: mnemonic operands``; constant-pool operands are shown resolved
(``invokestatic javax/crypto/Cipher.getInstance:(Ljava/lang/String;)...``) so a reviewer
can match the line against ``javap -c -p`` of the same class without the pool at hand.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from .bytecode import LENGTHS
from .classfile import FIELDREF, IFACE_METHODREF, METHODREF, ClassFormatError, ConstantPool

_NAMES = [
    "nop",
    "aconst_null",
    "iconst_m1",
    "iconst_0",
    "iconst_1",
    "iconst_2",
    "iconst_3",
    "iconst_4",
    "iconst_5",
    "lconst_0",
    "lconst_1",
    "fconst_0",
    "fconst_1",
    "fconst_2",
    "dconst_0",
    "dconst_1",
    "bipush",
    "sipush",
    "ldc",
    "ldc_w",
    "ldc2_w",
    "iload",
    "lload",
    "fload",
    "dload",
    "aload",
    "iload_0",
    "iload_1",
    "iload_2",
    "iload_3",
    "lload_0",
    "lload_1",
    "lload_2",
    "lload_3",
    "fload_0",
    "fload_1",
    "fload_2",
    "fload_3",
    "dload_0",
    "dload_1",
    "dload_2",
    "dload_3",
    "aload_0",
    "aload_1",
    "aload_2",
    "aload_3",
    "iaload",
    "laload",
    "faload",
    "daload",
    "aaload",
    "baload",
    "caload",
    "saload",
    "istore",
    "lstore",
    "fstore",
    "dstore",
    "astore",
    "istore_0",
    "istore_1",
    "istore_2",
    "istore_3",
    "lstore_0",
    "lstore_1",
    "lstore_2",
    "lstore_3",
    "fstore_0",
    "fstore_1",
    "fstore_2",
    "fstore_3",
    "dstore_0",
    "dstore_1",
    "dstore_2",
    "dstore_3",
    "astore_0",
    "astore_1",
    "astore_2",
    "astore_3",
    "iastore",
    "lastore",
    "fastore",
    "dastore",
    "aastore",
    "bastore",
    "castore",
    "sastore",
    "pop",
    "pop2",
    "dup",
    "dup_x1",
    "dup_x2",
    "dup2",
    "dup2_x1",
    "dup2_x2",
    "swap",
    "iadd",
    "ladd",
    "fadd",
    "dadd",
    "isub",
    "lsub",
    "fsub",
    "dsub",
    "imul",
    "lmul",
    "fmul",
    "dmul",
    "idiv",
    "ldiv",
    "fdiv",
    "ddiv",
    "irem",
    "lrem",
    "frem",
    "drem",
    "ineg",
    "lneg",
    "fneg",
    "dneg",
    "ishl",
    "lshl",
    "ishr",
    "lshr",
    "iushr",
    "lushr",
    "iand",
    "land",
    "ior",
    "lor",
    "ixor",
    "lxor",
    "iinc",
    "i2l",
    "i2f",
    "i2d",
    "l2i",
    "l2f",
    "l2d",
    "f2i",
    "f2l",
    "f2d",
    "d2i",
    "d2l",
    "d2f",
    "i2b",
    "i2c",
    "i2s",
    "lcmp",
    "fcmpl",
    "fcmpg",
    "dcmpl",
    "dcmpg",
    "ifeq",
    "ifne",
    "iflt",
    "ifge",
    "ifgt",
    "ifle",
    "if_icmpeq",
    "if_icmpne",
    "if_icmplt",
    "if_icmpge",
    "if_icmpgt",
    "if_icmple",
    "if_acmpeq",
    "if_acmpne",
    "goto",
    "jsr",
    "ret",
    "tableswitch",
    "lookupswitch",
    "ireturn",
    "lreturn",
    "freturn",
    "dreturn",
    "areturn",
    "return",
    "getstatic",
    "putstatic",
    "getfield",
    "putfield",
    "invokevirtual",
    "invokespecial",
    "invokestatic",
    "invokeinterface",
    "invokedynamic",
    "new",
    "newarray",
    "anewarray",
    "arraylength",
    "athrow",
    "checkcast",
    "instanceof",
    "monitorenter",
    "monitorexit",
    "wide",
    "multianewarray",
    "ifnull",
    "ifnonnull",
    "goto_w",
    "jsr_w",
]
MNEMONICS = dict(enumerate(_NAMES))
_ATYPES = {4: "boolean", 5: "char", 6: "float", 7: "double", 8: "byte", 9: "short", 10: "int",
           11: "long"}  # fmt: skip


def _internal(desc: str) -> str:
    return desc[1:-1] if desc.startswith("L") and desc.endswith(";") else desc


def instructions(code: bytes) -> Iterator[tuple[int, int, int]]:
    """(offset, opcode, length) of each instruction (the code was checked when parsed)."""
    pc, n = 0, len(code)
    while pc < n:
        op = code[pc]
        size = LENGTHS[op]
        if size == 255:
            if op == 0xC4:
                size = 6 if pc + 1 < n and code[pc + 1] == 0x84 else 4
            else:
                base = (pc + 4) & ~3
                if base + 12 > n:
                    return
                if op == 0xAA:
                    low, high = struct.unpack_from(">ii", code, base + 4)
                    size = base + 12 + 4 * (high - low + 1) - pc
                else:
                    size = base + 8 + 8 * struct.unpack_from(">i", code, base + 4)[0] - pc
        if size <= 0 or pc + size > n:
            return
        yield pc, op, size
        pc += size


def format_insn(code: bytes, pc: int, op: int, cp: ConstantPool) -> str:
    """One instruction in javap's words (operands resolved from the pool)."""
    name = MNEMONICS.get(op, f"op_{op:02x}")
    u2 = (code[pc + 1] << 8) | code[pc + 2] if pc + 2 < len(code) else 0
    try:
        if op in (0x12, 0x13, 0x14):
            idx = code[pc + 1] if op == 0x12 else u2
            value = cp.loadable(idx, op == 0x14, "ldc")
            if cp.tags[idx] == 7:
                return f"{name} class {_internal(cp.class_name(idx, 'ldc'))}"
            return f"{name} {value!r}" if isinstance(value, str) else f"{name} {value}"
        if 0xB2 <= op <= 0xB5:
            ref = cp.member(u2, (FIELDREF,), "field")
            return f"{name} {_internal(ref.owner)}.{ref.name}:{ref.desc}"
        if 0xB6 <= op <= 0xB9:
            ref = cp.member(u2, (METHODREF, IFACE_METHODREF), "invoke")
            return f"{name} {_internal(ref.owner)}.{ref.name}:{ref.desc}"
        if op == 0xBA:
            n, desc = cp.name_and_type_of_dynamic(u2, "invokedynamic")
            return f"{name} {n}:{desc}"
        if op in (0xBB, 0xBD, 0xC0, 0xC1, 0xC5):
            return f"{name} {_internal(cp.class_name(u2, name))}"
    except ClassFormatError:
        return f"{name} #{u2}"
    if op in (0x10,):
        b = code[pc + 1]
        return f"{name} {b - 256 if b & 0x80 else b}"
    if op == 0x11:
        return f"{name} {u2 - 0x10000 if u2 & 0x8000 else u2}"
    if 0x15 <= op <= 0x19 or 0x36 <= op <= 0x3A or op == 0xA9:
        return f"{name} {code[pc + 1]}"
    if op == 0x84:
        c = code[pc + 2]
        return f"{name} {code[pc + 1]}, {c - 256 if c & 0x80 else c}"
    if 0x99 <= op <= 0xA8 or op in (0xC6, 0xC7):
        return f"{name} {pc + (u2 - 0x10000 if u2 & 0x8000 else u2)}"
    if op in (0xC8, 0xC9):
        return f"{name} {pc + struct.unpack_from('>i', code, pc + 1)[0]}"
    if op == 0xBC:
        return f"{name} {_ATYPES.get(code[pc + 1], code[pc + 1])}"
    if op == 0xC4:
        inner = MNEMONICS.get(code[pc + 1], "?")
        return f"{name} {inner} {(code[pc + 2] << 8) | code[pc + 3]}"
    return name


def window(code: bytes, cp: ConstantPool, at: int | None, before: int = 3, after: int = 2) -> str:
    """A few instructions around offset ``at`` (marked ``>``), as the finding's evidence."""
    insns = list(instructions(code))
    if not insns:
        return ""
    i = next((k for k, (pc, _, _) in enumerate(insns) if pc == at), None)
    chosen = insns[: before + after + 1] if i is None else insns[max(0, i - before) : i + after + 1]
    lines = []
    for pc, op, _ in chosen:
        mark = ">" if pc == at else " "
        lines.append(f"{mark} {pc:4d}: {format_insn(code, pc, op, cp)}")
    return "\n".join(lines)
