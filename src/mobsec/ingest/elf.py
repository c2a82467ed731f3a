"""Native libraries (ELF ``.so`` files shipped in ``lib/<abi>/``): identity, linkage, hardening.

Why our own parser and not pyelftools (pinned 0.33, installed):

* Speed. Listing the dynamic symbols of a shared object with 20,000 exports (built with host
  gcc) takes 390-700 ms with pyelftools (20-35 µs per symbol, one ``Container`` each) and
  19-30 ms here, sha256 included (``struct.iter_unpack``; ``bench/bench_readers.py``
  measures both, numbers in bench/RESULTS.md). All 46 native libraries of the corpus (5.7 MB) take 9 ms
  together here, 0.2 ms mean, 1.3 ms for the largest (UnCrackable-Level4's 1.9 MB
  ``libnative-lib.so``, mostly hashing; pyelftools: ~8 ms for its symbols alone).
* Hostile input. pyelftools raises ``ELFError``, ``struct.error``, ``ValueError``,
  ``IndexError``, ``KeyError``... on crafted files and trusts counts it reads; catching
  all of them at every call site is the "except Exception" we do not want. Here every
  offset and count is checked against the buffer before use, every loop has a bound, and
  the only way out for bad bytes is :class:`FormatError` or a diagnostic.
* Android packers corrupt or drop section headers on purpose (the Android linker never reads
  them), so linkage comes from the program headers (``PT_DYNAMIC``) first; section headers
  are used only for what they alone give (``.symtab`` presence, ``.rodata``), and to find
  ``.dynsym`` the way ``readelf --dyn-syms`` does. Without them the dynamic symbol count
  comes from ``DT_HASH`` / ``DT_GNU_HASH``.

Only what the security checks need is parsed: header, program headers, section headers,
the dynamic section, the dynamic symbol table and its strings.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from mobsec.diagnostics import Diagnostics, FormatError
from mobsec.limits import DEFAULT_LIMITS, Limits

# Bounds on counts read from the file (each is also checked against the data size).
MAX_PROGRAM_HEADERS = 4096
MAX_SECTIONS = 65536
MAX_DYNAMIC_ENTRIES = 65536
MAX_SYMBOLS = 1_000_000
MAX_NAME_LEN = 4096

ELF_MAGIC = b"\x7fELF"

# e_machine -> (our name, the Android ABI directories it belongs to)
MACHINES: dict[int, str] = {
    3: "386",
    8: "MIPS",
    40: "ARM",
    62: "X86_64",
    183: "AArch64",
    243: "RISCV",
}
# Android ABI directory -> (machine, bits) the library must have.
ABI_MACHINE: dict[str, tuple[str, int]] = {
    "armeabi": ("ARM", 32),
    "armeabi-v7a": ("ARM", 32),
    "arm64-v8a": ("AArch64", 64),
    "x86": ("386", 32),
    "x86_64": ("X86_64", 64),
    "mips": ("MIPS", 32),
    "mips64": ("MIPS", 64),
    "riscv64": ("RISCV", 64),
}
ELF_TYPES = {0: "NONE", 1: "REL", 2: "EXEC", 3: "DYN", 4: "CORE"}

PT_LOAD, PT_DYNAMIC, PT_INTERP = 1, 2, 3
PT_GNU_STACK, PT_GNU_RELRO = 0x6474E551, 0x6474E552
PF_X = 1
SHT_SYMTAB, SHT_STRTAB, SHT_DYNAMIC, SHT_DYNSYM = 2, 3, 6, 11
SHT_NOBITS = 8

DT_NULL, DT_NEEDED, DT_HASH, DT_STRTAB, DT_SYMTAB = 0, 1, 4, 5, 6
DT_STRSZ, DT_SYMENT, DT_SONAME, DT_RPATH = 10, 11, 14, 15
DT_TEXTREL, DT_BIND_NOW, DT_RUNPATH, DT_FLAGS = 22, 24, 29, 30
DT_GNU_HASH, DT_FLAGS_1 = 0x6FFFFEF5, 0x6FFFFFFB
DF_TEXTREL, DF_BIND_NOW = 0x4, 0x8
DF_1_NOW, DF_1_PIE = 0x1, 0x08000000

STB_LOCAL = 0
STV_HIDDEN, STV_INTERNAL = 2, 1

CANARY_SYMBOLS = frozenset({"__stack_chk_fail", "__stack_chk_guard", "__intel_security_cookie"})
# libc functions FORTIFY_SOURCE can replace with a checked ``__<name>_chk`` variant.
FORTIFIABLE = frozenset(
    {
        "memcpy", "memmove", "memset", "mempcpy", "strcpy", "stpcpy", "strncpy", "stpncpy",
        "strcat", "strncat", "strlcpy", "strlcat", "strlen", "strchr", "strrchr",
        "sprintf", "snprintf", "vsprintf", "vsnprintf", "printf", "fprintf", "vprintf",
        "vfprintf", "gets", "fgets", "read", "pread", "pread64", "recv", "recvfrom",
        "realpath", "getcwd", "readlink", "readlinkat", "wcscpy", "wcsncpy", "wcscat",
        "wmemcpy", "wmemmove", "wmemset", "poll", "ppoll", "fread", "fwrite", "open",
        "openat", "umask", "FD_SET", "memchr", "memrchr", "write", "sendto",
    }
)  # fmt: skip


@dataclass(slots=True)
class Hardening:
    """Exploit mitigations as the ELF declares them (what the loader will apply)."""

    nx: bool = False  # PT_GNU_STACK present and not executable
    pie: bool = False  # position independent (ET_DYN)
    stack_canary: bool = False  # imports __stack_chk_fail / __stack_chk_guard / ...
    fortify: bool = False  # at least one __*_chk import
    fortified_functions: list[str] = field(default_factory=list)  # "__strcpy_chk", ...
    fortifiable_functions: list[str] = field(default_factory=list)  # unchecked "strcpy", ...
    relro: str = "none"  # "none" | "partial" | "full"
    bind_now: bool = False
    rpath: list[str] = field(default_factory=list)
    runpath: list[str] = field(default_factory=list)
    stripped: bool = True  # no .symtab section
    textrel: bool = False  # text relocations: code pages made writable at load time

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class NativeLibrary:
    path: str
    abi: str | None  # from lib/<abi>/ in the path
    machine: str  # "ARM", "AArch64", "386", "X86_64", "MIPS", "RISCV" or "EM_<n>"
    bits: int
    endian: str  # "little" | "big"
    elf_type: str  # "DYN", "EXEC", ...
    soname: str | None
    needed: list[str]
    imported_symbols: list[str]  # undefined dynamic symbols
    exported_symbols: list[str]  # defined, global/weak, visible dynamic symbols
    hardening: Hardening
    size: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["hardening"] = self.hardening.to_json()
        return d


# ---------------------------------------------------------------------------------------------
# Low-level structure


@dataclass(frozen=True, slots=True)
class _Segment:
    type: int
    flags: int
    offset: int
    vaddr: int
    filesz: int
    memsz: int


@dataclass(frozen=True, slots=True)
class _Section:
    name_off: int
    type: int
    offset: int
    size: int
    link: int
    entsize: int
    addr: int


@dataclass(slots=True)
class _Header:
    bits: int
    endian: str  # struct prefix "<" or ">"
    type: int
    machine: int
    phoff: int
    shoff: int
    phentsize: int
    phnum: int
    shentsize: int
    shnum: int
    shstrndx: int


def _parse_header(buf: memoryview) -> _Header:
    if len(buf) < 16 or bytes(buf[:4]) != ELF_MAGIC:
        raise FormatError("not an ELF file", "不是 ELF 文件", code="elf.not_elf")
    ei_class, ei_data = buf[4], buf[5]
    if ei_class not in (1, 2):
        raise FormatError(
            f"invalid ELF class {ei_class}", f"无效的 ELF 类别 {ei_class}", code="elf.bad_class"
        )
    if ei_data not in (1, 2):
        raise FormatError(
            f"invalid ELF data encoding {ei_data}",
            f"无效的 ELF 字节序 {ei_data}",
            code="elf.bad_endian",
        )
    e = "<" if ei_data == 1 else ">"
    fmt = e + ("HHIIIIIHHHHHH" if ei_class == 1 else "HHIQQQIHHHHHH")
    need = 16 + struct.calcsize(fmt)
    if len(buf) < need:
        raise FormatError(
            "ELF header truncated", "ELF 文件头被截断", code="elf.truncated", size=len(buf)
        )
    (etype, mach, _ver, _entry, phoff, shoff, _flags, _ehsize, phentsize, phnum, shentsize,
     shnum, shstrndx) = struct.unpack_from(fmt, buf, 16)  # fmt: skip
    return _Header(
        32 if ei_class == 1 else 64, e, etype, mach, phoff, shoff,
        phentsize, phnum, shentsize, shnum, shstrndx,
    )  # fmt: skip


def _table_fits(buf: memoryview, off: int, count: int, entsize: int) -> bool:
    return off >= 0 and count >= 0 and off + count * entsize <= len(buf)


class _Elf:
    """The parsed tables of one ELF file; problems go to ``report(code, en, zh, **detail)``."""

    def __init__(self, data: bytes, report: _Reporter) -> None:
        self.data = data  # bytes, for fast bounded ``find`` of string terminators
        buf = self.buf = memoryview(data)
        self.report = report
        self.h = _parse_header(buf)
        self.segments = self._program_headers()
        self.sections = self._section_headers()

    # -- tables --------------------------------------------------------------------------

    def _program_headers(self) -> list[_Segment]:
        h, buf = self.h, self.buf
        if h.phnum == 0:
            return []
        fmt = h.endian + ("IIIIIIII" if h.bits == 32 else "IIQQQQQQ")
        size = struct.calcsize(fmt)
        if (
            h.phentsize < size
            or h.phnum > MAX_PROGRAM_HEADERS
            or not _table_fits(buf, h.phoff, h.phnum, h.phentsize)
        ):
            self.report(
                "elf.bad_phdr",
                "program header table lies outside the file or has a bad entry size",
                "程序头表超出文件范围或表项大小无效",
                phoff=h.phoff, phnum=h.phnum, phentsize=h.phentsize,
            )  # fmt: skip
            return []
        out = []
        for i in range(h.phnum):
            v = struct.unpack_from(fmt, buf, h.phoff + i * h.phentsize)
            if h.bits == 32:
                ptype, off, vaddr, _pa, filesz, memsz, flags, _al = v
            else:
                ptype, flags, off, vaddr, _pa, filesz, memsz, _al = v
            out.append(_Segment(ptype, flags, off, vaddr, filesz, memsz))
        return out

    def _section_headers(self) -> list[_Section]:
        h, buf = self.h, self.buf
        if h.shoff == 0 or h.shnum == 0:
            return []
        fmt = h.endian + ("IIIIIIIIII" if h.bits == 32 else "IIQQQQIIQQ")
        size = struct.calcsize(fmt)
        if (
            h.shentsize < size
            or h.shnum > MAX_SECTIONS
            or not _table_fits(buf, h.shoff, h.shnum, h.shentsize)
        ):
            self.report(
                "elf.bad_shdr",
                "section header table lies outside the file or has a bad entry size",
                "节头表超出文件范围或表项大小无效",
                shoff=h.shoff, shnum=h.shnum, shentsize=h.shentsize,
            )  # fmt: skip
            return []
        out = []
        for i in range(h.shnum):
            name, stype, _fl, addr, off, sz, link, _info, _al, entsize = struct.unpack_from(
                fmt, buf, h.shoff + i * h.shentsize
            )
            out.append(_Section(name, stype, off, sz, link, entsize, addr))
        return out

    def section_name(self, sec: _Section) -> str:
        if not 0 < self.h.shstrndx < len(self.sections):
            return ""
        strtab = self.sections[self.h.shstrndx]
        return self._cstr(strtab.offset, strtab.size, sec.name_off) or ""

    def section_bytes(self, sec: _Section) -> memoryview | None:
        if sec.type == SHT_NOBITS or sec.offset + sec.size > len(self.buf):
            return None
        return self.buf[sec.offset : sec.offset + sec.size]

    # -- helpers -------------------------------------------------------------------------

    def _cstr(self, base: int, size: int, off: int) -> str | None:
        """NUL-terminated string at ``off`` inside the table [base, base+size), or None."""
        end_table = min(base + size, len(self.buf))
        start = base + off
        if off < 0 or start >= end_table:
            return None
        end = min(start + MAX_NAME_LEN, end_table)
        nul = self.data.find(b"\0", start, end)
        return self.data[start : end if nul < 0 else nul].decode("utf-8", "backslashreplace")

    def vaddr_to_offset(self, addr: int) -> int | None:
        for s in self.segments:
            if s.type == PT_LOAD and s.vaddr <= addr < s.vaddr + s.filesz:
                off = s.offset + (addr - s.vaddr)
                return off if off < len(self.buf) else None
        return None

    def segment(self, ptype: int) -> _Segment | None:
        return next((s for s in self.segments if s.type == ptype), None)


_Reporter = Any  # Callable[..., None]; kept loose so diagnostics keep their keyword details


# ---------------------------------------------------------------------------------------------
# Dynamic section and symbols


@dataclass(slots=True)
class _Dynamic:
    entries: list[tuple[int, int]]
    strtab: tuple[int, int] | None  # (file offset, size)


def _dynamic_entries(elf: _Elf) -> list[tuple[int, int]]:
    """(tag, value) pairs from PT_DYNAMIC (or SHT_DYNAMIC), stopping at DT_NULL."""
    seg = elf.segment(PT_DYNAMIC)
    if seg is not None:
        off, size = seg.offset, seg.filesz
    else:
        sec = next((s for s in elf.sections if s.type == SHT_DYNAMIC), None)
        if sec is None:
            return []
        off, size = sec.offset, sec.size
    h, buf = elf.h, elf.buf
    fmt = h.endian + ("ii" if h.bits == 32 else "qQ")
    entsize = struct.calcsize(fmt)
    if off >= len(buf):
        elf.report(
            "elf.bad_dynamic",
            "dynamic section lies outside the file",
            "动态段超出文件范围",
            offset=off,
        )
        return []
    avail = min(size, len(buf) - off) // entsize
    count = min(avail, MAX_DYNAMIC_ENTRIES)
    out: list[tuple[int, int]] = []
    for tag, val in struct.iter_unpack(fmt, buf[off : off + count * entsize]):
        if tag == DT_NULL:
            return out
        out.append((tag & 0xFFFFFFFFFFFFFFFF, val & 0xFFFFFFFFFFFFFFFF))
    elf.report(
        "elf.dynamic_unterminated",
        "dynamic section has no DT_NULL terminator within its bounds",
        "动态段在其范围内没有 DT_NULL 结束标记",
        entries=len(out),
    )
    return out


def _dyn_strtab(elf: _Elf, entries: list[tuple[int, int]]) -> tuple[int, int] | None:
    tags = dict(entries)
    if DT_STRTAB in tags:
        off = elf.vaddr_to_offset(tags[DT_STRTAB])
        if off is not None:
            size = tags.get(DT_STRSZ, len(elf.buf) - off)
            return off, min(size, len(elf.buf) - off)
    sec = next((s for s in elf.sections if s.type == SHT_DYNSYM), None)
    if sec is not None and sec.link < len(elf.sections):
        st = elf.sections[sec.link]
        if st.offset < len(elf.buf):
            return st.offset, min(st.size, len(elf.buf) - st.offset)
    if entries:
        elf.report(
            "elf.no_dynstr",
            "dynamic string table not found; library names are unavailable",
            "未找到动态字符串表，无法读取依赖库名称",
        )
    return None


def _hash_symbol_count(elf: _Elf, tags: dict[int, int]) -> int | None:
    """Number of dynamic symbols from DT_HASH (nchain) or DT_GNU_HASH (highest chain end)."""
    h, buf = elf.h, elf.buf
    e = h.endian
    if DT_HASH in tags:
        off = elf.vaddr_to_offset(tags[DT_HASH])
        if off is not None and off + 8 <= len(buf):
            return struct.unpack_from(e + "II", buf, off)[1]
    if DT_GNU_HASH not in tags:
        return None
    off = elf.vaddr_to_offset(tags[DT_GNU_HASH])
    if off is None or off + 16 > len(buf):
        return None
    nbuckets, symoffset, bloom_size, _shift = struct.unpack_from(e + "IIII", buf, off)
    buckets_off = off + 16 + bloom_size * (h.bits // 8)
    if buckets_off + 4 * nbuckets > len(buf):
        return None
    buckets = struct.unpack_from(f"{e}{nbuckets}I", buf, buckets_off)
    last = max(buckets, default=0)
    if last < symoffset:
        return symoffset
    chains_off = buckets_off + 4 * nbuckets
    idx = last
    while True:  # bounded: each step moves 4 bytes forward and stops at the buffer's end
        pos = chains_off + 4 * (idx - symoffset)
        if pos + 4 > len(buf):
            return None
        if struct.unpack_from(e + "I", buf, pos)[0] & 1:
            return idx + 1
        idx += 1


_SymtabLocation = tuple[int, int, tuple[int, int] | None]  # offset, count, strtab


def _fits(buf: memoryview, off: int, count: int, size: int) -> bool:
    return off < len(buf) and count <= MAX_SYMBOLS and off + count * size <= len(buf)


def _symtab_from_sections(elf: _Elf, sym_size: int) -> _SymtabLocation | None:
    sec = next((s for s in elf.sections if s.type == SHT_DYNSYM), None)
    if sec is None or sec.link >= len(elf.sections):
        return None
    st = elf.sections[sec.link]
    return sec.offset, sec.size // sym_size, (st.offset, st.size)


def _symtab_from_dynamic(elf: _Elf, entries: list[tuple[int, int]]) -> _SymtabLocation | None:
    """DT_SYMTAB located through PT_LOAD, sized by the hash table (what the loader uses)."""
    tags = dict(entries)
    if DT_SYMTAB not in tags:
        return None
    sym_off = elf.vaddr_to_offset(tags[DT_SYMTAB])
    count = _hash_symbol_count(elf, tags)
    if sym_off is None or count is None:
        elf.report(
            "elf.bad_symtab",
            "dynamic symbol table cannot be located or sized",
            "无法定位动态符号表或确定其大小",
        )
        return None
    return sym_off, count, _dyn_strtab(elf, entries)


# (index, name, st_info, st_other, st_shndx, st_value, st_size); name "" for no name, None
# when it points outside the string table. A plain tuple: libraries export 20,000 symbols.
DynamicSymbol = tuple[int, str | None, int, int, int, int, int]


def symbol_visible(info: int, other: int) -> bool:
    """Global/weak and not hidden: what another library (or the JVM) can look up."""
    return info >> 4 != STB_LOCAL and (other & 3) not in (STV_HIDDEN, STV_INTERNAL)


def iter_dynamic_symbols(elf: _Elf, entries: list[tuple[int, int]]) -> Iterator[DynamicSymbol]:
    """The .dynsym entries in index order (section first, like readelf; else DT_SYMTAB)."""
    h, buf = elf.h, elf.buf
    sym_fmt = h.endian + ("IIIBBH" if h.bits == 32 else "IBBHQQ")
    sym_size = struct.calcsize(sym_fmt)
    located = _symtab_from_sections(elf, sym_size)
    if located is not None and not _fits(buf, located[0], located[1], sym_size):
        elf.report(
            "elf.bad_symtab",
            "the .dynsym section lies outside the file or is too large; using PT_DYNAMIC",
            ".dynsym 节超出文件范围或过大；改用 PT_DYNAMIC",
            offset=located[0], count=located[1],
        )  # fmt: skip
        located = _symtab_from_dynamic(elf, entries) or located
    elif located is None:
        located = _symtab_from_dynamic(elf, entries)
    if located is None:
        return
    off, count, strtab = located
    if strtab is None:
        return
    if not _fits(buf, off, count, sym_size):
        elf.report(
            "elf.bad_symtab",
            "dynamic symbol table lies outside the file or is too large",
            "动态符号表超出文件范围或过大",
            offset=off, count=count,
        )  # fmt: skip
        count = min(MAX_SYMBOLS, max(0, (len(buf) - off) // sym_size))
    str_base, str_size = strtab
    for index, v in enumerate(struct.iter_unpack(sym_fmt, buf[off : off + count * sym_size])):
        if h.bits == 32:
            name_off, value, size, info, other, shndx = v
        else:
            name_off, info, other, shndx, value, size = v
        name = elf._cstr(str_base, str_size, name_off) if name_off else ""
        yield index, name, info, other, shndx, value, size


def _dynamic_symbols(
    elf: _Elf, entries: list[tuple[int, int]]
) -> tuple[list[str], list[str]] | None:
    """(imported, exported) names from .dynsym; None when there is no readable table."""
    imported: list[str] = []
    exported: list[str] = []
    bad_names = 0
    seen = False
    for _i, name, info, other, shndx, _v, _s in iter_dynamic_symbols(elf, entries):
        seen = True
        if name == "":
            continue
        if name is None:
            bad_names += 1
        elif shndx == 0:
            imported.append(name)
        elif symbol_visible(info, other):
            exported.append(name)
    if bad_names:
        elf.report(
            "elf.bad_string_offset",
            f"{bad_names} symbol name(s) point outside the string table",
            f"{bad_names} 个符号名称指向字符串表之外",
            count=bad_names,
        )
    return (imported, exported) if seen else None


# ---------------------------------------------------------------------------------------------
# Public API


_ABI_RE = re.compile(r"(?:^|/)(?:lib|jni)/([^/]+)/[^/]+$")  # jni/: an AAR's native code


def abi_from_path(path: str) -> str | None:
    """The ``<abi>`` of ``lib/<abi>/name.so`` (the directory Android installs from)."""
    m = _ABI_RE.search(path)
    return m.group(1) if m else None


def analyze_elf(
    data: bytes | memoryview, path: str, diags: Diagnostics, limits: Limits = DEFAULT_LIMITS
) -> NativeLibrary | None:
    """Read one native library; None (with an error diagnostic) if it is not a readable ELF."""
    raw = data if isinstance(data, bytes) else bytes(data)
    buf = memoryview(raw)
    if len(buf) > limits.max_elf_size:
        diags.error(
            "elf.too_large",
            path,
            f"ELF file of {len(buf)} bytes exceeds the limit of {limits.max_elf_size}",
            f"ELF 文件大小 {len(buf)} 字节超过上限 {limits.max_elf_size}",
            size=len(buf),
        )
        return None

    def report(code: str, en: str, zh: str, **detail: Any) -> None:
        diags.warning(code, path, en, zh, **detail)

    try:
        elf = _Elf(raw, report)
    except FormatError as exc:
        diags.error(exc.code, path, exc.en, exc.zh, **exc.detail)
        return None
    h = elf.h
    entries = _dynamic_entries(elf)
    tags: dict[int, int] = {}
    for tag, val in entries:
        tags.setdefault(tag, val)
    strtab = _dyn_strtab(elf, entries) if entries else None

    def dyn_strings(tag: int) -> list[str]:
        if strtab is None:
            return []
        out = []
        for t, v in entries:
            if t == tag:
                s = elf._cstr(strtab[0], strtab[1], v)
                if s is None:
                    report(
                        "elf.bad_string_offset",
                        f"dynamic entry {tag} points outside the string table",
                        f"动态项 {tag} 指向字符串表之外",
                        tag=tag, offset=v,
                    )  # fmt: skip
                else:
                    out.append(s)
        return out

    soname_list = dyn_strings(DT_SONAME)
    syms = _dynamic_symbols(elf, entries)
    imported, exported = syms if syms is not None else ([], [])
    hard = _hardening(elf, tags, imported, dyn_strings)
    if hard.textrel:
        report(
            "elf.textrel",
            "library has text relocations (code pages are made writable while loading)",
            "库包含文本重定位（加载时代码页被设为可写）",
        )
    machine = MACHINES.get(h.machine, f"EM_{h.machine}")
    abi = abi_from_path(path)
    _check_abi(abi, machine, h.bits, path, diags)
    return NativeLibrary(
        path=path,
        abi=abi,
        machine=machine,
        bits=h.bits,
        endian="little" if h.endian == "<" else "big",
        elf_type=ELF_TYPES.get(h.type, f"UNKNOWN({h.type})"),
        soname=soname_list[0] if soname_list else None,
        needed=dyn_strings(DT_NEEDED),
        imported_symbols=imported,
        exported_symbols=exported,
        hardening=hard,
        size=len(buf),
        sha256=hashlib.sha256(buf).hexdigest(),
    )


def _hardening(elf: _Elf, tags: dict[int, int], imported: list[str], dyn_strings: Any) -> Hardening:
    stack = elf.segment(PT_GNU_STACK)
    flags, flags_1 = tags.get(DT_FLAGS, 0), tags.get(DT_FLAGS_1, 0)
    bind_now = DT_BIND_NOW in tags or bool(flags & DF_BIND_NOW) or bool(flags_1 & DF_1_NOW)
    relro = "none"
    if elf.segment(PT_GNU_RELRO) is not None:
        relro = "full" if bind_now else "partial"
    imports = set(imported)
    fortified = sorted(n for n in imports if n.startswith("__") and n.endswith("_chk"))
    fortified = [n for n in fortified if n not in CANARY_SYMBOLS]
    return Hardening(
        nx=stack is not None and not stack.flags & PF_X,
        # ET_DYN covers shared objects and PIE executables; ET_EXEC is fixed-address.
        pie=elf.h.type == 3,
        stack_canary=bool(imports & CANARY_SYMBOLS),
        fortify=bool(fortified),
        fortified_functions=fortified,
        fortifiable_functions=sorted(imports & FORTIFIABLE),
        relro=relro,
        bind_now=bind_now,
        rpath=[p for s in dyn_strings(DT_RPATH) for p in s.split(":") if p],
        runpath=[p for s in dyn_strings(DT_RUNPATH) for p in s.split(":") if p],
        stripped=not any(s.type == SHT_SYMTAB for s in elf.sections),
        textrel=DT_TEXTREL in tags or bool(flags & DF_TEXTREL),
    )


def _check_abi(abi: str | None, machine: str, bits: int, path: str, diags: Diagnostics) -> None:
    if abi is None:
        return
    expected = ABI_MACHINE.get(abi)
    if expected is None:
        diags.info(
            "elf.abi_unknown",
            path,
            f"unknown ABI directory lib/{abi}/ (Android will not load from it)",
            f"未知的 ABI 目录 lib/{abi}/（Android 不会从中加载）",
            abi=abi,
        )
    elif expected != (machine, bits):
        diags.warning(
            "elf.abi_mismatch",
            path,
            f"library in lib/{abi}/ is {machine} {bits}-bit, expected {expected[0]} "
            f"{expected[1]}-bit",
            f"lib/{abi}/ 中的库为 {machine} {bits} 位，应为 {expected[0]} {expected[1]} 位",
            abi=abi, machine=machine, bits=bits,
        )  # fmt: skip


_PRINTABLE_CACHE: dict[int, re.Pattern[bytes]] = {}


def elf_strings(
    data: bytes | memoryview, min_len: int = 6, limit: int = 100_000, max_len: int = 4096
) -> Iterator[str]:
    """Printable ASCII strings of ``.rodata`` (whole file if it has no such section), lazily.

    At most ``limit`` strings, each cut to ``max_len`` characters. Raises FormatError at the
    call if ``data`` is not an ELF file; the iteration itself never raises.
    """
    raw = data if isinstance(data, bytes) else bytes(data)
    elf = _Elf(raw, lambda *a, **k: None)
    regions = [
        b
        for s in elf.sections
        if elf.section_name(s).startswith(".rodata") and (b := elf.section_bytes(s)) is not None
    ] or [elf.buf]
    pat = _PRINTABLE_CACHE.get(min_len)
    if pat is None:
        pat = _PRINTABLE_CACHE.setdefault(
            min_len, re.compile(rb"[\x20-\x7e\t]{%d,}" % max(1, min_len))
        )
    return _iter_strings(regions, pat, limit, max_len)


def _iter_strings(
    regions: list[memoryview], pat: re.Pattern[bytes], limit: int, max_len: int
) -> Iterator[str]:
    n = 0
    for region in regions:
        for m in pat.finditer(region):
            if n >= limit:
                return
            n += 1
            yield m.group()[:max_len].decode("ascii")
