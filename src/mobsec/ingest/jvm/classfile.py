"""One JVM class file (JVMS chapter 4): constant pool, fields, methods, attributes.

Everything is bounded by the data: every count is checked against the bytes that remain
before anything is allocated for it, every constant-pool index is checked for range and
tag, and a class that breaks a rule raises :class:`ClassFormatError` naming the problem
(the caller turns it into a diagnostic naming the class file). Names are kept in the DEX
descriptor form the rest of the engine uses (``Landroid/content/Context;``), so call
sites and hierarchy questions look the same for a JAR as for an APK.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from mobsec.ingest.dex.mutf8 import decode_mutf8

from .bytecode import Insn, decode_code

MAGIC = 0xCAFEBABE
MAX_CLASS_SIZE = 64 * 1024 * 1024

ACC_PUBLIC = 0x0001
ACC_PRIVATE = 0x0002
ACC_PROTECTED = 0x0004
ACC_STATIC = 0x0008
ACC_INTERFACE = 0x0200

# constant pool tags
UTF8, INTEGER, FLOAT, LONG, DOUBLE = 1, 3, 4, 5, 6
CLASS, STRING, FIELDREF, METHODREF, IFACE_METHODREF, NAME_AND_TYPE = 7, 8, 9, 10, 11, 12
METHOD_HANDLE, METHOD_TYPE, DYNAMIC, INVOKE_DYNAMIC, MODULE, PACKAGE = 15, 16, 17, 18, 19, 20
_FIXED = {
    INTEGER: 4,
    FLOAT: 4,
    LONG: 8,
    DOUBLE: 8,
    CLASS: 2,
    STRING: 2,
    FIELDREF: 4,
    METHODREF: 4,
    IFACE_METHODREF: 4,
    NAME_AND_TYPE: 4,
    METHOD_HANDLE: 3,
    METHOD_TYPE: 2,
    DYNAMIC: 4,
    INVOKE_DYNAMIC: 4,
    MODULE: 2,
    PACKAGE: 2,
}


class ClassFormatError(Exception):
    """The class file breaks the format; the message says where and how."""


@dataclass(frozen=True, slots=True)
class MemberRef:
    """A field or method a class refers to: owner descriptor, name, JVM descriptor."""

    owner: str  # "Ljava/lang/String;" (arrays stay "[...")
    name: str
    desc: str


@dataclass(slots=True)
class FieldInfo:
    name: str
    desc: str
    access: int
    constant: str | int | float | None = None  # ConstantValue attribute


@dataclass(slots=True)
class MethodInfo:
    name: str
    desc: str
    access: int
    code: list[Insn] = field(default_factory=list)
    code_length: int = 0
    # Kept for the DEX translation (:mod:`.todex`): the raw bytes, the frame, the handlers.
    bytecode: bytes = b""
    max_locals: int = 0
    handlers: list[tuple[int, int, int, str | None]] = field(default_factory=list)
    lines: list[tuple[int, int]] = field(default_factory=list)  # (start pc, line)

    def line_at(self, pc: int) -> int | None:
        best = None
        for start, line in self.lines:
            if start <= pc and (best is None or start >= best[0]):
                best = (start, line)
        return best[1] if best else None


@dataclass(slots=True)
class ClassInfo:
    name: str  # descriptor "Lcom/x/Y;"
    superclass: str | None
    interfaces: list[str]
    access: int
    version: tuple[int, int]  # (major, minor)
    fields: list[FieldInfo]
    methods: list[MethodInfo]
    source_file: str | None = None
    cp: ConstantPool | None = None  # operands of the kept bytecode refer to it


def class_desc(internal: str) -> str:
    """``java/lang/String`` → ``Ljava/lang/String;``; array names are already descriptors."""
    return internal if internal.startswith("[") else f"L{internal};"


class _Reader:
    __slots__ = ("data", "file", "pos")

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data = data
        self.pos = pos

    def need(self, n: int, what: str) -> None:
        if n < 0 or self.pos + n > len(self.data):
            raise ClassFormatError(
                f"{what} at offset {self.pos} needs {n} bytes, {len(self.data) - self.pos} left"
            )

    def u1(self, what: str) -> int:
        self.need(1, what)
        v = self.data[self.pos]
        self.pos += 1
        return v

    def u2(self, what: str) -> int:
        self.need(2, what)
        v = (self.data[self.pos] << 8) | self.data[self.pos + 1]
        self.pos += 2
        return v

    def u4(self, what: str) -> int:
        self.need(4, what)
        (v,) = struct.unpack_from(">I", self.data, self.pos)
        self.pos += 4
        return int(v)

    def take(self, n: int, what: str) -> bytes:
        self.need(n, what)
        v = self.data[self.pos : self.pos + n]
        self.pos += n
        return v

    def count(self, what: str, min_item: int) -> int:
        """A u2 count whose items need at least ``min_item`` bytes each: checked first."""
        n = self.u2(what)
        if n * min_item > len(self.data) - self.pos:
            raise ClassFormatError(
                f"{what} {n} cannot fit in the {len(self.data) - self.pos} bytes left"
            )
        return n


class ConstantPool:
    """Entries by index (1-based; the slot after a long/double is unusable)."""

    def __init__(self, r: _Reader) -> None:
        n = r.u2("constant_pool_count")
        if n == 0 or (n - 1) * 3 > len(r.data) - r.pos:
            raise ClassFormatError(f"constant_pool_count {n} cannot fit in the file")
        self.tags = bytearray(n)
        self.values: list[object] = [None] * n
        self._resolved: dict[tuple[int, tuple[int, ...]], object] = {}  # index → member/name
        i = 1
        while i < n:
            tag = r.u1(f"constant pool entry {i} tag")
            self.tags[i] = tag
            if tag == UTF8:
                length = r.u2(f"constant pool entry {i} length")
                self.values[i] = decode_mutf8(r.take(length, f"constant pool UTF8 {i}"))
            elif tag in _FIXED:
                raw = r.take(_FIXED[tag], f"constant pool entry {i}")
                self.values[i] = raw
            else:
                raise ClassFormatError(f"constant pool entry {i} has unknown tag {tag}")
            i += 2 if tag in (LONG, DOUBLE) else 1
            if tag in (LONG, DOUBLE) and i > n:
                raise ClassFormatError(f"constant pool long/double {i - 2} is the last slot")

    def _entry(self, idx: int, tags: tuple[int, ...], what: str) -> object:
        if not 0 < idx < len(self.tags) or self.tags[idx] not in tags:
            got = self.tags[idx] if 0 < idx < len(self.tags) else "out of range"
            raise ClassFormatError(f"{what}: constant pool index {idx} is not {tags} ({got})")
        return self.values[idx]

    def _u2s(self, idx: int, tags: tuple[int, ...], what: str) -> tuple[int, ...]:
        raw = self._entry(idx, tags, what)
        assert isinstance(raw, bytes)
        return tuple(struct.unpack(f">{len(raw) // 2}H", raw[: len(raw) // 2 * 2]))

    def utf8(self, idx: int, what: str) -> str:
        v = self._entry(idx, (UTF8,), what)
        assert isinstance(v, str)
        return v

    def class_name(self, idx: int, what: str) -> str:
        """A CONSTANT_Class as a descriptor."""
        key = (idx, (CLASS,))
        found = self._resolved.get(key)
        if found is None:
            (name_idx,) = self._u2s(idx, (CLASS,), what)
            found = self._resolved[key] = class_desc(self.utf8(name_idx, what))
        assert isinstance(found, str)
        return found

    def member(self, idx: int, tags: tuple[int, ...], what: str) -> MemberRef:
        """A field or method reference (resolved once per index: code repeats them)."""
        key = (idx, tags)
        found = self._resolved.get(key)
        if found is None:
            owner_idx, nat_idx = self._u2s(idx, tags, what)
            name_idx, desc_idx = self._u2s(nat_idx, (NAME_AND_TYPE,), what)
            found = self._resolved[key] = MemberRef(
                self.class_name(owner_idx, what),
                self.utf8(name_idx, what),
                self.utf8(desc_idx, what),
            )
        assert isinstance(found, MemberRef)
        return found

    def name_and_type_of_dynamic(self, idx: int, what: str) -> tuple[str, str]:
        _bootstrap, nat_idx = self._u2s(idx, (INVOKE_DYNAMIC,), what)
        name_idx, desc_idx = self._u2s(nat_idx, (NAME_AND_TYPE,), what)
        return self.utf8(name_idx, what), self.utf8(desc_idx, what)

    def loadable(self, idx: int, wide: bool, what: str) -> str | int | float | None:
        """The value an ldc/ldc_w/ldc2_w pushes: strings and numbers; None for others."""
        tags = (
            (LONG, DOUBLE)
            if wide
            else (INTEGER, FLOAT, STRING, CLASS, METHOD_TYPE, METHOD_HANDLE, DYNAMIC)
        )
        raw = self._entry(idx, tags, what)
        tag = self.tags[idx]
        assert isinstance(raw, bytes)
        if tag == STRING:
            return self.utf8(struct.unpack(">H", raw)[0], what)
        if tag == INTEGER:
            return int(struct.unpack(">i", raw)[0])
        if tag == LONG:
            return int(struct.unpack(">q", raw)[0])
        if tag == FLOAT:
            return float(struct.unpack(">f", raw)[0])
        if tag == DOUBLE:
            return float(struct.unpack(">d", raw)[0])
        return None

    def loadable_kind(self, idx: int) -> str:
        """The stack kind an ldc of entry ``idx`` pushes (checked by :meth:`loadable` first):
        I, F, J, D, or A for strings, classes, method types and handles; a dynamic
        constant's kind comes from its descriptor."""
        tag = self.tags[idx]
        if tag in (INTEGER, FLOAT, LONG, DOUBLE):
            return {INTEGER: "I", FLOAT: "F", LONG: "J", DOUBLE: "D"}[tag]
        if tag == DYNAMIC:
            _bootstrap, nat = self._u2s(idx, (DYNAMIC,), "ldc")
            _name, desc_idx = self._u2s(nat, (NAME_AND_TYPE,), "ldc")
            c = self.utf8(desc_idx, "ldc")[:1]
            return "I" if c in "ZBCSI" else c if c in "FJD" else "A"
        return "A"

    def constant_value(self, idx: int, what: str) -> str | int | float | None:
        tag = self.tags[idx] if 0 < idx < len(self.tags) else 0
        return self.loadable(idx, tag in (LONG, DOUBLE), what)


