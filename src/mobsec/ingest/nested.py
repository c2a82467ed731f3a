"""Code hidden inside the package: DEX, JAR/APK/ZIP, ELF, ODEX/VDEX/OAT, class files and
encrypted-looking blobs anywhere in the archive, whatever their names.

Packers and droppers ship their real code as ``assets/data.png`` or ``res/raw/x.dat`` and
load it at run time, so the first bytes decide, never the extension. Reading must stay
cheap on big packages: every entry costs one decompression of its first 64 bytes
(:meth:`Archive.head`); only entries that turn out to be code are read whole (bounded) to
hash them, nested archives are opened only when small, and high-entropy assets are sampled
(first 64 KiB) before anything else is read.

What is expected is not reported: ``classes*.dex`` at the root, ELF files in
``lib/<abi>/``, and inside a nested archive its own ``classes*.dex`` and ``.class`` files
(they are what makes it a jar and are listed in ``inner_entries``).
"""

from __future__ import annotations

import hashlib
import math
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from mobsec.diagnostics import Diagnostics, InputError
from mobsec.ingest.elf import analyze_elf
from mobsec.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from mobsec.ingest.archive import Archive

SNIFF_BYTES = 64
ENTROPY_SAMPLE = 64 * 1024
ENTROPY_MIN_SIZE = 16 * 1024  # smaller blobs are too short to judge and too small to matter
ENTROPY_THRESHOLD = 7.9  # bits per byte; random data sampled over 16 KiB scores ~7.99
MAX_HASH_BYTES = 64 * 1024 * 1024  # larger payloads are reported without a hash
MAX_NESTED_ARCHIVE = 32 * 1024 * 1024  # larger nested archives are reported, not opened
MAX_INNER_LISTED = 200
MAX_RESULTS = 10_000

KINDS = ("dex", "jar", "apk", "zip", "elf", "odex", "vdex", "oat", "class", "encrypted?")

_DEX_RE = re.compile(rb"^dex\n\d\d\d\0")
_EXPECTED_DEX = re.compile(r"^classes\d*\.dex$")
_EXPECTED_LIB = re.compile(r"^lib/[^/]+/[^/]+$")
# Formats that are high-entropy by nature and not code; never called "encrypted?".
_MEDIA_MAGIC = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"OggS", b"ID3", b"\xff\xfb", b"\xff\xf3",
    b"\xff\xf2", b"fLaC", b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf", b"\x28\xb5\x2f\xfd",
    b"Rar!", b"wOFF", b"wOF2", b"OTTO", b"\x00\x01\x00\x00", b"%PDF", b"\x04\x22\x4d\x18",
    b"\x1aE\xdf\xa3", b"BM", b"II*\x00", b"MM\x00*", b"\x00\x00\x01\x00", b"SQLite format 3",
    b"PK\x05\x06", b"PK\x07\x08",
)  # fmt: skip
# Extensions each kind normally has; any other extension is noted as disguise.
_USUAL_EXT = {
    "dex": {".dex"}, "jar": {".jar", ".zip", ".apk", ".dex"}, "apk": {".apk", ".zip", ".jar"},
    "zip": {".zip", ".jar", ".apk", ".aar"}, "elf": {".so", ""}, "odex": {".odex", ".dex"},
    "vdex": {".vdex"}, "oat": {".oat", ".odex", ".so"}, "class": {".class"},
}  # fmt: skip


@dataclass(slots=True)
class NestedCode:
    path: str  # inside the package; "outer.jar!/inner.dex" for code inside a nested archive
    kind: str  # one of KINDS
    size: int  # uncompressed bytes
    sha256: str | None  # None when the payload was too large or unreadable
    inner_entries: list[str] = field(default_factory=list)  # archives: first names, bounded
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class EntryRef:
    """One file of an archive as this module needs it: a name, a size and two bounded reads.

    ``head(n)`` returns at most the first ``n`` decompressed bytes; ``read(max_bytes)``
    the whole content, or None when it is larger than ``max_bytes`` or unreadable.
    """

    name: str
    size: int
    head: Callable[[int], bytes | None]
    read: Callable[[int], bytes | None]


