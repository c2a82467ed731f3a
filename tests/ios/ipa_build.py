"""Test IPAs made from real parts: a corpus IPA rezipped with one thing changed.

No corpus sample has every construct a check must see (an ATS exception, a URL scheme, a
binary without PIE...), so tests take a real IPA and edit exactly that: a key of
Info.plist, or a field of the real Mach-O located by walking its load commands (done here
independently of the reader under test).
"""

from __future__ import annotations

import io
import plistlib
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CORPUS

IPA_DIR = CORPUS / "formats" / "ipa"

LC_ENCRYPTION_INFO, LC_ENCRYPTION_INFO_64 = 0x21, 0x2C
MH_PIE = 0x200000


def corpus_ipa(name: str) -> Path:
    import pytest

    path = IPA_DIR / name
    if not path.is_file():
        pytest.skip(f"corpus IPA {path} not present")
    return path


def app_root(z: zipfile.ZipFile) -> str:
    for n in z.namelist():
        if n.endswith(".app/Info.plist") and n.count("/") == 2 and n.startswith("Payload/"):
            return n[: -len("Info.plist")]
    raise AssertionError("no Payload/*.app/Info.plist")


def rebuild(
    src: Path,
    *,
    info: Callable[[dict], None] | None = None,
    executable: Callable[[bytes], bytes] | None = None,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
    info_format: int | None = None,
) -> bytes:
    """``src`` rezipped: ``info`` edits the main Info.plist dict in place, ``executable``
    maps the main executable's bytes; ``replace``/``add``/``drop`` take paths relative to
    the app root."""
    out = io.BytesIO()
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        root = app_root(z)
        plist = plistlib.loads(z.read(root + "Info.plist"))
        exe = root + plist["CFBundleExecutable"]
        for item in z.infolist():
            rel = item.filename[len(root) :] if item.filename.startswith(root) else None
            if rel in drop:
                continue
            data = z.read(item)
            if item.filename == root + "Info.plist" and (info or info_format is not None):
                fmt = info_format
                if fmt is None:
                    fmt = plistlib.FMT_BINARY if data.startswith(b"bplist") else plistlib.FMT_XML
                if info:
                    info(plist)
                data = plistlib.dumps(plist, fmt=fmt)
            elif item.filename == exe and executable:
                data = executable(data)
            elif replace and rel in replace:
                data = replace[rel]
            w.writestr(item.filename, data)
        for rel, data in (add or {}).items():
            w.writestr(root + rel, data)
    return out.getvalue()


# --- Mach-O editing (test-side walker of the real format) ---------------------------------


def thin_slices(data: bytes) -> list[tuple[int, int]]:
    """(offset, size) of each thin image, from the fat header or the whole file."""
    magic, n = struct.unpack(">II", data[:8])
    if magic == 0xCAFEBABE:
        return [struct.unpack_from(">iiIII", data, 8 + i * 20)[2:4] for i in range(n)]
    return [(0, len(data))]


def load_commands(data: bytes, off: int) -> list[tuple[int, int]]:
    """(file offset, cmd) of every load command of the thin image at ``off``."""
    magic = data[off : off + 4]
    is64 = magic == b"\xcf\xfa\xed\xfe"
    ncmds = struct.unpack_from("<I", data, off + 16)[0]
    pos = off + (32 if is64 else 28)
    out = []
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", data, pos)
        out.append((pos, cmd))
        pos += size
    return out


def clear_pie(data: bytes) -> bytes:
    buf = bytearray(data)
    for off, _ in thin_slices(data):
        flags = struct.unpack_from("<I", buf, off + 24)[0]
        struct.pack_into("<I", buf, off + 24, flags & ~MH_PIE)
    return bytes(buf)


def set_cryptid(data: bytes, value: int = 1) -> bytes:
    buf = bytearray(data)
    for off, _ in thin_slices(data):
        for pos, cmd in load_commands(data, off):
            if cmd in (LC_ENCRYPTION_INFO, LC_ENCRYPTION_INFO_64):
                struct.pack_into("<I", buf, pos + 16, value)  # cryptoff, cryptsize, cryptid
    return bytes(buf)


def rename_symbol(data: bytes, old: bytes, new: bytes) -> bytes:
    """Same-length rename in the string tables (the import is then another symbol)."""
    assert len(old) == len(new)
    assert old in data
    return data.replace(old + b"\x00", new + b"\x00")


def lying_fat_offset(data: bytes, index: int, offset: int) -> bytes:
    buf = bytearray(data)
    struct.pack_into(">I", buf, 8 + index * 20 + 8, offset)
    return bytes(buf)
