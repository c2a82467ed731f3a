"""Mach-O executables and libraries (thin and fat): identity, hardening, linkage, strings.

The fat (universal) header is read here, with every slice checked against the file: a
lying ``offset``/``size`` must not send a parser past the end or make two slices overlap
unnoticed. Each thin slice is then parsed by LIEF (pinned in pyproject.toml), from the
slice's own bytes only. What we read from LIEF's model is plain data (flags, load commands,
imported symbol names, section bytes), copied into :class:`MachOSlice` so nothing of LIEF
leaks into facts or checks.

Hardening, as the iOS toolchain marks it:

* PIE: ``MH_PIE`` in the header flags.
* Stack canary: ``___stack_chk_guard`` / ``___stack_chk_fail`` imported.
* ARC: the ARC runtime entry points (``_objc_release``, ``_objc_storeStrong``…) imported,
  or Swift (always reference counted by the compiler).
* Encryption: ``LC_ENCRYPTION_INFO[_64]`` with ``cryptid`` 1 (FairPlay; App Store
  downloads). Such code is ciphertext: its strings and symbols are not analysed.
* Code signature: ``LC_CODE_SIGNATURE``; its SuperBlob carries the signed entitlements.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field
from typing import Any

from mobsec.diagnostics import Diagnostics, FormatError
from mobsec.ingest.ios.plist import parse_dict

MAX_MACHO = 512 * 1024 * 1024
MAX_FAT_ARCHS = 32
MAX_STRINGS = 50_000
MAX_STRING_LEN = 4096
MAX_IMPORTS = 20_000
MAX_SIG_BLOBS = 64

FAT_MAGIC, FAT_MAGIC_64 = 0xCAFEBABE, 0xCAFEBABF
THIN_MAGICS = {
    b"\xce\xfa\xed\xfe": 32,  # MH_MAGIC, little-endian on disk
    b"\xcf\xfa\xed\xfe": 64,  # MH_MAGIC_64
    b"\xfe\xed\xfa\xce": 32,  # big-endian (old PowerPC)
    b"\xfe\xed\xfa\xcf": 64,
}
MH_PIE = 0x200000
MH_ALLOW_STACK_EXECUTION = 0x20000
# cputype -> name; subtype picks armv7/armv7s/arm64e where it matters
CPU_NAMES = {7: "x86", 0x01000007: "x86_64", 12: "arm", 0x0100000C: "arm64", 0x0200000C: "arm64_32"}
ARM_SUBTYPES = {9: "armv7", 11: "armv7s", 12: "armv7k", 6: "armv6"}
FILE_TYPES = {1: "object", 2: "execute", 6: "dylib", 8: "bundle", 11: "kext_bundle"}

CANARY_SYMBOLS = frozenset({"___stack_chk_guard", "___stack_chk_fail"})
ARC_SYMBOLS = frozenset(
    {
        "_objc_release",
        "_objc_retain",
        "_objc_storeStrong",
        "_objc_autoreleaseReturnValue",
        "_objc_retainAutoreleasedReturnValue",
        "_objc_release_x0",
    }
)
SWIFT_MARKERS = ("_swift_", "_$s")  # Swift runtime calls and mangled Swift symbols

CSMAGIC_EMBEDDED_SIGNATURE = 0xFADE0CC0
CSMAGIC_CODEDIRECTORY = 0xFADE0C02
CSMAGIC_ENTITLEMENTS = 0xFADE7171


def is_macho(head: bytes) -> bool:
    if head[:4] in THIN_MAGICS:
        return True
    if len(head) >= 8:
        magic, n = struct.unpack(">II", head[:8])
        # 0xCAFEBABE is also a Java class file; its next word (version) is always >= 45.
        return magic in (FAT_MAGIC, FAT_MAGIC_64) and 0 < n <= MAX_FAT_ARCHS
    return False


@dataclass(slots=True)
class MachOSlice:
    cpu: str
    offset: int  # in the file (0 for a thin file)
    size: int
    file_type: str = ""
    pie: bool = False
    stack_canary: bool = False
    arc: bool = False
    swift: bool = False
    objc: bool = False
    stack_executable: bool = False
    encrypted: bool = False  # cryptid != 0
    encryption_info: bool = False  # LC_ENCRYPTION_INFO present at all
    code_signature: bool = False
    code_directory: bool = False
    entitlements: dict[str, Any] | None = None
    libraries: list[str] = field(default_factory=list)
    weak_libraries: list[str] = field(default_factory=list)
    rpaths: list[str] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)
    symbol_count: int = 0
    min_os: str | None = None
    sdk: str | None = None
    restrict_segment: bool = False  # __RESTRICT/__restrict: dyld ignores DYLD_* variables

    def to_json(self) -> dict[str, Any]:
        return {
            "cpu": self.cpu,
            "offset": self.offset,
            "size": self.size,
            "file_type": self.file_type,
            "pie": self.pie,
            "stack_canary": self.stack_canary,
            "arc": self.arc,
            "swift": self.swift,
            "objc": self.objc,
            "stack_executable": self.stack_executable,
            "encrypted": self.encrypted,
            "encryption_info": self.encryption_info,
            "code_signature": self.code_signature,
            "min_os": self.min_os,
            "sdk": self.sdk,
            "restrict_segment": self.restrict_segment,
            "libraries": self.libraries,
            "weak_libraries": self.weak_libraries,
            "imported_symbols": len(self.imports),
            "symbols": self.symbol_count,
        }


@dataclass(slots=True)
class MachOBinary:
    path: str  # inside the package
    size: int
    sha256: str
    fat: bool
    slices: list[MachOSlice]
    # From the analysed slice (arm64 preferred): C strings, Objective-C class names and
    # selectors. Empty when that slice is encrypted.
    strings: list[str] = field(default_factory=list)
    objc_classes: list[str] = field(default_factory=list)
    selectors: list[str] = field(default_factory=list)

    @property
    def primary(self) -> MachOSlice | None:
        """The slice analysed for code facts: arm64 first, then the first one read."""
        for s in self.slices:
            if s.cpu.startswith("arm64"):
                return s
        return self.slices[0] if self.slices else None

    @property
    def encrypted(self) -> bool:
        return any(s.encrypted for s in self.slices)

    def imports(self) -> set[str]:
        return {name for s in self.slices for name in s.imports}

    def to_json(self) -> dict[str, Any]:
        p = self.primary
        return {
            "path": self.path,
            "size": self.size,
            "sha256": self.sha256,
            "fat": self.fat,
            "architectures": [s.cpu for s in self.slices],
            "encrypted": self.encrypted,
            # hardening holds only if every slice has it (the device may run any of them)
            "pie": bool(self.slices) and all(s.pie for s in self.slices),
            "stack_canary": bool(self.slices) and all(s.stack_canary for s in self.slices),
            "arc": bool(self.slices) and all(s.arc for s in self.slices),
            "code_signature": bool(self.slices) and all(s.code_signature for s in self.slices),
            "swift": any(s.swift for s in self.slices),
            "libraries": p.libraries if p else [],
            "strings": len(self.strings),
            "slices": [s.to_json() for s in self.slices],
        }


def read_macho(data: bytes, path: str, diags: Diagnostics) -> MachOBinary | None:
    """Parse a Mach-O file; ``None`` (with a diagnostic) when no slice can be read."""
    if len(data) > MAX_MACHO:
        _diag(diags, path, "macho.too_large", f"{len(data)} bytes, above the limit", "文件过大")
        return None
    try:
        fat, ranges = _slices(data, path, diags)
    except FormatError as e:
        diags.error(e.code, path, e.en, e.zh, **e.detail)
        return None
    slices: list[MachOSlice] = []
    parsed: list[tuple[MachOSlice, Any]] = []
    for cpu, off, size in ranges:
        got = _parse_slice(data[off : off + size], cpu, off, path, diags)
        if got is not None:
            slices.append(got[0])
            parsed.append(got)
    if not slices:
        diags.error(
            "macho.unreadable",
            path,
            "No architecture of this Mach-O file could be parsed",
            "该 Mach-O 文件没有任何架构可以解析",
        )
        return None
    binary = MachOBinary(path, len(data), hashlib.sha256(data).hexdigest(), fat, slices)
    primary = binary.primary
    for sl, lief_bin in parsed:
        if sl is primary and not sl.encrypted:
            binary.strings = _section_strings(lief_bin, "__cstring")
            # class and selector names are identifiers, short ones too ("new", "row")
            binary.objc_classes = _section_strings(lief_bin, "__objc_classname", 1)
            binary.selectors = _section_strings(lief_bin, "__objc_methname", 1)
    return binary


def _diag(diags: Diagnostics, path: str, code: str, en: str, zh: str, **d: Any) -> None:
    diags.error(code, path, en, zh, **d)


def _slices(data: bytes, path: str, diags: Diagnostics) -> tuple[bool, list[tuple[str, int, int]]]:
    """(is fat, [(cpu, offset, size)]) with every range inside the file."""
    if data[:4] in THIN_MAGICS:
        return False, [("", 0, len(data))]
    if len(data) < 8:
        raise FormatError(
            "Too short for a Mach-O header", "过短,不是 Mach-O 头", code="macho.truncated"
        )
    magic, nfat = struct.unpack(">II", data[:8])
    if magic not in (FAT_MAGIC, FAT_MAGIC_64):
        raise FormatError(
            f"Not a Mach-O file (magic {data[:4].hex()})",
            f"不是 Mach-O 文件(魔数 {data[:4].hex()})",
            code="macho.bad_magic",
        )
    if not 0 < nfat <= MAX_FAT_ARCHS:
        raise FormatError(
            f"Fat header declares {nfat} architectures (1..{MAX_FAT_ARCHS} accepted)",
            f"通用二进制头声明了 {nfat} 个架构(仅接受 1..{MAX_FAT_ARCHS})",
            code="macho.fat_bad_count",
            count=nfat,
        )
    entry = struct.Struct(">iiQQII" if magic == FAT_MAGIC_64 else ">iiIII")
    header_end = 8 + nfat * entry.size
    if header_end > len(data):
        raise FormatError(
            "Fat header is cut short", "通用二进制头被截断", code="macho.fat_truncated"
        )
    out: list[tuple[str, int, int]] = []
    for i in range(nfat):
        cputype, subtype, off, size, *_ = entry.unpack_from(data, 8 + i * entry.size)
        cpu = _cpu_name(cputype, subtype)
        if off < header_end or size <= 0 or off + size > len(data):
            diags.error(
                "macho.fat_slice_out_of_bounds",
                path,
                f"Fat slice {i} ({cpu}) at {off}+{size} lies outside the "
                f"{len(data)}-byte file; skipped",
                f"通用二进制第 {i} 个切片({cpu})位于 {off}+{size},超出 {len(data)} 字节文件;已跳过",
                index=i,
                offset=off,
                size=size,
            )
            continue
        if any(off < o + s and o < off + size for _, o, s in out):
            diags.error(
                "macho.fat_slices_overlap",
                path,
                f"Fat slice {i} ({cpu}) overlaps another slice; skipped",
                f"通用二进制第 {i} 个切片({cpu})与其他切片重叠;已跳过",
                index=i,
            )
            continue
        out.append((cpu, off, size))
    return True, out


def _cpu_name(cputype: int, subtype: int) -> str:
    name = CPU_NAMES.get(cputype & 0xFFFFFFFF, f"cpu{cputype & 0xFFFFFFFF:#x}")
    if name == "arm":
        return ARM_SUBTYPES.get(subtype & 0xFFFFFF, "arm")
    if name == "arm64" and subtype & 0xFFFFFF == 2:
        return "arm64e"
    return name


def _parse_slice(
    raw: bytes, cpu: str, offset: int, path: str, diags: Diagnostics
) -> tuple[MachOSlice, Any] | None:
    import lief

    lief.logging.disable()  # LIEF logs warnings for odd files on stderr; we report our own
    if raw[:4] not in THIN_MAGICS:
        diags.error(
            "macho.bad_magic",
            path,
            f"Slice at {offset} is not a Mach-O image (magic {raw[:4].hex()})",
            f"偏移 {offset} 处的切片不是 Mach-O 映像(魔数 {raw[:4].hex()})",
            offset=offset,
        )
        return None
    fat = lief.MachO.parse(raw) if len(raw) >= 28 else None  # 28: the 32-bit header
    b = fat.at(0) if fat is not None and fat.size > 0 else None
    if b is None:
        diags.error(
            "macho.malformed",
            path,
            f"Mach-O slice at {offset} could not be parsed",
            f"偏移 {offset} 处的 Mach-O 切片无法解析",
            offset=offset,
        )
        return None
    # The header's fixed fields straight from the bytes (LIEF turns unknown values into
    # warnings).
    order = "<" if raw[:4] in (b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe") else ">"
    cputype, subtype, filetype, _n, _size, flags = struct.unpack_from(order + "iiIIII", raw, 4)
    sl = MachOSlice(cpu=cpu or _cpu_name(cputype, subtype), offset=offset, size=len(raw))
    sl.file_type = FILE_TYPES.get(filetype, str(filetype))
    sl.pie = bool(flags & MH_PIE)
    sl.stack_executable = bool(flags & MH_ALLOW_STACK_EXECUTION)
    # LIEF's imported_symbols also holds local symbols of some binaries (iGoat's own classes,
    # type UNDEFINED but category LOCAL); an import is what dyld binds: category UNDEFINED,
    # the set `llvm-nm -u` prints
    imports = _names(_undefined(b.imported_symbols), "name", MAX_IMPORTS)
    sl.imports = imports
    names = set(imports)
    sl.symbol_count = len(b.symbols)
    sl.swift = any(n.startswith(SWIFT_MARKERS) for n in names)
    sl.objc = "_objc_msgSend" in names
    sl.stack_canary = bool(names & CANARY_SYMBOLS)
    sl.arc = bool(names & ARC_SYMBOLS) or sl.swift
    if b.has_encryption_info:
        sl.encryption_info = True
        sl.encrypted = b.encryption_info.crypt_id != 0
    for lib in b.libraries:
        name = _text(lib, "name")
        if name is not None:
            weak = str(lib.command).endswith("LOAD_WEAK_DYLIB")
            (sl.weak_libraries if weak else sl.libraries).append(name)
    sl.rpaths = _names(b.rpaths, "path", 256)
    sl.swift = sl.swift or any("/libswiftCore" in lib for lib in sl.libraries)
    sl.arc = sl.arc or sl.swift
    sl.restrict_segment = bool({"__RESTRICT", "__restrict"} & set(_names(b.segments, "name", 256)))
    if b.has_version_min:
        sl.min_os = ".".join(map(str, b.version_min.version))
        sl.sdk = ".".join(map(str, b.version_min.sdk))
    elif b.has_build_version:
        sl.min_os = ".".join(map(str, b.build_version.minos))
        sl.sdk = ".".join(map(str, b.build_version.sdk))
    if b.has_code_signature:
        sl.code_signature = True
        blob = bytes(b.code_signature.content)
        sl.code_directory, sl.entitlements = _signature_blobs(blob, path, diags)
    return sl, b


def _signature_blobs(
    blob: bytes, path: str, diags: Diagnostics
) -> tuple[bool, dict[str, Any] | None]:
    """(has a CodeDirectory, signed entitlements) from the embedded signature SuperBlob."""
    if len(blob) < 12:
        return False, None
    magic, length, count = struct.unpack_from(">III", blob)
    if magic != CSMAGIC_EMBEDDED_SIGNATURE:
        return False, None
    end = min(length, len(blob))
    has_cd = False
    ents = None
    for i in range(min(count, MAX_SIG_BLOBS)):
        pos = 12 + i * 8
        if pos + 8 > end:
            break
        _type, off = struct.unpack_from(">II", blob, pos)
        if off + 8 > end:
            continue
        bmagic, blen = struct.unpack_from(">II", blob, off)
        if bmagic == CSMAGIC_CODEDIRECTORY:
            has_cd = True
        elif bmagic == CSMAGIC_ENTITLEMENTS and 8 <= blen <= end - off:
            try:
                ents = parse_dict(blob[off + 8 : off + blen])
            except FormatError as e:
                diags.warning(
                    "macho.bad_entitlements",
                    path,
                    f"Signed entitlements unreadable: {e.en}",
                    f"签名中的授权(entitlements)无法读取:{e.zh}",
                )
    return has_cd, ents


def _text(obj: Any, attr: str) -> str | None:
    """A name from LIEF's model; LIEF decodes it as UTF-8 and raises on bytes that are not
    (a crafted file), so one bad name costs that name only."""
    try:
        return getattr(obj, attr)
    except UnicodeDecodeError:
        return None


def _undefined(symbols: Any) -> Any:
    import lief  # imported lazily, as in _parse_slice (10 MB extension)

    undefined = lief.MachO.Symbol.CATEGORY.UNDEFINED
    for sym in symbols:
        try:
            if sym.category == undefined:
                yield sym
        except (AttributeError, ValueError, TypeError):
            continue


def _names(items: Any, attr: str, limit: int) -> list[str]:
    out: list[str] = []
    for item in items:
        if len(out) >= limit:
            break
        name = _text(item, attr)
        if name is not None:
            out.append(name)
    return out


def _section_strings(b: Any, name: str, min_len: int = 4) -> list[str]:
    """NUL-separated printable strings of one ``__TEXT`` section (bounded)."""
    out: list[str] = []
    for sec in b.sections:
        if _text(sec, "name") != name or _text(sec, "segment_name") != "__TEXT":
            continue
        content = bytes(sec.content)
        for part in content.split(b"\x00"):
            if len(out) >= MAX_STRINGS:
                break
            if min_len <= len(part) <= MAX_STRING_LEN:
                s = part.decode("utf-8", errors="replace")
                if s.isprintable():
                    out.append(s)
    return out
