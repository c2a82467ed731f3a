"""Code references of one DEX file, as flat tables filled by the C scanner.

Each table is a ``bytes`` object of rows of four u32: (caller method_idx, bytecode offset
in code units, target index, opcode). Tables are read through ``memoryview.cast("I")`` —
no Python object per instruction. Reverse lookups (who calls method X, who loads string
Y) use a CSR index (offsets by target + row order) built in C on the first query.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterator
from typing import NamedTuple

from . import _dexcore

ROW = _dexcore.REF_RECORD  # u32 per row

INVOKES = "invokes"
STRINGS = "strings"
FIELD_READS = "field_reads"
FIELD_WRITES = "field_writes"
TYPES = "types"
KINDS = (INVOKES, STRINGS, FIELD_READS, FIELD_WRITES, TYPES)


class Ref(NamedTuple):
    caller: int  # method_idx of the method that holds the instruction
    offset: int  # bytecode offset in 16-bit code units
    target: int  # method / string / field / type index
    opcode: int


def _u32(raw: bytes) -> memoryview | array:
    if sys.byteorder == "little":
        return memoryview(raw).cast("I")
    table = array("I", raw)
    table.byteswap()
    return table


class CodeRefs:
    """The five reference tables of a DEX file and their reverse indexes."""

    def __init__(self, tables: dict[str, bytes], pool_sizes: dict[str, int]) -> None:
        self._raw = tables
        self._rows = {k: _u32(v) for k, v in tables.items()}
        self._pool_sizes = pool_sizes
        self._csr: dict[str, tuple[memoryview | array, memoryview | array]] = {}
        self._forward: dict[str, tuple[memoryview | array, memoryview | array]] = {}

    def count(self, kind: str) -> int:
        return len(self._rows[kind]) // ROW

    def __iter__(self) -> Iterator[str]:
        return iter(KINDS)

    def raw(self, kind: str) -> bytes:
        """The table as bytes (rows of 4 little-endian u32), e.g. for numpy or C."""
        return self._raw[kind]

    def rows(self, kind: str) -> Iterator[Ref]:
        t = self._rows[kind]
        for i in range(0, len(t), ROW):
            yield Ref(t[i], t[i + 1], t[i + 2], t[i + 3])

    def table(self, kind: str) -> memoryview | array:
        """The rows of ``kind`` as one flat u32 sequence (ROW numbers per row)."""
        return self._rows[kind]

    def csr(self, kind: str) -> tuple[memoryview | array, memoryview | array]:
        """(offsets, order) of the reverse index: the rows of target t are
        ``order[offsets[t]:offsets[t + 1]]`` (table order, as :meth:`refs_to` yields them)."""
        return self._index(kind)

    def refs_to(self, kind: str, target: int) -> list[Ref]:
        """Every row of ``kind`` whose target is ``target``, in (caller, offset) order."""
        offsets, order = self._index(kind)
        if not 0 <= target < len(offsets) - 1:
            return []
        t = self._rows[kind]
        out = []
        for r in order[offsets[target] : offsets[target + 1]]:
            b = r * ROW
            out.append(Ref(t[b], t[b + 1], t[b + 2], t[b + 3]))
        return out

    def refs_from(self, kind: str, caller: int, n_methods: int) -> list[Ref]:
        """Every row of ``kind`` inside method ``caller`` (a method_idx), in offset order."""
        offsets, order, t = self.forward(kind, n_methods)
        if not 0 <= caller < len(offsets) - 1:
            return []
        out = []
        for r in order[offsets[caller] : offsets[caller + 1]]:
            b = r * ROW
            out.append(Ref(t[b], t[b + 1], t[b + 2], t[b + 3]))
        return out

    def targets_from(
        self, kind: str, caller: int, n_methods: int
    ) -> tuple[memoryview | array | list[int], memoryview | array | list[int]]:
        """(targets, opcodes) of the rows of ``kind`` inside method ``caller``, without a
        Python object per row (for whole-program passes such as reachability)."""
        offsets, order, t = self.forward(kind, n_methods)
        if not 0 <= caller < len(offsets) - 1:
            return (), ()
        return targets_in(order, t, offsets[caller], offsets[caller + 1])

    def forward(
        self, kind: str, n_methods: int
    ) -> tuple[memoryview | array, memoryview | array, memoryview | array]:
        """(offsets, order, table) of the forward index: the rows inside method m are
        ``order[offsets[m]:offsets[m + 1]]`` of ``table`` (for :func:`targets_in`)."""
        built = self._forward.get(kind)
        if built is None:
            offsets, order = _dexcore.csr(self._raw[kind], n_methods, 0)
            built = (_u32(offsets), _u32(order))
            self._forward[kind] = built
        return built[0], built[1], self._rows[kind]

    def referenced_targets(self, kind: str) -> Iterator[int]:
        """Every target index of ``kind`` that at least one row refers to, ascending."""
        offsets, _ = self._index(kind)
        for target in range(len(offsets) - 1):
            if offsets[target + 1] != offsets[target]:
                yield target

    def _index(self, kind: str) -> tuple[memoryview | array, memoryview | array]:
        built = self._csr.get(kind)
        if built is None:
            offsets, order = _dexcore.csr(self._raw[kind], self._pool_sizes[kind])
            built = (_u32(offsets), _u32(order))
            self._csr[kind] = built
        return built


def targets_in(
    order: memoryview | array, table: memoryview | array, lo: int, hi: int
) -> tuple[memoryview | array | list[int], memoryview | array | list[int]]:
    """(targets, opcodes) of rows ``order[lo:hi]`` of a forward index (:meth:`CodeRefs.forward`)."""
    if lo >= hi:
        return (), ()
    first, n = order[lo], hi - lo
    if order[hi - 1] == first + n - 1:  # one method's rows are contiguous: slice them
        b, e = first * ROW, (first + n) * ROW
        return table[b + 2 : e : ROW], table[b + 3 : e : ROW]
    rows = order[lo:hi]
    return [table[r * ROW + 2] for r in rows], [table[r * ROW + 3] for r in rows]
