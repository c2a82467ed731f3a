"""Numbers for method signatures (name and prototype) across the DEX files of an app.

A call graph matches a virtual call with the methods of that name and prototype in every
DEX file; comparing numbers is what makes that cheap. The numbers are made in C from the
MUTF-8 bytes of the id tables (``_dexcore.signatures``), without decoding a string; a
method id whose name or prototype cannot be read is decoded here instead (with the pool's
diagnostics) and numbered after the others, sharing a number with any readable method id
that decodes to the same name and prototype.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import _dexcore
from .dexfile import DexFile


class MethodSignatures:
    def __init__(self, dexes: Sequence[DexFile]) -> None:
        self._dexes = dexes
        numbers, reps = _dexcore.signatures([d.pools.tables() for d in dexes])
        # per DEX file: method_idx -> signature number, -1 when unreadable
        self.of = [memoryview(b).cast("i") for b in numbers]
        self._reps = memoryview(reps).cast("Q")  # number -> DEX file number << 32 | method_idx
        self._named: dict[tuple[str, str], int] = {}  # decoded lookups and unreadable ids
        self._extra_names: list[str] = []  # names of the numbers made here

    def number(self, no: int, idx: int) -> int:
        """The signature number of method_id ``idx`` of DEX file number ``no``."""
        table = self.of[no]
        got = table[idx] if 0 <= idx < len(table) else -1
        if got < 0:
            pools = self._dexes[no].pools
            got = self.named(pools.method_name(idx), pools.method_proto(idx))
        return got

    def named(self, name: str, proto: str) -> int:
        """The number of (name, proto descriptor); a new one if no method id has it."""
        key = (name, proto)
        got = self._named.get(key)
        if got is None:
            got = self._find(name, proto)
            if got is None:
                got = len(self._reps) + len(self._extra_names)
                self._extra_names.append(name)
            self._named[key] = got
        return got

    def name(self, number: int) -> str:
        """The method name of signature ``number``."""
        if number < len(self._reps):
            where = self._reps[number]
            return self._dexes[where >> 32].pools.method_name(where & 0xFFFFFFFF)
        return self._extra_names[number - len(self._reps)]

    def _find(self, name: str, proto: str) -> int | None:
        for no, dex in enumerate(self._dexes):
            pools, table = dex.pools, self.of[no]
            for idx in pools.method_ids_named(name):
                if idx < len(table) and table[idx] >= 0 and pools.method_proto(idx) == proto:
                    return table[idx]
        return None