def archive_entries(archive: Archive) -> Iterator[EntryRef]:
    """EntryRefs for the files of an :class:`~mobsec.ingest.archive.Archive`."""
    for e in archive.entries:
        if e.is_dir or archive.alias_of(e) is not None:
            continue  # an alias has the same bytes as an entry already listed
        yield EntryRef(
            e.name,
            e.uncompressed_size,
            lambda n, e=e: archive.head(e, n),
            lambda m, e=e: archive.read(e, max_bytes=m),
        )


def find_nested_code_in_archive(
    archive: Archive, diags: Diagnostics, limits: Limits = DEFAULT_LIMITS
) -> list[NestedCode]:
    from mobsec.ingest.archive import shared_budget  # local: keeps elf/nested importable alone

    with shared_budget(archive):  # nested archives count against the package's budget
        return find_nested_code(archive_entries(archive), diags, limits)


def sniff(head: bytes) -> str | None:
    """The code kind announced by the first bytes, or None (archives: "zip", refined later)."""
    if _DEX_RE.match(head) or head.startswith(b"cdex"):
        return "dex"
    if head.startswith(b"dey\n"):
        return "odex"
    if head.startswith(b"vdex"):
        return "vdex"
    if head.startswith(b"oat\n"):
        return "oat"
    if head.startswith(b"\x7fELF"):
        return "elf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    # 0xCAFEBABE is also a fat Mach-O; a class file's major version (>= 45) tells them apart.
    if head.startswith(b"\xca\xfe\xba\xbe") and int.from_bytes(head[4:8], "big") >= 45:
        return "class"
    return None


def shannon_entropy(data: bytes) -> float:
    if not data:
        return 0.0
    n = len(data)
    return -sum(
        c / n * math.log2(c / n) for c in (data.count(bytes((i,))) for i in range(256)) if c
    )


def find_nested_code(
    entries: Iterable[EntryRef],
    diags: Diagnostics,
    limits: Limits = DEFAULT_LIMITS,
    *,
    depth: int = 0,
    prefix: str = "",
) -> list[NestedCode]:
    """Code found in ``entries`` (and, ``limits.max_nesting_depth`` deep, inside them)."""
    found: list[NestedCode] = []
    for ref in entries:
        if len(found) >= MAX_RESULTS:
            diags.warning(
                "nested.too_many",
                prefix.rstrip("!/"),
                f"more than {MAX_RESULTS} nested code files; the rest are not listed",
                f"嵌套代码文件超过 {MAX_RESULTS} 个，其余未列出",
            )
            break
        found.extend(_inspect(ref, diags, limits, depth, prefix))
    return found


def _inspect(
    ref: EntryRef, diags: Diagnostics, limits: Limits, depth: int, prefix: str
) -> list[NestedCode]:
    head = ref.head(SNIFF_BYTES)
    if not head:
        return []
    path = prefix + ref.name
    kind = sniff(head)
    if kind is None:
        if depth == 0 and ref.name.startswith("assets/") and ref.size >= ENTROPY_MIN_SIZE:
            return _maybe_encrypted(ref, head, path)
        return []
    if _expected(ref.name, kind, depth):
        return []
    data = _read_bounded(ref, min(MAX_HASH_BYTES, limits.max_entry_uncompressed))
    item = NestedCode(
        path=path,
        kind=kind,
        size=len(data) if data is not None else ref.size,
        sha256=hashlib.sha256(data).hexdigest() if data is not None else None,
    )
    notes = []
    if data is None:
        notes.append("too large or unreadable; not hashed")
    inner: list[NestedCode] = []
    if kind == "zip":
        if data is None or len(data) > MAX_NESTED_ARCHIVE:
            notes.append("archive not opened (too large)")
        else:
            inner, uninspected = _open_nested(item, data, diags, limits, depth, notes)
            if item.kind == "zip" and not inner and not uninspected:
                return []  # an ordinary archive without code in it
    elif kind == "elf" and data is not None:
        lib = analyze_elf(data, path, Diagnostics(), limits)
        if lib is not None:
            if "oatdata" in lib.exported_symbols:
                item.kind = "oat"
            notes.append(f"{lib.machine} {lib.bits}-bit {lib.elf_type}")
    elif kind == "dex" and head.startswith(b"cdex"):
        notes.append("compact DEX (cdex)")
    ext = posixpath.splitext(ref.name)[1].lower()
    if ext not in _USUAL_EXT.get(item.kind, set()):
        notes.insert(0, f"{item.kind} content behind a {ext or 'missing'} extension")
    item.note = "; ".join(notes)
    return [item, *inner]


