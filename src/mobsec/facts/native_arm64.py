"""What the JNI functions of an arm64 library do with their Java input, from the machine code.

For each exported ``Java_*`` function one linear pass over its instructions (capstone
decodes them) tracks what every register and stack slot holds, as far as constants say:

* addresses (``adrp``/``add``/``adr``) into the library, numbers (``movz``/``movk``/``mov``/
  ``orr``), bytes loaded from read-only data, and bytes stored into the stack frame, so a
  string the code builds byte by byte on the stack is known when a call reads it;
* the JNIEnv: ``x0`` on entry, its function table (``ldr xN, [env]``), and an entry of the
  table (``ldr xM, [table, #8*i]``, index ``i`` fixed by the JNI specification), so a
  ``blr xM`` is known to be ``GetStringUTFChars`` and its result is data from Java;
* calls through the PLT (``bl stub``: the stub loads its target from a GOT slot that a
  relocation binds to an imported name, see :mod:`mobsec.ingest.elf_image`).

From that, two kinds of events (the checks decide what to report):

* :class:`ConstantCompare`: ``strcmp``/``strncmp``/``memcmp``... of data from Java with
  bytes fixed in the library (a read-only string, or a string built on the stack);
* :class:`UnboundedCopy`: ``strcpy``/``strcat``/``sprintf``... of data from Java into a
  buffer of the function's own stack frame, with no length check of that data before.

Branches: the state at a forward branch target is the merge of the states of its known
predecessors (values that agree); backward branches (loops) are not re-walked. Bounded:
at most ``MAX_FUNCTION_BYTES`` per function, ``MAX_FOLLOWS`` helpers followed per function,
and an instruction budget per library (``MAX_INSNS_PER_LIBRARY``, ~27 µs each: about 1.5 s
at worst; bench/bench_native.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mobsec.ingest.elf_image import ElfImage

EM_AARCH64 = 183
# capstone.arm64's operand kinds (ARM64_OP_REG/IMM/MEM), fixed here so capstone is imported
# (60-300 ms) only by scans of apps with arm64 JNI code; a test holds them to capstone's.
_OP_REG, _OP_IMM, _OP_MEM = 1, 2, 3
MAX_FUNCTION_BYTES = 16_384
MAX_INSNS_PER_LIBRARY = 60_000
MAX_FOLLOWS = 8  # local helpers followed per JNI function
MAX_FUNCTIONS = 2_000
MAX_CONSTANT = 256  # bytes read for one compared constant
STACK_WINDOW = 4096  # stack bytes a callee given a stack pointer may have written

# JNI function table indices (JNI specification, "Interface Function Table").
JNI_STRING_DATA = {165: "GetStringChars", 169: "GetStringUTFChars", 224: "GetStringCritical"}
JNI_ARRAY_DATA = {
    183: "GetBooleanArrayElements", 184: "GetByteArrayElements", 185: "GetCharArrayElements",
    186: "GetShortArrayElements", 187: "GetIntArrayElements", 222: "GetPrimitiveArrayCritical",
}  # fmt: skip
JNI_FIND_CLASS, JNI_REGISTER_NATIVES = 6, 215
VM_GET_ENV = 6  # JavaVM's JNIInvokeInterface: GetEnv(vm, void **env, version)
MAX_REGISTERED = 512
_TABLES = ("env", "envtab", "vm", "vmtab")
JNI_LENGTH = {164: "GetStringLength", 168: "GetStringUTFLength", 171: "GetArrayLength"}
# (env, object, start, len, buf): Java data copied into buf.
JNI_REGION = {199: "GetBooleanArrayRegion", 200: "GetByteArrayRegion", 201: "GetCharArrayRegion",
              220: "GetStringRegion", 221: "GetStringUTFRegion"}  # fmt: skip

BYTE_LOOP = "byte-by-byte loop"
COMPARES = frozenset({"strcmp", "strncmp", "memcmp", "bcmp", "strcasecmp", "strncasecmp"})
# (destination, source...) copies with no bound: the source decides how much is written.
UNBOUNDED = {"strcpy": (1,), "stpcpy": (1,), "strcat": (1,), "sprintf": (2, 3, 4, 5, 6, 7)}
_FORMAT_STRING = re.compile(rb"%[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlLqjzt]*s")
LENGTH_OF = frozenset({"strlen", "strnlen"})

# A value is a tuple whose first item says what it is:
#   ("int", n) ("addr", vaddr) ("stack", offset from the entry sp) ("bytes", b)
#   ("env",) ("envtab",) ("jnifn", index) ("arg", n) ("import", name) ("class", "a/b/C")
#   ("vm",) ("vmtab",) ("vmfn", index)   the JavaVM JNI_OnLoad receives
#   ("input", key, description)  pointer to data from Java; key links it to its length
#   ("len", key)                 a length of that data
Value = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class ConstantCompare:
    function: str
    offset: int  # address of the call (or of the cmp of a byte-by-byte loop)
    callee: str  # "strncmp"...; BYTE_LOOP for a compare loop written out
    constant: bytes
    constant_from: str  # "data at 0x658" / "bytes stored on the stack at sp-0x50"
    input_from: str  # "GetStringUTFChars(Java parameter 1)"
    xor_with: str = ""  # the loop compares with constant ^ the buffer here ("0x15038")


@dataclass(frozen=True, slots=True)
class UnboundedCopy:
    function: str
    offset: int
    callee: str
    stack_offset: int  # destination, relative to the stack pointer at entry (negative)
    input_from: str
    length_of: str = ""  # memcpy: the size is the length of this Java value, unchecked


@dataclass
class JniAnalysis:
    compares: list[ConstantCompare] = field(default_factory=list)
    copies: list[UnboundedCopy] = field(default_factory=list)
    functions: int = 0
    instructions: int = 0
    truncated: bool = False  # a bound stopped the analysis early


@dataclass
class _State:
    regs: dict[str, Value] = field(default_factory=dict)
    stack: dict[int, int] = field(default_factory=dict)  # offset -> known byte
    slots: dict[int, tuple[int, Value]] = field(default_factory=dict)  # offset -> (size, value)
    tainted: dict[int, Value] = field(default_factory=dict)  # buffer offset -> ("input"...)
    checked: set[str] = field(default_factory=set)  # input keys whose length was compared
    # register -> where the byte(s) it holds were loaded from (a buffer's address, or the
    # ("input", ...) it points into), kept through eor: what a byte-by-byte compare reads.
    origin: dict[str, tuple[Value, ...]] = field(default_factory=dict)

    def copy(self) -> _State:
        return _State(
            dict(self.regs), dict(self.stack), dict(self.slots), dict(self.tainted),
            set(self.checked), dict(self.origin),
        )  # fmt: skip

    def merge(self, other: _State) -> _State:
        return _State(
            {k: v for k, v in self.regs.items() if other.regs.get(k) == v},
            {k: v for k, v in self.stack.items() if other.stack.get(k) == v},
            {k: v for k, v in self.slots.items() if other.slots.get(k) == v},
            {**other.tainted, **self.tainted},
            self.checked & other.checked,
            {k: v for k, v in self.origin.items() if other.origin.get(k) == v},
        )


def analyze_jni(image: ElfImage, budget: int = MAX_INSNS_PER_LIBRARY) -> JniAnalysis:
    """The events of every exported ``Java_*`` function of an AArch64 library, walking at
    most ``budget`` instructions (``truncated`` says when it ran out)."""
    out = JniAnalysis()
    if image.machine != EM_AARCH64:
        return out
    names = sorted(n for n in image.functions if n.startswith("Java_"))
    if not names and "JNI_OnLoad" not in image.functions:
        return out
    from capstone import CS_ARCH_ARM64, CS_MODE_ARM, Cs

    md = Cs(CS_ARCH_ARM64, CS_MODE_ARM)
    md.detail = True
    walker = _Walker(image, md, out, min(budget, MAX_INSNS_PER_LIBRARY))
    if len(names) > MAX_FUNCTIONS:
        names, out.truncated = names[:MAX_FUNCTIONS], True
    for name in names:
        addr, size = image.functions[name]
        if out.instructions >= walker.budget:
            out.truncated = True
            break
        out.functions += 1
        walker.function(name, addr & ~3, size)
    if "JNI_OnLoad" in image.functions and out.instructions < walker.budget:
        _registered_functions(walker, image, {image.functions[n][0] for n in names})
    return out


def _registered_functions(walker: _Walker, image: ElfImage, done: set[int]) -> None:
    """Natives JNI_OnLoad registers (FindClass + RegisterNatives with a table in the
    library), analysed like exported ones under their JNI name."""
    addr, size = image.functions["JNI_OnLoad"]
    st = _State({"x0": ("vm",), "sp": ("stack", 0)})
    walker._walk("JNI_OnLoad", addr & ~3, size, st)
    for cls, method, fn in walker.registered:
        if fn in done or walker.out.instructions >= walker.budget:
            continue
        done.add(fn)
        walker.out.functions += 1
        walker.function(jni_symbol(cls, method), fn & ~3, 0)


def jni_symbol(cls: str, method: str) -> str:
    """The ``Java_*`` name the JVM would look up for ``cls`` (a/b/C) and ``method``."""

    def mangle(text: str) -> str:
        out = []
        for c in text:
            if c == "/":
                out.append("_")
            elif c == "_":
                out.append("_1")
            elif c.isascii() and c.isalnum():
                out.append(c)
            else:
                out.append(f"_0{ord(c):04x}")
        return "".join(out)

    return f"Java_{mangle(cls)}_{mangle(method)}"


_CALLEE_SAVED = frozenset(f"x{i}" for i in range(19, 30))
_ARGS = tuple(f"x{i}" for i in range(8))
_PLAIN = frozenset({"stack", "int", "addr"})  # values a followed callee is given
_REG_ALIASES = {"fp": "x29", "lr": "x30", "wsp": "sp", "xzr": "zr", "wzr": "zr"}
_VECTOR_WIDTH = {"q": 16, "d": 8, "s": 4, "h": 2, "b": 1}


def _reg(name: str) -> tuple[str, int]:
    """Canonical register and access width: ("x3", 4) for w3, ("v0", 16) for q0."""
    name = _REG_ALIASES.get(name, name)
    if name in ("sp", "zr"):
        return name, 8
    head = name[0]
    if head == "w":
        return "x" + name[1:], 4
    if head in _VECTOR_WIDTH and name[1:].isdigit():
        return "v" + name[1:], _VECTOR_WIDTH[head]
    return name, 8


def _to_bytes(v: Value | None, size: int) -> bytes | None:
    if v is None:
        return None
    if v[0] == "int":
        return (v[1] & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
    if v[0] == "bytes" and len(v[1]) >= size:
        return v[1][:size]
    return None


class _Walker:
    def __init__(self, image: ElfImage, md: Any, out: JniAnalysis, budget: int) -> None:
        self.image, self.md, self.out, self.budget = image, md, out, budget
        self.follows = 0  # helpers followed in the current JNI function
        self.registered: list[tuple[str, str, int]] = []  # (class, method, address)
        self.plt: dict[int, str | None] = {}
        self.depth = 0  # 1 inside a followed local callee (see _follow)
        self.floor = 0  # there: the caller's stack pointer
        self.writes: dict[int, int | None] = {}  # there: caller stack bytes it stores
        self.written: set[str] = set()  # there: registers it writes ("*": it calls out)

    # -- one function --------------------------------------------------------------------

    def function(self, name: str, addr: int, size: int) -> None:
        st = _State({"x0": ("env",), "sp": ("stack", 0)})
        for i in range(2, 8):
            st.regs[f"x{i}"] = ("arg", i - 1)  # x1 is the class/object; Java args from x2
        self.follows = 0
        self._walk(name, addr, size, st)

    def _walk(self, name: str, addr: int, size: int, st: _State) -> None:
        from capstone import CsError

        limit = MAX_FUNCTION_BYTES if size <= 0 else min(size, MAX_FUNCTION_BYTES)
        region = self.image.region_of(addr)
        if region is None or not self.image.is_code(addr):
            return
        code = self.image.read(addr, min(limit, region.vaddr + region.filesz - addr))
        if not code:
            return
        pending: dict[int, _State] = {}  # forward branch target -> merged state
        live = True
        budget = self.budget - self.out.instructions
        try:
            for insn in self.md.disasm(code, addr):
                budget -= 1
                self.out.instructions += 1
                if budget < 0:
                    self.out.truncated = True
                    return
                at = pending.pop(insn.address, None)
                if at is not None:
                    st = at if not live else st.merge(at)
                    live = True
                elif not live:
                    # Code after a return that no forward branch reaches (a loop body, a
                    # cold path): registers the compiler keeps for the whole function
                    # (x19-x29, callee-saved) and the facts about inputs carry over.
                    kept = {r: v for r, v in st.regs.items() if r in _CALLEE_SAVED}
                    st = _State(kept, tainted=st.tainted, checked=st.checked)
                    live = True
                live = self.step(name, insn, st, pending)
                if size <= 0 and not live and not pending:
                    return  # no symbol size: the function ends at its last return
        except CsError:
            return

    def _follow(self, target: int, st: _State) -> None:
        """A local function given a pointer into the frame: apply the bytes it stores there.

        One level deep, no events of its own. The callee's frame lies below the caller's
        stack pointer, so its stores at or above it are the caller's buffers; they are
        applied in program order (the last store to a byte wins, whatever the path).
        """
        sp = st.regs.get("sp")
        self.follows += 1
        if sp is None or sp[0] != "stack":
            self._unknown_call(st)
            return
        regs = {r: v for r in _ARGS if (v := st.regs.get(r)) is not None and v[0] in _PLAIN}
        sub = _State({**regs, "sp": sp}, dict(st.stack))
        self.depth, self.floor, self.writes, self.written = 1, sp[1], {}, set()
        try:
            self._walk(f"0x{target:x}", target, 0, sub)
            for offset, byte in self.writes.items():
                if byte is None:
                    st.stack.pop(offset, None)
                else:
                    st.stack[offset] = byte
            # Compilers keep values in caller-saved registers across a call to a local
            # function that does not touch them (GCC's -fipa-ra, LLVM's IPRA): only the
            # registers the callee writes (all of x0-x18 if it calls anything) are lost.
            if "*" in self.written:
                self._clobber(st)
            # x19-x29 and sp are restored by the callee (AAPCS64): never lost.
            for r in (self.written | {"x0"}) - _CALLEE_SAVED - {"sp"}:
                st.regs.pop(r, None)
                st.origin.pop(r, None)
        finally:
            self.depth, self.writes, self.written = 0, {}, set()

    def step(self, fname: str, insn: Any, st: _State, pending: dict[int, _State]) -> bool:
        """Apply one instruction; False when control does not fall through."""
        m = insn.mnemonic
        ops = insn.operands
        regs = st.regs
        if self.depth:
            if m in ("bl", "blr"):
                self.written.add("*")
            elif not m.startswith("st"):
                for o in ops:
                    if o.type == _OP_REG:
                        self.written.add(_reg(insn.reg_name(o.reg))[0])
                    elif o.type == _OP_MEM and o.mem.base:
                        self.written.add(_reg(insn.reg_name(o.mem.base))[0])
        if m in ("ret", "br", "brk", "udf", "hlt"):
            return False
        if m in ("b", "bl") and ops and ops[0].type == _OP_IMM:
            target = ops[0].imm
            callee = self._plt_name(target)
            if callee is not None:
                self._call(fname, insn.address, callee, st)
                return m == "bl"
            if m == "bl":
                if (
                    self.depth == 0
                    and self.follows < MAX_FOLLOWS
                    and any((v := st.regs.get(r)) is not None and v[0] == "stack" for r in _ARGS)
                ):
                    self._follow(target, st)
                else:
                    self._unknown_call(st)
                return True
            self._branch(target, insn.address, st, pending)
            return False
        if m == "blr" and ops:
            target = regs.get(_reg(insn.reg_name(ops[0].reg))[0])
            if target is not None and target[0] == "jnifn":
                self._jni_call(target[1], insn.address, st)
            elif target is not None and target[0] == "vmfn":
                self._vm_call(target[1], st)
            elif target is not None and target[0] == "import":
                self._call(fname, insn.address, target[1], st)
            else:
                self._unknown_call(st)
            return True
        if m.startswith("b.") or m in ("cbz", "cbnz", "tbz", "tbnz"):
            tgt = next((o.imm for o in reversed(ops) if o.type == _OP_IMM), None)
            if tgt is not None:
                self._branch(tgt, insn.address, st, pending)
            return True
        if m in ("cmp", "cmn", "tst", "ccmp") and ops and ops[0].type == _OP_REG:
            if m == "cmp" and len(ops) == 2 and ops[1].type == _OP_REG and self.depth == 0:
                self._byte_compare(fname, insn.address, insn, st)
            for o in ops:
                if o.type == _OP_REG:
                    v = regs.get(_reg(insn.reg_name(o.reg))[0])
                    if v is not None and v[0] == "len":
                        st.checked.add(v[1])
            return True
        self._data(insn, m, ops, st)
        return True

    def _branch(self, target: int, here: int, st: _State, pending: dict[int, _State]) -> None:
        if target <= here:
            return  # a loop back edge: one pass only
        prev = pending.get(target)
        pending[target] = st.copy() if prev is None else prev.merge(st)

    # -- data instructions ---------------------------------------------------------------

    def _data(self, insn: Any, m: str, ops: Any, st: _State) -> None:
        regs = st.regs
        if not ops or ops[0].type != _OP_REG:
            return
        dst, width = _reg(insn.reg_name(ops[0].reg))
        if m in ("str", "stur", "strb", "strh", "sturb", "sturh", "stp", "stnp"):
            self._store(insn, m, ops, st)
            return
        if m.startswith("ld"):
            self._load(insn, m, ops, st)
            return
        value = self._compute(insn, m, ops, st, dst, width)
        sources = [
            st.origin.get(_reg(insn.reg_name(o.reg))[0]) for o in ops[1:] if o.type == _OP_REG
        ]
        st.origin.pop(dst, None)
        if m in ("eor", "mov", "sxtb", "uxtb", "and") and sources and all(sources):
            st.origin[dst] = tuple(x for src in sources for x in src)  # type: ignore[union-attr]
        if dst == "zr":
            return
        if value is None:
            regs.pop(dst, None)
        else:
            regs[dst] = value

    def _operand(self, insn: Any, op: Any, st: _State) -> Value | None:
        if op.type == _OP_IMM:
            return ("int", op.imm << op.shift.value if op.shift.type == 1 else op.imm)
        if op.type == _OP_REG:
            name = _reg(insn.reg_name(op.reg))[0]
            return ("int", 0) if name == "zr" else st.regs.get(name)
        return None

    def _compute(
        self, insn: Any, m: str, ops: Any, st: _State, dst: str, width: int
    ) -> Value | None:
        n = len(ops)
        if m == "adrp" or m == "adr":
            return ("addr", ops[1].imm) if n > 1 and ops[1].type == _OP_IMM else None
        if m in ("mov", "movz", "orr") and n >= 2:
            if m == "orr" and n == 3:
                a, b = self._operand(insn, ops[1], st), self._operand(insn, ops[2], st)
                if a == ("int", 0):
                    a, b = b, a
                if b == ("int", 0):
                    return a
                if a is not None and b is not None and a[0] == b[0] == "int":
                    return ("int", (a[1] | b[1]) & _mask(width))
                return None
            v = self._operand(insn, ops[1], st)
            if v is not None and v[0] == "int":
                return ("int", v[1] & _mask(width))
            if width == 4 and v is not None and v[0] not in ("int", "bytes", "len", "arg"):
                return None  # the low half of a pointer
            return v
        if m == "movk" and n == 2 and ops[1].type == _OP_IMM:
            old = st.regs.get(dst)
            if old is None or old[0] != "int":
                return None
            shift = ops[1].shift.value if ops[1].shift.type == 1 else 0
            keep = old[1] & ~(0xFFFF << shift)
            return ("int", (keep | (ops[1].imm << shift)) & _mask(width))
        if m == "movn" and n == 2 and ops[1].type == _OP_IMM:
            shift = ops[1].shift.value if ops[1].shift.type == 1 else 0
            return ("int", ~(ops[1].imm << shift) & _mask(width))
        if m in ("add", "sub") and n == 3:
            a, b = self._operand(insn, ops[1], st), self._operand(insn, ops[2], st)
            if a is not None and a[0] == "input":
                return a  # a pointer into the same Java data
            if a is None or b is None or b[0] != "int":
                return None
            delta = b[1] if m == "add" else -b[1]
            if a[0] in ("addr", "stack"):
                return (a[0], a[1] + delta)
            if a[0] == "int":
                return ("int", (a[1] + delta) & _mask(width))
            return None
        if m == "eor" and n == 3:
            a, b = self._operand(insn, ops[1], st), self._operand(insn, ops[2], st)
            if a is not None and b is not None and a[0] == b[0] == "int":
                return ("int", (a[1] ^ b[1]) & _mask(width))
            return None
        if m in ("sxtw", "uxtw", "sxth", "uxth") and n == 2:
            v = self._operand(insn, ops[1], st)
            return v if v is not None and v[0] == "len" else None
        if m == "movi" and n == 2 and ops[1].type == _OP_IMM and ops[1].imm == 0:
            return ("bytes", bytes(16))
        return None

    def _address(self, insn: Any, mem: Any, st: _State) -> Value | None:
        base = st.regs.get(_reg(insn.reg_name(mem.base))[0]) if mem.base else None
        if base is not None and base[0] == "input":
            return base  # input[i]: where the byte comes from is all that matters
        index = 0
        if mem.index:
            # buffer[i] with i known on this (first) pass through the code
            iv = st.regs.get(_reg(insn.reg_name(mem.index))[0])
            if iv is None or iv[0] != "int" or base is None or base[0] not in ("addr", "stack"):
                return None
            index = iv[1]
        if base is None or base[0] not in ("addr", "stack", *_TABLES):
            return None
        if base[0] in _TABLES:
            return (base[0], mem.disp) if not mem.index else None
        return (base[0], base[1] + index + mem.disp)

    def _mem_operand(self, ops: Any) -> Any:
        return next((o.mem for o in ops if o.type == _OP_MEM), None)

    def _writeback(self, insn: Any, ops: Any, st: _State) -> None:
        """Pre/post-indexed forms move the base register (``[sp, #-16]!``, ``[sp], #16``)."""
        mem = self._mem_operand(ops)
        if mem is None or not mem.base:
            return
        base = _reg(insn.reg_name(mem.base))[0]
        old = st.regs.get(base)
        post = ops[-1].imm if ops[-1].type == _OP_IMM else None
        if post is None and not insn.writeback:
            return  # a plain [base, #disp]: the base register keeps its value
        if old is None or old[0] not in ("addr", "stack"):
            st.regs.pop(base, None)
        elif post is not None:
            st.regs[base] = (old[0], old[1] + post)
        elif insn.writeback:
            st.regs[base] = (old[0], old[1] + mem.disp)

    def _access_size(self, m: str, reg_width: int) -> int:
        if m.endswith("b") and not m.startswith(("ldp", "stp")):
            return 1
        if m.endswith("h") and not m.startswith(("ldp", "stp")):
            return 2
        if m in ("ldrsw", "ldursw"):
            return 4
        return reg_width

    def _store(self, insn: Any, m: str, ops: Any, st: _State) -> None:
        mem = self._mem_operand(ops)
        regs_ops = [o for o in ops if o.type == _OP_REG]
        where = self._address(insn, mem, st) if mem is not None else None
        post = ops[-1].type == _OP_IMM
        if where is not None and post and where[0] in ("addr", "stack"):
            where = (where[0], where[1] - mem.disp)  # post-index: address is the base itself
        offset = where[1] if where is not None and where[0] == "stack" else None
        pos = 0
        for o in regs_ops:
            name, width = _reg(insn.reg_name(o.reg))
            size = self._access_size(m, width)
            value = ("int", 0) if name == "zr" else st.regs.get(name)
            if offset is not None:
                self._stack_write(st, offset + pos, size, value)
            pos += size
        self._writeback(insn, ops, st)

    def _stack_write(self, st: _State, offset: int, size: int, value: Value | None) -> None:
        for k in [k for k, (n, _) in st.slots.items() if k < offset + size and offset < k + n]:
            del st.slots[k]
        raw = _to_bytes(value, size)
        for i in range(size):
            if raw is None:
                st.stack.pop(offset + i, None)
            else:
                st.stack[offset + i] = raw[i]
            if self.depth and offset + i >= self.floor:
                self.writes[offset + i] = None if raw is None else raw[i]
        if raw is None and value is not None:
            st.slots[offset] = (size, value)

    def _load(self, insn: Any, m: str, ops: Any, st: _State) -> None:
        mem = self._mem_operand(ops)
        dests = [o for o in ops if o.type == _OP_REG]
        where = self._address(insn, mem, st) if mem is not None else None
        if mem is None and ops[-1].type == _OP_IMM and m == "ldr":  # PC-relative literal
            where = ("addr", ops[-1].imm)
        if where is not None and where[0] in ("addr", "stack") and ops[-1].type == _OP_IMM:
            where = (where[0], where[1] - (mem.disp if mem is not None else 0))
        pos = 0
        loaded: list[tuple[str, Value | None]] = []
        for o in dests:
            name, width = _reg(insn.reg_name(o.reg))
            size = self._access_size(m, width)
            value = self._read(where, pos, size, st) if where is not None else None
            if value is not None and value[0] == "int" and size < 8 and "s" in m[2:4]:
                value = None  # sign-extending loads: not needed, not modelled
            loaded.append((name, value))
            pos += size
        self._writeback(insn, ops, st)
        for name, _ in loaded:
            st.origin.pop(name, None)
        single_byte = len(loaded) == 1 and self._access_size(m, 8) <= 2
        if single_byte and where is not None and where[0] in ("input", "addr", "stack"):
            st.origin[loaded[0][0]] = (where,)
        for name, value in loaded:
            if name == "zr":
                continue
            if value is None:
                st.regs.pop(name, None)
            else:
                st.regs[name] = value

    def _read(self, where: Value, pos: int, size: int, st: _State) -> Value | None:
        kind = where[0]
        if kind == "input":
            return None
        if kind in ("env", "vm"):
            return (kind + "tab",) if where[1] + pos == 0 else None
        if kind in ("envtab", "vmtab"):
            off = where[1] + pos
            fn = "jnifn" if kind == "envtab" else "vmfn"
            return (fn, off // 8) if off % 8 == 0 and size == 8 else None
        addr = where[1] + pos
        if kind == "stack":
            slot = st.slots.get(addr)
            if slot is not None and slot[0] == size:
                return slot[1]
            raw = bytes(st.stack.get(addr + i, -1) & 0xFF for i in range(size))
            if any(addr + i not in st.stack for i in range(size)):
                return None
            return ("bytes", raw) if size > 8 else ("int", int.from_bytes(raw, "little"))
        image = self.image
        if size == 8 and addr in image.imports:
            return ("import", image.imports[addr])
        if size == 8 and addr in image.pointers:
            return ("addr", image.pointers[addr])
        if not image.read_only(addr):
            return None
        raw = image.read(addr, size)
        if raw is None:
            return None
        return ("bytes", raw) if size > 8 else ("int", int.from_bytes(raw, "little"))

    # -- calls ---------------------------------------------------------------------------

    def _plt_name(self, target: int) -> str | None:
        """The imported function a PLT stub jumps to (adrp/ldr/add/br through a GOT slot)."""
        if target in self.plt:
            return self.plt[target]
        name = None
        code = self.image.read(target, 16) if self.image.is_code(target) else None
        if code:
            st = _State()
            for insn in self.md.disasm(code, target):
                if insn.mnemonic == "br":
                    v = st.regs.get(_reg(insn.reg_name(insn.operands[0].reg))[0])
                    name = v[1] if v is not None and v[0] == "import" else None
                    break
                self._data(insn, insn.mnemonic, insn.operands, st)
        self.plt[target] = name
        return name

    def _clobber(self, st: _State) -> None:
        """What a call leaves undefined: x0-x18 and the vector registers (AAPCS64)."""
        for r in [r for r in st.regs if r not in _CALLEE_SAVED and r != "sp"]:
            del st.regs[r]
        for r in [r for r in st.origin if r not in _CALLEE_SAVED]:
            del st.origin[r]

    def _unknown_call(self, st: _State) -> None:
        # A callee given a pointer into the frame may fill it: forget those bytes.
        for i in range(8):
            v = st.regs.get(f"x{i}")
            if v is not None and v[0] == "stack":
                for k in [k for k in st.stack if v[1] <= k < v[1] + STACK_WINDOW]:
                    del st.stack[k]
                    if self.depth and k >= self.floor:
                        self.writes[k] = None
        self._clobber(st)

    def _input(self, v: Value | None, st: _State) -> Value | None:
        """The Java data ``v`` points to (directly, or a stack buffer it was copied into)."""
        if v is None:
            return None
        if v[0] == "input":
            return v
        if v[0] == "stack":
            return st.tainted.get(v[1])
        return None

    def _jni_call(self, index: int, at: int, st: _State) -> None:
        regs = st.regs
        obj = regs.get("x1")
        # The Java parameter links data and its length; otherwise the call itself.
        key = (
            f"Java parameter {obj[1]}"
            if obj is not None and obj[0] == "arg"
            else f"call at 0x{at:x}"
        )
        result: Value | None = None
        if index in JNI_STRING_DATA or index in JNI_ARRAY_DATA:
            what = JNI_STRING_DATA.get(index) or JNI_ARRAY_DATA[index]
            result = ("input", key, f"{what}({key})")
        elif index in JNI_LENGTH:
            result = ("len", key)
        elif index in JNI_REGION:
            buf = regs.get("x4")
            if buf is not None and buf[0] == "stack":
                st.tainted[buf[1]] = ("input", key, f"{JNI_REGION[index]}({key})")
        elif index == JNI_FIND_CLASS and obj is not None and obj[0] == "addr":
            name = self.image.cstring(obj[1])
            if name:
                result = ("class", name.decode("utf-8", "replace"))
        elif index == JNI_REGISTER_NATIVES and obj is not None and obj[0] == "class":
            self._registered(obj[1], regs.get("x2"), regs.get("x3"))
        self._unknown_call(st)
        if result is not None:
            regs["x0"] = result

    def _vm_call(self, index: int, st: _State) -> None:
        """``(*vm)->GetEnv(vm, &env, version)``: the slot given receives the JNIEnv."""
        where = st.regs.get("x1")
        self._unknown_call(st)
        if index == VM_GET_ENV and where is not None and where[0] == "stack":
            self._stack_write(st, where[1], 8, ("env",))

    def _registered(self, cls: str, table: Value | None, count: Value | None) -> None:
        """The {name, signature, fnPtr} entries of a RegisterNatives table in the library."""
        if table is None or table[0] != "addr" or count is None or count[0] != "int":
            return
        for i in range(min(count[1], MAX_REGISTERED)):
            entry = table[1] + i * 24
            name_at, fn = self._pointer(entry), self._pointer(entry + 16)
            name = self.image.cstring(name_at) if name_at is not None else None
            if name and fn is not None and self.image.is_code(fn):
                self.registered.append((cls, name.decode("utf-8", "replace"), fn))

    def _pointer(self, slot: int) -> int | None:
        """A pointer stored in the library: a RELATIVE relocation's target, else the bytes."""
        if slot in self.image.pointers:
            return self.image.pointers[slot]
        raw = self.image.read(slot, 8)
        return int.from_bytes(raw, "little") if raw is not None else None

    def _call(self, fname: str, at: int, callee: str, st: _State) -> None:
        regs = st.regs
        args = [regs.get(f"x{i}") for i in range(8)]
        result: Value | None = None
        if callee in COMPARES:
            self._compare(fname, at, callee, args, st)
        elif callee in UNBOUNDED:
            dest = args[0]
            sources = [self._input(args[i], st) for i in UNBOUNDED[callee]]
            src = next((s for s in sources if s is not None), None)
            if dest is not None and dest[0] == "stack" and src is not None:
                if src[1] not in st.checked and not self._bounded_format(callee, args[1]):
                    self.out.copies.append(UnboundedCopy(fname, at, callee, dest[1], src[2]))
                st.tainted[dest[1]] = src
        elif callee in ("strncpy", "memcpy", "memmove", "strlcpy"):
            dest, src, n = args[0], self._input(args[1], st), args[2]
            if dest is not None and dest[0] == "stack" and src is not None:
                st.tainted[dest[1]] = src
            # memcpy(buf, data, length of that data): the Java caller sets the size
            if (
                callee in ("memcpy", "memmove")
                and dest is not None
                and dest[0] == "stack"
                and n is not None
                and n[0] == "len"
                and n[1] not in st.checked
            ):
                what = src[2] if src is not None else "data"
                self.out.copies.append(UnboundedCopy(fname, at, callee, dest[1], what, n[1]))
        elif callee in LENGTH_OF:
            src = self._input(args[0], st)
            if src is not None:
                result = ("len", src[1])
        copied = self._constant_copy(callee, args)
        self._unknown_call(st)
        if copied is not None:  # a local array initialised from .rodata by a libc call
            self._stack_write(st, copied[0], len(copied[1]), ("bytes", copied[1]))
        if result is not None:
            regs["x0"] = result

    def _bounded_format(self, callee: str, fmt: Value | None) -> bool:
        """sprintf with a constant format whose every %s has a precision (``%.20s``)."""
        if callee != "sprintf" or fmt is None or fmt[0] != "addr":
            return False
        text = self.image.cstring(fmt[1], 1024)
        if text is None:
            return False
        strings = _FORMAT_STRING.findall(text.replace(b"%%", b""))
        return all(b"." in spec for spec in strings)

    def _constant_copy(self, callee: str, args: list) -> tuple[int, bytes] | None:
        dest, src, n = args[0], args[1], args[2]
        if dest is None or dest[0] != "stack" or src is None or src[0] != "addr":
            return None
        if not self.image.read_only(src[1]):
            return None
        raw = None
        if callee in ("memcpy", "memmove") and n is not None and n[0] == "int":
            raw = self.image.read(src[1], n[1]) if 0 < n[1] <= MAX_CONSTANT else None
        elif callee in ("strcpy", "stpcpy"):
            text = self.image.cstring(src[1], MAX_CONSTANT)
            raw = text + b"\0" if text is not None else None
        return (dest[1], raw) if raw else None

    def _compare(self, fname: str, at: int, callee: str, args: list, st: _State) -> None:
        bound = args[2] if callee not in ("strcmp", "strcasecmp") else ("int", MAX_CONSTANT)
        if bound is None or bound[0] != "int":
            return  # a length from run time: not a compare with a fixed value
        limit = min(bound[1], MAX_CONSTANT)
        for mine, other in ((args[0], args[1]), (args[1], args[0])):
            src = self._input(mine, st)
            if src is None:
                continue
            const = self._constant(other, limit, callee.startswith("str"), st)
            if const is not None:
                self.out.compares.append(
                    ConstantCompare(fname, at, callee, const[0], const[1], src[2])
                )
            return

    def _byte_compare(self, fname: str, at: int, insn: Any, st: _State) -> None:
        """``input[i] == key[i]`` (or ``== key[i] ^ mask[i]``): a compare loop written out
        instead of memcmp. On the linear pass ``i`` is its first value, so the bytes come
        from the buffers' starts; reported when one of them holds constant bytes."""
        a, b = (st.origin.get(_reg(insn.reg_name(o.reg))[0]) for o in insn.operands[:2])
        if not a or not b:
            return
        for mine, other in ((a, b), (b, a)):
            src = next((self._input(x, st) for x in mine if self._input(x, st)), None)
            if src is None or any(self._input(x, st) for x in other):
                continue
            for i, loc in enumerate(other):
                const = self._buffer(loc, st)
                if const is None:
                    continue
                peers = ", ".join(_describe(p) for j, p in enumerate(other) if j != i)
                self.out.compares.append(
                    ConstantCompare(fname, at, BYTE_LOOP, const[0], const[1], src[2], peers)
                )
                return

    def _buffer(self, base: Value, st: _State) -> tuple[bytes, str] | None:
        """The constant bytes a buffer starts with (known stack bytes, trailing NULs cut)."""
        if base[0] == "stack" and base[1] not in st.tainted:
            out = bytearray()
            while len(out) < MAX_CONSTANT and (base[1] + len(out)) in st.stack:
                out.append(st.stack[base[1] + len(out)])
            raw = bytes(out).rstrip(b"\0")
            return (raw, f"bytes stored on the stack at sp{base[1]:+#x}") if raw else None
        if base[0] == "addr" and self.image.read_only(base[1]):
            raw = self.image.cstring(base[1], MAX_CONSTANT + 1)
            return (raw, f"data at 0x{base[1]:x}") if raw else None
        return None

    def _constant(
        self, v: Value | None, limit: int, stops_at_nul: bool, st: _State
    ) -> tuple[bytes, str] | None:
        if v is None:
            return None
        if v[0] == "addr":
            raw = self.image.read(v[1], limit) if not stops_at_nul else None
            if stops_at_nul:
                raw = self.image.cstring(v[1], MAX_CONSTANT + 1)
                raw = raw[:limit] if raw is not None else None
            return (raw, f"data at 0x{v[1]:x}") if raw else None
        if v[0] != "stack":
            return None
        out = bytearray()
        for i in range(limit):
            b = st.stack.get(v[1] + i)
            if b is None:
                return None  # a byte not fixed by the code: not a constant
            if b == 0 and stops_at_nul:
                break
            out.append(b)
        else:
            if stops_at_nul and limit == MAX_CONSTANT:
                return None  # no terminator in reach
        where = f"bytes stored on the stack at sp{v[1]:+#x}"
        return (bytes(out), where) if out else None


def _describe(v: Value) -> str:
    """Where a buffer is: ``0x15038`` (in the library's data) or ``sp-0x68``."""
    return f"0x{v[1]:x}" if v[0] == "addr" else f"sp{v[1]:+#x}"


def _mask(width: int) -> int:
    return (1 << (8 * width)) - 1
