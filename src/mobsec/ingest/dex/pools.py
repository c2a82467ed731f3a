"""The id tables of a DEX file (strings, types, protos, fields, methods) and lookups in them.

Nothing is decoded up front: the tables stay views on the file bytes, and names are
decoded when asked for (and cached). The tables are sorted by the DEX rules, so a name
is found by binary search instead of a dict of every name in the app.

A bad index or offset never raises: it yields a placeholder like ``<bad-string@12>`` and
one diagnostic (the number of such diagnostics per file is capped).
"""

from __future__ import annotations

import struct
import sys
from array import array
from bisect import bisect_left, bisect_right
from typing import NamedTuple

from mobsec.diagnostics import Diagnostics

from . import _dexcore
from .header import DexHeader
from .mutf8 import decode_mutf8, utf16_key

MAX_POOL_DIAGNOSTICS = 50
_FIELD_OR_METHOD_ID = struct.Struct("<HHI")
_PROTO_ID = struct.Struct("<III")
_OUTSIDE = "string data outside the file"
# FieldRef(...)/MethodRef(...) without the named tuple's Python-level __new__ (the same
# object; tens of thousands are made per scan)
_new = tuple.__new__


class Proto(NamedTuple):
    shorty: str
    return_type: str
    params: tuple[str, ...]

    @property
    def descriptor(self) -> str:
        return "(" + "".join(self.params) + ")" + self.return_type


class FieldRef(NamedTuple):
    class_desc: str
    name: str
    type_desc: str

    def __str__(self) -> str:
        return f"{self.class_desc}->{self.name}:{self.type_desc}"


class MethodRef(NamedTuple):
    class_desc: str
    name: str
    proto: str  # descriptor, e.g. "(Ljava/lang/String;I)V"

    def __str__(self) -> str:
        return f"{self.class_desc}->{self.name}{self.proto}"


def u32_table(data: bytes, off: int, count: int) -> memoryview | array:
    """A read-only table of little-endian u32 without copying on little-endian hosts."""
    raw = memoryview(data)[off : off + 4 * count]
    if sys.byteorder == "little":
        return raw.cast("I")
    table = array("I", raw)
    table.byteswap()
    return table


