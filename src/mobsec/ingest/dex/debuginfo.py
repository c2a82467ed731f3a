"""debug_info_item: source line numbers (and local variable names) per bytecode offset.

Why: a finding's evidence names the source line a reviewer can open in a decompiler or
in the vendor's own source ("MainActivity.java:42"), not only a bytecode offset. The
table comes from the debug_info state machine (DEX format, "debug_info_item"); it is
decoded lazily per method, because a check asks for lines of a few sites only.

The bytes are attacker-controlled: every read is bounds-checked, every loop is bounded by
the bytes it consumes and by a cap on entries, and anything broken (offset outside the
file, a ULEB128 that runs away, a stream without DBG_END_SEQUENCE) yields ``None`` and
never an exception.
"""

from __future__ import annotations

import weakref
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .classes import ACC_STATIC, MethodDef

if TYPE_CHECKING:
    from .dexfile import DexFile

# Opcodes of the debug state machine.
DBG_END_SEQUENCE = 0x00
DBG_ADVANCE_PC = 0x01
DBG_ADVANCE_LINE = 0x02
DBG_START_LOCAL = 0x03
DBG_START_LOCAL_EXTENDED = 0x04
DBG_END_LOCAL = 0x05
DBG_RESTART_LOCAL = 0x06
DBG_SET_PROLOGUE_END = 0x07
DBG_SET_EPILOGUE_BEGIN = 0x08
DBG_SET_FILE = 0x09
DBG_FIRST_SPECIAL = 0x0A
DBG_LINE_BASE = -4
DBG_LINE_RANGE = 15

NO_INDEX = -1  # uleb128p1 of 0
MAX_POSITIONS = 1 << 20  # a method has at most 65535 x 4 bytes of code
MAX_LOCALS = 1 << 16
MAX_PARAMETERS = 256  # the Dalvik limit on argument registers
CACHE_PER_DEX = 4096


@dataclass(frozen=True, slots=True)
class LocalVar:
    """A named register over [start, end) code units (as dexdump's "locals" lists them)."""

    register: int
    start: int
    end: int
    name: str | None
    type_desc: str | None
    signature: str | None = None


@dataclass(frozen=True, slots=True)
class LineTable:
    """Position entries of one method in address order (duplicates kept, as emitted)."""

    addresses: tuple[int, ...]
    lines: tuple[int, ...]
    locals: tuple[LocalVar, ...]
    source_file: str | None = None  # set by DBG_SET_FILE; None means the class's file

    def line_at(self, offset: int) -> int | None:
        """Line of the last position entry whose address is <= ``offset``."""
        i = bisect_right(self.addresses, offset)
        return self.lines[i - 1] if i else None

    def local_at(self, offset: int, register: int) -> LocalVar | None:
        """The named variable living in ``register`` at ``offset``, if the debug info says."""
        for var in self.locals:
            if var.register == register and var.start <= offset < var.end:
                return var
        return None


class _Reader:
    """ULEB128 / SLEB128 reads with bounds; ``ok`` turns False on the first overrun."""

    __slots__ = ("data", "end", "ok", "pos")

    def __init__(self, data: bytes, pos: int) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data)
        self.ok = True

    def byte(self) -> int:
        if self.pos >= self.end:
            self.ok = False
            return 0
        b = self.data[self.pos]
        self.pos += 1
        return b

    def uleb(self) -> int:
        value = 0
        for shift in range(0, 35, 7):
            b = self.byte()
            if not self.ok:
                return 0
            value |= (b & 0x7F) << shift
            if not b & 0x80:
                return value
        self.ok = False  # five bytes with the continuation bit: malformed
        return 0

    def sleb(self) -> int:
        value = 0
        for shift in range(0, 35, 7):
            b = self.byte()
            if not self.ok:
                return 0
            value |= (b & 0x7F) << shift
            if not b & 0x80:
                bits = shift + 7
                if bits < 32 and value & (1 << (bits - 1)):
                    value -= 1 << bits
                elif bits >= 32:
                    value &= 0xFFFFFFFF
                    if value & 0x80000000:
                        value -= 1 << 32
                return value
        self.ok = False
        return 0

    def uleb_p1(self) -> int:
        return self.uleb() - 1