def parse_class(data: bytes) -> ClassInfo:
    """Parse one class file; raises :class:`ClassFormatError` when it is malformed."""
    if len(data) > MAX_CLASS_SIZE:
        raise ClassFormatError(f"class file of {len(data)} bytes exceeds {MAX_CLASS_SIZE}")
    r = _Reader(data)
    if r.u4("magic") != MAGIC:
        raise ClassFormatError("not a class file (magic is not 0xCAFEBABE)")
    minor = r.u2("minor_version")
    major = r.u2("major_version")
    cp = ConstantPool(r)
    access = r.u2("access_flags")
    name = cp.class_name(r.u2("this_class"), "this_class")
    super_idx = r.u2("super_class")
    superclass = cp.class_name(super_idx, "super_class") if super_idx else None
    interfaces = [
        cp.class_name(r.u2("interface"), "interfaces")
        for _ in range(r.count("interfaces_count", 2))
    ]
    fields = []
    for _ in range(r.count("fields_count", 8)):
        f_access, f_name, f_desc = r.u2("field"), r.u2("field"), r.u2("field")
        fi = FieldInfo(cp.utf8(f_name, "field name"), cp.utf8(f_desc, "field descriptor"), f_access)
        for a_name, body in _attributes(r, cp, f"field {fi.name}"):
            if a_name == "ConstantValue" and len(body) == 2:
                fi.constant = cp.constant_value(struct.unpack(">H", body)[0], "ConstantValue")
        fields.append(fi)
    methods = []
    for _ in range(r.count("methods_count", 8)):
        m_access, m_name, m_desc = r.u2("method"), r.u2("method"), r.u2("method")
        mi = MethodInfo(
            cp.utf8(m_name, "method name"), cp.utf8(m_desc, "method descriptor"), m_access
        )
        where = f"method {mi.name}{mi.desc}"
        for a_name, body in _attributes(r, cp, where):
            if a_name == "Code":
                _read_code(body, cp, mi, where)
        methods.append(mi)
    source_file = None
    for a_name, body in _attributes(r, cp, "class"):
        if a_name == "SourceFile" and len(body) == 2:
            source_file = cp.utf8(struct.unpack(">H", body)[0], "SourceFile")
    if r.pos != len(data):
        raise ClassFormatError(f"{len(data) - r.pos} bytes after the last attribute")
    return ClassInfo(
        name, superclass, interfaces, access, (major, minor), fields, methods, source_file, cp
    )


