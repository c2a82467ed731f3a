"""Native libraries in the inventory: name, ABI, hash, SONAME, and the versions of the
well-known libraries compiled into them (read from their own banner strings).

An emergency about OpenSSL 1.0.2 or an old libpng asks "which apps load it?": the library's
file name rarely says (``libnative-lib.so`` links OpenSSL statically), its banner string
does. Banners are matched in ``.rodata`` strings (:func:`mobsec.ingest.elf.elf_strings`,
bounded); patterns are fixed here, never taken from input.
"""

from __future__ import annotations

import re
from typing import Any

from mobsec.diagnostics import FormatError
from mobsec.ingest.elf import NativeLibrary, elf_strings

MAX_STRINGS = 50_000  # per library: a banner sits among the first strings of its module
MAX_VERSIONS = 20

# (library id, pattern whose group 1 is the version)
BANNERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("openssl", re.compile(r"^OpenSSL (\d+\.\d+\.\d+[a-z]?)\b")),
    ("libpng", re.compile(r"^libpng version (\d+\.\d+\.\d+)")),
    ("zlib", re.compile(r"^(?:deflate|inflate) (\d+\.\d+\.\d+(?:\.\d+)?) Copyright")),
    ("curl", re.compile(r"^libcurl/(\d+\.\d+\.\d+)")),
    ("libjpeg-turbo", re.compile(r"^libjpeg-turbo version (\d+\.\d+\.\d+)")),
    ("freetype", re.compile(r"^FreeType (\d+\.\d+\.\d+)")),
    ("ffmpeg", re.compile(r"^(?:FFmpeg version |Lavc)(\d+\.\d+\.\d+)")),
    ("libwebp", re.compile(r"^libwebp[- ](\d+\.\d+\.\d+)")),
    ("mbedtls", re.compile(r"^(?:mbed TLS|Mbed TLS) (\d+\.\d+\.\d+)")),
)


def native_components(
    libraries: list[NativeLibrary], read: Any, max_bytes: int
) -> list[dict[str, Any]]:
    """One entry per native library: {path, name, abi, sha256, size, soname, versions}.

    ``read(path, max_bytes=...)`` gives the library's bytes (the archive's reader)."""
    out = []
    for lib in libraries:
        data = read(lib.path, max_bytes=max_bytes) if lib.size <= max_bytes else None
        out.append(
            {
                "path": lib.path,
                "name": lib.path.rsplit("/", 1)[-1],
                "abi": lib.abi,
                "sha256": lib.sha256,
                "size": lib.size,
                "soname": lib.soname,
                "versions": embedded_versions(data) if data else [],
            }
        )
    return out


def embedded_versions(data: bytes) -> list[dict[str, str]]:
    """[{library, version, evidence}] of the banners found in ``data`` (an ELF file)."""
    try:
        strings = elf_strings(data, min_len=5, limit=MAX_STRINGS, max_len=200)
    except FormatError:
        return []
    found: dict[tuple[str, str], dict[str, str]] = {}
    for s in strings:
        for lib_id, pattern in BANNERS:
            m = pattern.match(s)
            if m is None or not m.group(1):
                continue
            key = (lib_id, m.group(1))
            if key not in found and len(found) < MAX_VERSIONS:
                found[key] = {"library": lib_id, "version": m.group(1), "evidence": s[:120]}
    return sorted(found.values(), key=lambda v: (v["library"], v["version"]))