def decode_debug_info(dex: DexFile, method: MethodDef) -> LineTable | None:
    """Decode the method's debug_info_item; None without one or when it is broken."""
    if not method.code_off:
        return None
    data = dex.data
    n = len(data)
    if method.code_off + 16 > n:
        return None
    regs = int.from_bytes(data[method.code_off : method.code_off + 2], "little")
    ins = int.from_bytes(data[method.code_off + 2 : method.code_off + 4], "little")
    off = int.from_bytes(data[method.code_off + 8 : method.code_off + 12], "little")
    insns_size = int.from_bytes(data[method.code_off + 12 : method.code_off + 16], "little")
    if off == 0 or off >= n:
        return None
    r = _Reader(data, off)
    line = r.uleb()
    n_params = r.uleb()
    if not r.ok or n_params > MAX_PARAMETERS:
        return None
    param_names = [r.uleb_p1() for _ in range(n_params)]
    if not r.ok:
        return None
    p = dex.pools

    def string_or_none(idx: int) -> str | None:
        return None if idx < 0 or idx >= p.n_strings else p.string(idx)

    def type_or_none(idx: int) -> str | None:
        return None if idx < 0 or idx >= p.n_types else p.type_desc(idx)

    # Parameters are live from address 0 in the last ``ins`` registers, as dexdump shows.
    live: dict[int, list] = {}  # register -> [start, name, type, sig]
    done: list[LocalVar] = []
    last: dict[int, list] = {}
    reg = regs - ins
    if not method.access_flags & ACC_STATIC:
        live[reg] = [0, "this", p.type_desc(_class_type_idx(dex, method)), None]
        reg += 1
    for i, ptype in enumerate(_param_types(dex, method)):
        if i < len(param_names):  # unnamed (NO_INDEX) parameters are listed too
            live[reg] = [0, string_or_none(param_names[i]), ptype, None]
        reg += 2 if ptype in ("J", "D") else 1

    addresses: list[int] = []
    lines: list[int] = []
    source_file: str | None = None
    address = 0

    def end_local(reg_: int, at: int) -> None:
        cur = live.pop(reg_, None)
        if cur is not None and len(done) < MAX_LOCALS:
            done.append(LocalVar(reg_, cur[0], at, cur[1], cur[2], cur[3]))
            last[reg_] = cur

    while r.ok:
        op = r.byte()
        if not r.ok:
            return None
        if op == DBG_END_SEQUENCE:
            break
        if op == DBG_ADVANCE_PC:
            address += r.uleb()
        elif op == DBG_ADVANCE_LINE:
            line += r.sleb()
        elif op in (DBG_START_LOCAL, DBG_START_LOCAL_EXTENDED):
            reg_ = r.uleb()
            name_idx = r.uleb_p1()
            type_idx = r.uleb_p1()
            sig_idx = r.uleb_p1() if op == DBG_START_LOCAL_EXTENDED else NO_INDEX
            if not r.ok:
                return None
            end_local(reg_, address)
            live[reg_] = [
                address,
                string_or_none(name_idx),
                type_or_none(type_idx),
                string_or_none(sig_idx),
            ]
        elif op == DBG_END_LOCAL:
            end_local(r.uleb(), address)
        elif op == DBG_RESTART_LOCAL:
            reg_ = r.uleb()
            prev = last.get(reg_)
            if prev is not None and reg_ not in live:
                live[reg_] = [address, prev[1], prev[2], prev[3]]
        elif op in (DBG_SET_PROLOGUE_END, DBG_SET_EPILOGUE_BEGIN):
            pass
        elif op == DBG_SET_FILE:
            source_file = string_or_none(r.uleb_p1())
        else:
            adjusted = op - DBG_FIRST_SPECIAL
            line += DBG_LINE_BASE + adjusted % DBG_LINE_RANGE
            address += adjusted // DBG_LINE_RANGE
            if len(addresses) >= MAX_POSITIONS:
                return None
            addresses.append(address)
            lines.append(line & 0xFFFFFFFF)
    if not r.ok:
        return None
    for reg_ in sorted(live):
        end_local(reg_, insns_size)
    return LineTable(tuple(addresses), tuple(lines), tuple(done), source_file)


def _class_type_idx(dex: DexFile, method: MethodDef) -> int:
    return dex.pools.method_class_idx(method.method_idx)


def _param_types(dex: DexFile, method: MethodDef) -> tuple[str, ...]:
    proto = dex.method_ref(method.method_idx).proto
    # "(Ljava/lang/String;[IJ)V" -> ("Ljava/lang/String;", "[I", "J")
    out: list[str] = []
    i, end = 1, proto.find(")")
    while 0 < i < end and len(out) < MAX_PARAMETERS:
        j = i
        while j < end and proto[j] == "[":
            j += 1
        if j < end and proto[j] == "L":
            k = proto.find(";", j, end)
            j = end - 1 if k < 0 else k
        out.append(proto[i : j + 1])
        i = j + 1
    return tuple(out)


# ---- lazily cached per DexFile -------------------------------------------------------

_CACHES: weakref.WeakKeyDictionary[DexFile, OrderedDict[int, LineTable | None]] = (
    weakref.WeakKeyDictionary()
)


def line_table(dex: DexFile, method: MethodDef) -> LineTable | None:
    """The method's :class:`LineTable` (None without debug info), from a bounded LRU cache."""
    cache = _CACHES.get(dex)
    if cache is None:
        cache = _CACHES.setdefault(dex, OrderedDict())
    key = method.record
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    table = decode_debug_info(dex, method)
    cache[key] = table
    if len(cache) > CACHE_PER_DEX:
        cache.popitem(last=False)
    return table


def line_at(dex: DexFile, method: MethodDef, offset: int) -> int | None:
    """Source line of the instruction at ``offset`` (code units), None when unknown."""
    table = line_table(dex, method)
    return None if table is None else table.line_at(offset)