def _attributes(r: _Reader, cp: ConstantPool, where: str) -> list[tuple[str, bytes]]:
    out = []
    for _ in range(r.count(f"{where}: attributes_count", 6)):
        a_name = cp.utf8(r.u2(f"{where}: attribute name"), f"{where}: attribute name")
        length = r.u4(f"{where}: attribute_length")
        out.append((a_name, r.take(length, f"{where}: attribute {a_name}")))
    return out


def _read_code(body: bytes, cp: ConstantPool, mi: MethodInfo, where: str) -> None:
    r = _Reader(body)
    r.u2(f"{where}: max_stack")
    mi.max_locals = r.u2(f"{where}: max_locals")
    length = r.u4(f"{where}: code_length")
    if not 0 < length < 65536:
        raise ClassFormatError(f"{where}: code_length {length} is not in 1..65535")
    code = r.take(length, f"{where}: code")
    handlers = []
    for _ in range(r.count(f"{where}: exception_table_length", 8)):
        start, end, handler, catch = (
            r.u2("start_pc"),
            r.u2("end_pc"),
            r.u2("handler_pc"),
            r.u2("catch_type"),
        )
        handlers.append(handler)
        caught = cp.class_name(catch, f"{where}: catch_type") if catch else None
        mi.handlers.append((start, end, handler, caught))
    mi.code_length = length
    mi.bytecode = code
    mi.code = decode_code(code, cp, handlers, where)
    for a_name, attr in _attributes(r, cp, f"{where}: Code"):
        if a_name == "LineNumberTable":
            lr = _Reader(attr)
            for _ in range(lr.count(f"{where}: line_number_table_length", 4)):
                mi.lines.append((lr.u2("start_pc"), lr.u2("line_number")))
    if r.pos != len(body):
        raise ClassFormatError(f"{where}: Code attribute has {len(body) - r.pos} extra bytes")