class Pools:
    """Accessors for the id tables of one dex section."""

    def __init__(
        self, data: bytes, h: DexHeader, sizes: dict[str, int], name: str, diags: Diagnostics
    ) -> None:
        self._data = data
        self._name = name
        self._diags = diags
        self._bad_reported = 0
        self.string_ids = u32_table(data, h.string_ids_off, sizes["string_ids"])
        self.type_ids = u32_table(data, h.type_ids_off, sizes["type_ids"])
        self.n_protos = sizes["proto_ids"]
        self.n_fields = sizes["field_ids"]
        self.n_methods = sizes["method_ids"]
        self._string_off = h.string_ids_off
        self._type_off = h.type_ids_off
        self._proto_off = h.proto_ids_off
        self._field_off = h.field_ids_off
        self._method_off = h.method_ids_off
        self._plain: bytes | None = None
        self._strings: dict[int, str] = {}
        self._protos: dict[int, Proto] = {}
        self._descriptors: dict[int, str] = {}  # proto idx -> "(params)ret", one string each
        self._found: dict[str, int | None] = {}  # find_string answers: each probe decodes
        self._keys: dict[int, bytes] = {}  # sort_key answers (searches share their probes)
        self._name_column: bytes | None = None  # see method_ids_named

    @property
    def n_strings(self) -> int:
        return len(self.string_ids)

    @property
    def n_types(self) -> int:
        return len(self.type_ids)

    # ---- problems ------------------------------------------------------------------

    def _bad(self, kind: str, idx: int, why: str) -> str:
        if self._bad_reported < MAX_POOL_DIAGNOSTICS:
            self._bad_reported += 1
            self._diags.warning(
                f"dex.bad_{kind}",
                self._name,
                f"{kind} #{idx}: {why}",
                f"{kind} #{idx}：{why}",
                index=idx,
            )
        return f"<bad-{kind}@{idx}>"

    # ---- strings ---------------------------------------------------------------------

    def string(self, idx: int) -> str:
        """The string at ``idx``, decoded from MUTF-8 (cached)."""
        cached = self._strings.get(idx)
        if cached is not None:
            return cached
        if not 0 <= idx < len(self.string_ids):
            return self._bad("string", idx, "index out of range")
        start, end, problem = self.string_span(idx)
        if problem == _OUTSIDE:
            return self._bad("string", idx, problem)
        if problem:
            self._bad("string", idx, problem)
        text = decode_mutf8(self._data[start:end])
        self._strings[idx] = text
        return text

    def peek_string(self, idx: int) -> str | None:
        """The string at ``idx`` without keeping it, for a pass that looks at many strings
        once (most never asked for again); None unless it is well-formed plain ASCII (then
        ask :meth:`string`, which reports what is wrong)."""
        cached = self._strings.get(idx)
        if cached is not None:
            return cached
        if not 0 <= idx < len(self.string_ids):
            return None
        start, end, problem = self.string_span(idx)
        raw = self._data[start:end]
        return None if problem or not raw.isascii() else raw.decode("ascii")

    def string_span(self, idx: int) -> tuple[int, int, str]:
        """(start, end, problem) of the MUTF-8 bytes of string ``idx`` (in range); problem
        is "" for a well-formed string."""
        data = self._data
        pos = self.string_ids[idx]
        n = len(data)
        utf16_len = 0
        for shift in range(0, 35, 7):  # ULEB128, at most 5 bytes
            if pos >= n:
                return 0, 0, _OUTSIDE
            b = data[pos]
            pos += 1
            utf16_len |= (b & 0x7F) << shift
            if not b & 0x80:
                break
        limit = min(n, pos + 3 * utf16_len + 1)
        end = data.find(b"\x00", pos, limit)
        if end < 0:
            return pos, limit, "no terminating NUL within the declared length"
        return pos, end, ""

    def plain_strings(self) -> bytes:
        """One byte per string: 1 when it is plain ASCII that cannot spell a Java class
        name (no '.', or a '/', or 300 characters or more); see ``_dexcore.plain_strings``."""
        if self._plain is None:
            got = _dexcore.plain_strings(self._data, self._string_off, self.n_strings)
            self._plain = got + bytes(self.n_strings - len(got))  # unreadable tail: 0
        return self._plain

    def tables(self) -> tuple[bytes, int, int, int, int, int, int, int, int]:
        """The file and where its id tables are, for ``_dexcore.signatures``."""
        return (
            self._data,
            self._string_off,
            self.n_strings,
            self._type_off,
            self.n_types,
            self._proto_off,
            self.n_protos,
            self._method_off,
            self.n_methods,
        )

    def sort_key(self, idx: int) -> bytes:
        """The pool-order key of string ``idx`` (:func:`utf16_key`), for bisecting the pool.

        Every search probes the same few indexes first (the pool's middle, its quarters...),
        so keys are kept; not those of strings :meth:`string` does not keep either (out of
        the file: each read reports it again, as before).
        """
        key = self._keys.get(idx)
        if key is None:
            key = utf16_key(self.string(idx))
            if idx in self._strings:
                self._keys[idx] = key
        return key

    def find_string(self, text: str) -> int | None:
        """Index of ``text`` in the sorted string pool, or None."""
        if text in self._found:  # member lookups ask for the same class names many times
            return self._found[text]
        found = self._find_string(text)
        self._found[text] = found
        return found

    def _find_string(self, text: str) -> int | None:
        key = utf16_key(text)
        n = len(self.string_ids)
        i = bisect_left(range(n), key, key=self.sort_key)
        if i < n and self.string(i) == text:
            return i
        return None

    def strings_with_prefix(self, prefix: str, limit: int) -> list[int]:
        """Indexes of the pool's strings that start with ``prefix`` (at most ``limit``):
        the pool is sorted, so they are one run found by bisection."""
        n = len(self.string_ids)
        i = bisect_left(range(n), utf16_key(prefix), key=self.sort_key)
        out: list[int] = []
        while i < n and len(out) < limit and self.string(i).startswith(prefix):
            out.append(i)
            i += 1
        return out

    # ---- types -----------------------------------------------------------------------

    def type_desc(self, idx: int) -> str:
        if not 0 <= idx < len(self.type_ids):
            return self._bad("type", idx, "index out of range")
        return self.string(self.type_ids[idx])

    def find_type(self, desc: str) -> int | None:
        sidx = self.find_string(desc)
        if sidx is None:
            return None
        t = self.type_ids
        i = bisect_left(t, sidx)
        if i < len(t) and t[i] == sidx:
            return i
        return None

    def type_list(self, off: int) -> tuple[str, ...]:
        """A type_list item (interfaces, parameters); empty for offset 0."""
        if off == 0:
            return ()
        data = self._data
        if off + 4 > len(data):
            return (self._bad("type_list", off, "offset outside the file"),)
        (size,) = struct.unpack_from("<I", data, off)
        if size > (len(data) - off - 4) // 2:
            return (self._bad("type_list", off, f"{size} entries do not fit in the file"),)
        idxs = struct.unpack_from(f"<{size}H", data, off + 4)
        return tuple(self.type_desc(i) for i in idxs)

    # ---- protos, fields, methods -----------------------------------------------------

    def proto(self, idx: int) -> Proto:
        cached = self._protos.get(idx)
        if cached is not None:
            return cached
        if not 0 <= idx < self.n_protos:
            bad = self._bad("proto", idx, "index out of range")
            return Proto(bad, bad, ())
        shorty, ret, params_off = _PROTO_ID.unpack_from(self._data, self._proto_off + 12 * idx)
        p = Proto(self.string(shorty), self.type_desc(ret), self.type_list(params_off))
        self._protos[idx] = p
        return p

    def proto_descriptor(self, idx: int) -> str:
        """The descriptor of proto ``idx`` (cached: every method of that proto shares it)."""
        got = self._descriptors.get(idx)
        if got is None:
            got = self.proto(idx).descriptor
            if 0 <= idx < self.n_protos:
                self._descriptors[idx] = got
        return got

    def _field_id(self, idx: int) -> tuple[int, int, int]:
        return _FIELD_OR_METHOD_ID.unpack_from(self._data, self._field_off + 8 * idx)

    def _method_id(self, idx: int) -> tuple[int, int, int]:
        return _FIELD_OR_METHOD_ID.unpack_from(self._data, self._method_off + 8 * idx)

    def field_ref(self, idx: int) -> FieldRef:
        if not 0 <= idx < self.n_fields:
            bad = self._bad("field", idx, "index out of range")
            return FieldRef(bad, bad, bad)
        cls, typ, name = self._field_id(idx)
        return _new(FieldRef, (self.type_desc(cls), self.string(name), self.type_desc(typ)))

    def method_ref(self, idx: int) -> MethodRef:
        if not 0 <= idx < self.n_methods:
            bad = self._bad("method", idx, "index out of range")
            return MethodRef(bad, bad, bad)
        cls, proto, name = self._method_id(idx)
        return _new(
            MethodRef, (self.type_desc(cls), self.string(name), self.proto_descriptor(proto))
        )

    def method_id_words(self) -> memoryview | array:
        """The method_ids table as u32 words, two per method: class_idx | proto_idx << 16,
        then name_idx (a whole-table pass without a tuple per method)."""
        n = max(0, min(self.n_methods, (len(self._data) - self._method_off) // 8))
        return u32_table(self._data, self._method_off, 2 * n)

    def method_class_idx(self, idx: int) -> int:
        return self._method_id(idx)[0]

    def find_method_ids(
        self, class_desc: str, name: str | None = None, proto: str | None = None
    ) -> list[int]:
        """method_ids of ``class_desc`` (optionally with this name / proto descriptor)."""
        return self._find_member(
            self._method_id,
            self.n_methods,
            class_desc,
            name,
            proto,
            lambda i: self.proto(self._method_id(i)[1]).descriptor,
        )

    def method_ids_named(self, name: str) -> list[int]:
        """method_ids with this name, on any class (ascending).

        The table is sorted by class first, so a name is spread over it; rather than keep
        an index of every name, the table's name column (one u32 per method, copied out
        once) is searched for the name's string index with a C-speed ``bytes.find``, and
        hits are kept only where a whole entry starts.
        """
        nidx = self.find_string(name)
        if nidx is None:
            return []
        column = self._name_column
        if column is None:
            column = self._name_column = self.method_id_words()[1::2].tobytes()
        pattern = array("I", (nidx,)).tobytes()  # the column's (native) byte order
        out: list[int] = []
        pos = column.find(pattern)
        while pos >= 0:
            row, misaligned = divmod(pos, 4)
            if misaligned:
                pos = column.find(pattern, pos + 1)
            else:
                out.append(row)
                pos = column.find(pattern, pos + 4)
        return out

    def method_name(self, idx: int) -> str:
        """The name of method_id ``idx`` (without decoding its class or proto)."""
        if not 0 <= idx < self.n_methods:
            return self._bad("method", idx, "index out of range")
        return self.string(self._method_id(idx)[2])

    def method_proto(self, idx: int) -> str:
        """The proto descriptor of method_id ``idx`` (without decoding its class or name)."""
        if not 0 <= idx < self.n_methods:
            return self._bad("method", idx, "index out of range")
        return self.proto_descriptor(self._method_id(idx)[1])

    def find_field_ids(
        self, class_desc: str, name: str | None = None, type_desc: str | None = None
    ) -> list[int]:
        """field_ids of ``class_desc`` (optionally with this name / type descriptor)."""
        return self._find_member(
            self._field_id,
            self.n_fields,
            class_desc,
            name,
            type_desc,
            lambda i: self.type_desc(self._field_id(i)[1]),
        )

    def _find_member(self, read, count, class_desc, name, third, third_of) -> list[int]:
        # Both tables are sorted by (class type idx, name string idx, third).
        tidx = self.find_type(class_desc)
        if tidx is None:
            return []
        every = range(count)
        if name is None:
            lo = bisect_left(every, tidx, key=lambda i: read(i)[0])
            hi = bisect_right(every, tidx, lo=lo, key=lambda i: read(i)[0])
        else:
            nidx = self.find_string(name)
            if nidx is None:
                return []
            target = (tidx, nidx)
            lo = bisect_left(every, target, key=lambda i: (read(i)[0], read(i)[2]))
            hi = bisect_right(every, target, lo=lo, key=lambda i: (read(i)[0], read(i)[2]))
        found = list(range(lo, hi))
        if third is not None:
            found = [i for i in found if third_of(i) == third]
        return found
