"""A native library as the loader maps it: bytes by virtual address, exported functions, and
which pointer slot (GOT entry) holds which imported function.

What code analysis (:mod:`mobsec.facts.native_arm64`) needs and :func:`.elf.analyze_elf`
does not keep: reading an instruction or a constant at an address, and naming the target of
a call through the PLT (``bl strcpy@plt`` loads its target from a GOT slot that a
``R_*_JUMP_SLOT`` relocation binds to ``strcpy``). Everything comes from the program headers
and the dynamic section (what the Android linker reads), so stripped or packed section
headers do not matter. Bad offsets give fewer functions or slots, never an exception.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from mobsec.diagnostics import FormatError

from .elf import (
    PF_X,
    PT_LOAD,
    _dynamic_entries,
    _Elf,
    iter_dynamic_symbols,
    symbol_visible,
)

DT_PLTRELSZ, DT_RELA, DT_RELASZ, DT_JMPREL = 2, 7, 8, 23
PF_W = 2
STT_FUNC = 2
# AArch64 relocation types that bind a slot to a symbol, and the position-independent one.
R_AARCH64_ABS64, R_AARCH64_GLOB_DAT, R_AARCH64_JUMP_SLOT = 257, 1025, 1026
R_AARCH64_RELATIVE = 1027
MAX_RELOCATIONS = 200_000
RELA_SIZE = 24


@dataclass(frozen=True, slots=True)
class Region:
    vaddr: int
    offset: int
    filesz: int
    memsz: int
    flags: int


@dataclass
class ElfImage:
    data: bytes
    machine: int
    regions: list[Region]
    functions: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (addr, size)
    imports: dict[int, str] = field(default_factory=dict)  # GOT slot address -> symbol name
    pointers: dict[int, int] = field(default_factory=dict)  # slot -> address (RELATIVE)

    def region_of(self, addr: int) -> Region | None:
        for r in self.regions:
            if r.vaddr <= addr < r.vaddr + r.memsz:
                return r
        return None

    def read(self, addr: int, size: int) -> bytes | None:
        """``size`` bytes the file gives at ``addr`` (None past the file-backed part)."""
        r = self.region_of(addr)
        if r is None or size < 0 or addr + size > r.vaddr + r.filesz:
            return None
        start = r.offset + (addr - r.vaddr)
        if start + size > len(self.data):
            return None
        return self.data[start : start + size]

    def read_only(self, addr: int) -> bool:
        """The address holds data the program cannot change (no write permission)."""
        r = self.region_of(addr)
        return r is not None and not r.flags & PF_W

    def is_code(self, addr: int) -> bool:
        r = self.region_of(addr)
        return r is not None and bool(r.flags & PF_X)

    def cstring(self, addr: int, limit: int = 256) -> bytes | None:
        """The NUL-terminated bytes at ``addr`` (None if unterminated within ``limit``)."""
        r = self.region_of(addr)
        if r is None or addr >= r.vaddr + r.filesz:
            return None
        start = r.offset + (addr - r.vaddr)
        end = min(start + limit, r.offset + r.filesz, len(self.data))
        nul = self.data.find(b"\0", start, end)
        return None if nul < 0 else self.data[start:nul]


def load_image(data: bytes) -> ElfImage | None:
    """The mapped view of a 64-bit little-endian library; None if it is not one we can read."""
    try:
        elf = _Elf(data, lambda *a, **k: None)
    except FormatError:
        return None
    if elf.h.bits != 64 or elf.h.endian != "<":
        return None
    regions = [
        Region(s.vaddr, s.offset, s.filesz, s.memsz, s.flags)
        for s in elf.segments
        if s.type == PT_LOAD and s.offset < len(data)
    ]
    image = ElfImage(data, elf.h.machine, regions)
    entries = _dynamic_entries(elf)
    names: dict[int, str] = {}
    for index, name, info, other, shndx, value, size in iter_dynamic_symbols(elf, entries):
        if not name:
            continue
        names[index] = name
        if shndx != 0 and info & 0xF == STT_FUNC and symbol_visible(info, other):
            image.functions[name] = (value, size)
    _relocations(elf, image, entries, names)
    return image


def _relocations(
    elf: _Elf, image: ElfImage, entries: list[tuple[int, int]], names: dict[int, str]
) -> None:
    tags = dict(entries)
    tables = ((DT_JMPREL, DT_PLTRELSZ), (DT_RELA, DT_RELASZ))
    budget = MAX_RELOCATIONS
    for addr_tag, size_tag in tables:
        if addr_tag not in tags or size_tag not in tags:
            continue
        off = elf.vaddr_to_offset(tags[addr_tag])
        if off is None:
            continue
        count = min(tags[size_tag], len(elf.buf) - off) // RELA_SIZE
        count = max(0, min(count, budget))
        budget -= count
        for r_offset, r_info, addend in struct.iter_unpack(
            "<QQq", elf.buf[off : off + count * RELA_SIZE]
        ):
            rtype, sym = r_info & 0xFFFFFFFF, r_info >> 32
            if rtype in (R_AARCH64_JUMP_SLOT, R_AARCH64_GLOB_DAT, R_AARCH64_ABS64):
                name = names.get(sym)
                if name:
                    image.imports[r_offset] = name
            elif rtype == R_AARCH64_RELATIVE and addend >= 0:
                image.pointers[r_offset] = addend
