"""Strings the code really uses: the ones const-string loads, and a native library's strings.

Shared by the secrets checks and the rules engine (string/url/host leaves): both ask
"which texts can the app's code hold", never "which strings are in the pool" (unused pool
entries are not evidence).
"""

from __future__ import annotations

from array import array

from mobsec.diagnostics import FormatError
from mobsec.ingest.dex import DexFile
from mobsec.ingest.dex.index import STRINGS

MIN_NATIVE_LEN = 8
MAX_NATIVE_STRINGS = 50_000


def referenced_string_ids(dex: DexFile) -> list[int]:
    """Ids of the strings some const-string of ``dex`` loads (sorted, unique).

    The code index's string table read as an array: no per-instruction Python.
    """
    raw = dex.refs.raw(STRINGS)
    if not raw:
        return []
    table = array("I")
    table.frombytes(raw[: len(raw) - len(raw) % 16])
    return sorted(set(table[2::4]))


def native_strings(data: bytes) -> list[str]:
    """Printable strings of an ELF library (bounded), empty when it cannot be read."""
    from mobsec.ingest.elf import elf_strings

    try:
        return list(elf_strings(data, min_len=MIN_NATIVE_LEN, limit=MAX_NATIVE_STRINGS))
    except FormatError:
        return []
