"""Resource bounds for reading hostile packages. One place, so users can see and tune them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    # Decompression (zip bombs): one entry, all entries together, and the ratio.
    max_entry_uncompressed: int = 512 * 1024 * 1024
    max_total_uncompressed: int = 4 * 1024 * 1024 * 1024
    # deflate tops out near 1032:1; real APK entries stay far below 200:1
    max_compression_ratio: int = 200
    max_entries: int = 200_000
    # Nested archives (dex/jar/apk inside assets) are listed, opened at most this deep.
    max_nesting_depth: int = 2
    # Per-format sanity bounds.
    max_xml_size: int = 64 * 1024 * 1024
    max_dex_size: int = 512 * 1024 * 1024
    max_elf_size: int = 512 * 1024 * 1024
    # Split sets (.apks/.xapk/.apkm): the APKs of one set are held in memory together.
    max_split_set_bytes: int = 1024 * 1024 * 1024


DEFAULT_LIMITS = Limits()
