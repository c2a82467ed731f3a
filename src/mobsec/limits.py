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
    # XML (binary and text) is held to these while it is parsed, never after the tree exists.
    max_xml_elements: int = 100_000
    max_xml_depth: int = 256
    max_xml_attrs_per_element: int = 1_000
    max_xml_attrs_total: int = 200_000
    # Each diagnostic code is kept this many times per scan; the rest are counted in one
    # summary diagnostic (a hostile package can repeat one problem 100,000 times).
    max_diagnostics_per_code: int = 200
    # Each check keeps this many findings per scan; the rest become one finding that counts
    # them (99,000 exported activities are one problem, not a 300 MB report).
    max_findings_per_check: int = 1_000
    # A real DEX stays below ~20 MB (64K method refs); real apps below ~200 MB of DEX in all.
    # Parsed DEX bytes are kept for the whole scan, so their sum is what bounds memory.
    max_dex_size: int = 128 * 1024 * 1024
    max_total_dex: int = 384 * 1024 * 1024
    max_elf_size: int = 512 * 1024 * 1024
    # Stored facts for rule-only re-scans (mobsec.rules.stored): a file bigger than this
    # (gzip) is not written, the next re-scan is a full scan; real apps store 0.1-3 MB.
    max_stored_facts_bytes: int = 64 * 1024 * 1024
    # Split sets (.apks/.xapk/.apkm): the APKs of one set are held in memory together.
    max_split_set_bytes: int = 1024 * 1024 * 1024
    # Values followed across methods (mobsec.facts.values): steps from a use back to where
    # the value is made (caller -> field -> return ...), call sites / field writes / call
    # targets looked at per step, values kept per argument, and the steps one question may
    # take (answers about a field, a parameter or a return value are memoised per app).
    value_depth: int = 4
    value_callers: int = 16
    value_writes: int = 32
    value_targets: int = 4
    value_reached: int = 32
    value_steps: int = 600


DEFAULT_LIMITS = Limits()