def _read_bounded(ref: EntryRef, cap: int) -> bytes | None:
    """The whole entry if its declared size fits ``cap`` (a lying size is caught by read)."""
    return ref.read(cap) if ref.size <= cap else None


def _expected(name: str, kind: str, depth: int) -> bool:
    if kind == "dex" and _EXPECTED_DEX.match(name):
        return True
    if depth == 0:
        return kind == "elf" and bool(_EXPECTED_LIB.match(name))
    return kind == "class"  # a jar's own classes


def _maybe_encrypted(ref: EntryRef, head: bytes, path: str) -> list[NestedCode]:
    if head.startswith(_MEDIA_MAGIC) or head[4:8] == b"ftyp":
        return []
    sample = ref.head(ENTROPY_SAMPLE)
    if not sample or len(sample) < ENTROPY_MIN_SIZE:
        return []
    entropy = shannon_entropy(sample)
    if entropy < ENTROPY_THRESHOLD:
        return []
    data = _read_bounded(ref, MAX_HASH_BYTES)
    return [
        NestedCode(
            path=path,
            kind="encrypted?",
            size=len(data) if data is not None else ref.size,
            sha256=hashlib.sha256(data).hexdigest() if data is not None else None,
            note=f"possibly encrypted payload: entropy {entropy:.3f} bits/byte over the first "
            f"{len(sample)} bytes, no known file format",
        )
    ]


def _open_nested(
    item: NestedCode,
    data: bytes,
    diags: Diagnostics,
    limits: Limits,
    depth: int,
    notes: list[str],
) -> tuple[list[NestedCode], bool]:
    """List a nested archive, decide jar/apk/zip, and look inside it when depth allows.

    Returns the code found inside and whether the archive could not be fully inspected
    (unreadable, or the nesting limit stopped us): such a zip is reported even without code.
    """
    from mobsec.ingest.archive import Archive  # local: keeps elf/nested importable alone

    try:
        arch = Archive.open(data, diags, limits, display_name=item.path)
    except InputError as exc:
        d = exc.diagnostic
        diags.warning(
            "nested.bad_archive",
            item.path,
            f"starts like a ZIP but cannot be opened: {d.en}",
            f"看似 ZIP 但无法打开：{d.zh}",
            cause=d.code,
        )
        notes.append("unreadable archive")
        return [], True
    with arch:
        names = [e.name for e in arch.entries if not e.is_dir]
        item.inner_entries = names[:MAX_INNER_LISTED]
        if len(names) > MAX_INNER_LISTED:
            notes.append(f"{len(names)} entries, first {MAX_INNER_LISTED} listed")
        has_dex = any(_EXPECTED_DEX.match(n) for n in names)
        has_class = any(n.endswith(".class") for n in names)
        if "AndroidManifest.xml" in names and has_dex:
            item.kind = "apk"
        elif has_dex or has_class:
            item.kind = "jar"
            notes.append("DEX jar (classes.dex)" if has_dex else "Java class jar")
        if depth + 1 >= limits.max_nesting_depth:
            notes.append("not searched deeper (nesting limit)")
            return [], True
        inner = find_nested_code(
            archive_entries(arch), diags, limits, depth=depth + 1, prefix=item.path + "!/"
        )
        return inner, False
