"""A DEX file written from translated classes (the published dex format, version 035).

Why write a DEX at all: every code fact of the engine (the C code index, call sites, the
register data flow, the value analysis, disassembly, line tables) reads DEX. Class files
translated to Dalvik code (:mod:`.translate`) and written here go through exactly the same
readers as an app's ``classes.dex``, so the DEX path keeps its speed and every code check
runs on SDKs without a second implementation.

The pools are sorted as the format requires (strings by UTF-16 code units, ids by their
indexes) because the readers binary-search them. Code units carry references as
placeholders ``("string"|"type"|"field"|"method", key)`` resolved here once the pools are
known.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

from mobsec.ingest.leb128 import encode_uleb128

NO_INDEX = 0xFFFFFFFF
ACC_CONSTRUCTOR = 0x10000
ACC_STATIC, ACC_PRIVATE = 0x0008, 0x0002
MAX_IDS = 0xFFFF  # one DEX holds at most 65535 of each id (16-bit indexes in code)

Ref = tuple[str, object]  # ("string", text) | ("type", desc) | ("field", key) | ("method", key)
Unit = int | Ref


@dataclass(slots=True)
class DexCode:
    registers: int
    ins: int
    outs: int
    units: list[Unit]  # 16-bit code units; a Ref stands for its 16-bit index
    tries: list[tuple[int, int, list[tuple[str | None, int]]]]  # (start, count, handlers)
    lines: list[tuple[int, int]]  # (code unit address, source line), ascending
    params: int  # declared parameters (debug_info parameters_size)


@dataclass(slots=True)
class DexMethod:
    name: str
    desc: str  # JVM method descriptor, the same text as a DEX proto descriptor
    access: int
    code: DexCode | None


@dataclass(slots=True)
class DexClass:
    name: str  # descriptor
    access: int
    superclass: str | None
    interfaces: list[str]
    source_file: str | None
    fields: list[tuple[str, str, int]]  # (name, type descriptor, access)
    methods: list[DexMethod] = field(default_factory=list)


_FIELD = r"\[{0,255}(?:[BCDFIJSZ]|L[^;\[.()]+;)"
TYPE_DESC = re.compile(_FIELD)
METHOD_DESC = re.compile(rf"\((?:{_FIELD})*\)(?:V|{_FIELD})")


def valid_ref(ref: Ref) -> bool:
    """The descriptors in ``ref`` are well formed (a forged class can name anything)."""
    kind, key = ref
    if kind == "string":
        return True
    if kind == "type":
        return TYPE_DESC.fullmatch(key) is not None  # type: ignore[arg-type]
    owner, _name, desc = key  # type: ignore[misc]
    pattern = METHOD_DESC if kind == "method" else TYPE_DESC
    return TYPE_DESC.fullmatch(owner) is not None and pattern.fullmatch(desc) is not None


@lru_cache(maxsize=65536)
def parse_desc(desc: str) -> tuple[list[str], str]:
    """``(I[Ljava/lang/String;)V`` → (["I", "[Ljava/lang/String;"], "V"); ValueError when
    the text is no method descriptor."""
    if METHOD_DESC.fullmatch(desc) is None:
        raise ValueError(f"malformed method descriptor {desc[:80]!r}")
    params: list[str] = []
    i, end = 1, desc.find(")")
    while i < end:
        j = i
        while desc[j] == "[":
            j += 1
        j = desc.index(";", j) + 1 if desc[j] == "L" else j + 1
        params.append(desc[i:j])
        i = j
    return params, desc[end + 1 :]


def _shorty(params: list[str], ret: str) -> str:
    return "".join("L" if t[0] in "L[" else t[0] for t in [ret, *params])


def mutf8(text: str) -> bytes:
    """Modified UTF-8 (NUL as C0 80, supplementary characters as surrogate pairs)."""
    out = bytearray()
    for ch in text:
        c = ord(ch)
        units = [c] if c < 0x10000 else [0xD800 + ((c - 0x10000) >> 10), 0xDC00 + (c & 0x3FF)]
        for u in units:
            if 0 < u < 0x80:
                out.append(u)
            elif u < 0x800:
                out += bytes((0xC0 | (u >> 6), 0x80 | (u & 0x3F)))
            else:
                out += bytes((0xE0 | (u >> 12), 0x80 | ((u >> 6) & 0x3F), 0x80 | (u & 0x3F)))
    return bytes(out)


def _utf16_len(text: str) -> int:
    return sum(2 if ord(c) >= 0x10000 else 1 for c in text)


def _sleb(v: int) -> bytes:
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if (v == 0 and not b & 0x40) or (v == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


class _Pools:
    """Every string, type, proto, field and method the classes name, then sorted."""

    def __init__(self) -> None:
        self.strings: set[str] = set()
        self.types: set[str] = set()
        self.protos: set[tuple[str, tuple[str, ...]]] = set()  # (return, params)
        self.fields: set[tuple[str, str, str]] = set()  # (class, name, type)
        self.methods: set[tuple[str, str, str]] = set()  # (class, name, desc)

    def type(self, desc: str) -> None:
        self.types.add(desc)
        self.strings.add(desc)

    def field(self, key: tuple[str, str, str]) -> None:
        self.fields.add(key)
        self.type(key[0])
        self.type(key[2])
        self.strings.add(key[1])

    def method(self, key: tuple[str, str, str]) -> None:
        self.methods.add(key)
        self.type(key[0])
        self.strings.add(key[1])
        params, ret = parse_desc(key[2])
        self.protos.add((ret, tuple(params)))
        self.strings.add(_shorty(params, ret))
        for t in (ret, *params):
            self.type(t)

    def ref(self, r: Ref) -> None:
        kind, key = r
        if kind == "string":
            self.strings.add(key)  # type: ignore[arg-type]
        elif kind == "type":
            self.type(key)  # type: ignore[arg-type]
        elif kind == "field":
            self.field(key)  # type: ignore[arg-type]
        else:
            self.method(key)  # type: ignore[arg-type]

    def freeze(self) -> None:
        self.string_list = sorted(
            self.strings, key=lambda s: s.encode("utf-16-be", "surrogatepass")
        )
        self.string_idx = {s: i for i, s in enumerate(self.string_list)}
        self.type_list = sorted(self.types, key=self.string_idx.__getitem__)
        self.type_idx = {t: i for i, t in enumerate(self.type_list)}
        ti = self.type_idx
        self.proto_list = sorted(self.protos, key=lambda p: (ti[p[0]], [ti[t] for t in p[1]]))
        self.proto_idx = {p: i for i, p in enumerate(self.proto_list)}
        si = self.string_idx
        self.field_list = sorted(self.fields, key=lambda f: (ti[f[0]], si[f[1]], ti[f[2]]))
        self.field_idx = {f: i for i, f in enumerate(self.field_list)}

        def mkey(m: tuple[str, str, str]) -> tuple[int, int, int]:
            params, ret = parse_desc(m[2])
            return ti[m[0]], si[m[1]], self.proto_idx[(ret, tuple(params))]

        self.method_list = sorted(self.methods, key=mkey)
        self.method_idx = {m: i for i, m in enumerate(self.method_list)}

    def index(self, r: Ref) -> int:
        kind, key = r
        table = {
            "string": self.string_idx,
            "type": self.type_idx,
            "field": self.field_idx,
            "method": self.method_idx,
        }[kind]
        return table[key]  # type: ignore[index]


def count_ids(classes: list[DexClass]) -> _Pools:
    """The pools these classes need (to split a big JAR over several DEX files)."""
    pools = _Pools()
    for c in classes:
        _collect(pools, c)
    return pools


def _collect(p: _Pools, c: DexClass) -> None:
    p.type(c.name)
    if c.superclass:
        p.type(c.superclass)
    for t in c.interfaces:
        p.type(t)
    if c.source_file is not None:
        p.strings.add(c.source_file)
    for name, desc, _ in c.fields:
        p.field((c.name, name, desc))
    for m in c.methods:
        p.method((c.name, m.name, m.desc))
        if m.code is None:
            continue
        for u in m.code.units:
            if not isinstance(u, int):
                p.ref(u)
        for _, _, hs in m.code.tries:
            for t, _ in hs:
                if t is not None:
                    p.type(t)


def build_dex(
    classes: list[DexClass], pools: _Pools | None = None
) -> tuple[bytes, dict[tuple[str, str, str], int]]:
    """The DEX file holding ``classes`` (their id counts must fit, see :data:`MAX_IDS`),
    and the method_id of each (class, name, descriptor). ``pools``: already collected."""
    p = pools or count_ids(classes)
    p.freeze()
    n_str, n_type, n_proto = len(p.string_list), len(p.type_list), len(p.proto_list)
    n_field, n_method, n_class = len(p.field_list), len(p.method_list), len(classes)
    off = 0x70
    string_ids_off = off
    off += 4 * n_str
    type_ids_off = off
    off += 4 * n_type
    proto_ids_off = off
    off += 12 * n_proto
    field_ids_off = off
    off += 8 * n_field
    method_ids_off = off
    off += 8 * n_method
    class_defs_off = off
    off += 32 * n_class
    data_off = off

    data = bytearray()
    sections: list[tuple[int, int, int]] = []  # (map type, count, offset)

    def here() -> int:
        return data_off + len(data)

    def align4() -> None:
        data.extend(b"\0" * (-len(data) % 4))

    # code items (4-aligned), each with its debug info right after the code block list
    code_off: dict[tuple[int, int], int] = {}
    debug_blobs: list[tuple[tuple[int, int], bytes]] = []
    first_code, n_code = here(), 0
    for ci, c in enumerate(classes):
        for mi, m in enumerate(c.methods):
            if m.code is None:
                continue
            align4()
            code_off[(ci, mi)] = here()
            n_code += 1
            data.extend(_code_item(m.code, p))
            debug_blobs.append(((ci, mi), _debug_info(m.code)))
    if n_code:
        sections.append((0x2001, n_code, first_code))
    # debug info (patched into the code items' debug_info_off)
    first_debug = here()
    for key, blob in debug_blobs:
        struct.pack_into("<I", data, code_off[key] - data_off + 8, here())
        data.extend(blob)
    if debug_blobs:
        sections.append((0x2003, len(debug_blobs), first_debug))
    # type lists: proto parameters and class interfaces
    align4()
    list_off: dict[tuple[str, ...], int] = {}
    first_list = here()
    wanted = [params for _, params in p.proto_list if params]
    wanted += [tuple(c.interfaces) for c in classes if c.interfaces]
    for tl in wanted:
        if tl in list_off:
            continue
        align4()
        list_off[tl] = here()
        data.extend(struct.pack("<I", len(tl)))
        data.extend(struct.pack(f"<{len(tl)}H", *(p.type_idx[t] for t in tl)))
    if list_off:
        sections.append((0x1001, len(list_off), first_list))
    # string data
    string_data: list[int] = []
    first_string = here()
    for s in p.string_list:
        string_data.append(here())
        data.extend(encode_uleb128(_utf16_len(s)) + mutf8(s) + b"\0")
    if n_str:
        sections.append((0x2002, n_str, first_string))
    # class data
    class_data: list[int] = []
    first_cd = here()
    for ci, c in enumerate(classes):
        class_data.append(here())
        data.extend(_class_data(ci, c, p, code_off))
    if n_class:
        sections.append((0x2000, n_class, first_cd))
    align4()
    map_off = here()
    head = [
        (0x0000, 1, 0),
        (0x0001, n_str, string_ids_off),
        (0x0002, n_type, type_ids_off),
        (0x0003, n_proto, proto_ids_off),
        (0x0004, n_field, field_ids_off),
        (0x0005, n_method, method_ids_off),
        (0x0006, n_class, class_defs_off),
    ]
    items = [h for h in head if h[1]] + sections + [(0x1000, 1, map_off)]
    data.extend(struct.pack("<I", len(items)))
    for kind, count, at in items:
        data.extend(struct.pack("<HHII", kind, 0, count, at))

    ids = bytearray()
    ids += struct.pack(f"<{n_str}I", *string_data)
    ids += struct.pack(f"<{n_type}I", *(p.string_idx[t] for t in p.type_list))
    for ret, params in p.proto_list:
        shorty = p.string_idx[_shorty(list(params), ret)]
        ids += struct.pack("<III", shorty, p.type_idx[ret], list_off[params] if params else 0)
    for cls, name, typ in p.field_list:
        ids += struct.pack("<HHI", p.type_idx[cls], p.type_idx[typ], p.string_idx[name])
    for cls, name, desc in p.method_list:
        params, ret = parse_desc(desc)
        proto = p.proto_idx[(ret, tuple(params))]
        ids += struct.pack("<HHI", p.type_idx[cls], proto, p.string_idx[name])
    for ci, c in enumerate(classes):
        ids += struct.pack(
            "<8I",
            p.type_idx[c.name],
            c.access & 0xFFFF,
            p.type_idx[c.superclass] if c.superclass else NO_INDEX,
            list_off[tuple(c.interfaces)] if c.interfaces else 0,
            p.string_idx[c.source_file] if c.source_file is not None else NO_INDEX,
            0,
            class_data[ci],
            0,
        )
    assert 0x70 + len(ids) == data_off
    file_size = data_off + len(data)
    header = bytearray(0x70)
    header[0:8] = b"dex\n035\0"
    struct.pack_into(
        "<20I",
        header,
        32,
        file_size,
        0x70,
        0x12345678,
        0,
        0,
        map_off,
        n_str,
        string_ids_off if n_str else 0,
        n_type,
        type_ids_off if n_type else 0,
        n_proto,
        proto_ids_off if n_proto else 0,
        n_field,
        field_ids_off if n_field else 0,
        n_method,
        method_ids_off if n_method else 0,
        n_class,
        class_defs_off if n_class else 0,
        len(data),
        data_off,
    )
    out = header + ids + data
    out[12:32] = hashlib.sha1(out[32:]).digest()
    struct.pack_into("<I", out, 8, zlib.adler32(out[12:]))
    return bytes(out), p.method_idx


def _code_item(code: DexCode, p: _Pools) -> bytes:
    units = [u if isinstance(u, int) else p.index(u) for u in code.units]
    out = bytearray(
        struct.pack("<HHHHII", code.registers, code.ins, code.outs, len(code.tries), 0, len(units))
    )
    out += struct.pack(f"<{len(units)}H", *units)
    if not code.tries:
        return bytes(out)
    if len(units) % 2:
        out += b"\0\0"
    lists = bytearray(encode_uleb128(len(code.tries)))
    entries = []
    for start, count, handlers in code.tries:
        entries.append((start, count, len(lists)))
        typed = [(t, a) for t, a in handlers if t is not None]
        catch_all = next((a for t, a in handlers if t is None), None)
        lists += _sleb(-len(typed) if catch_all is not None else len(typed))
        for t, a in typed:
            lists += encode_uleb128(p.type_idx[t]) + encode_uleb128(a)
        if catch_all is not None:
            lists += encode_uleb128(catch_all)
    for start, count, h_off in entries:
        out += struct.pack("<IHH", start, count, h_off)
    return bytes(out + lists)


def _debug_info(code: DexCode) -> bytes:
    """Line numbers only: DBG_ADVANCE_PC / DBG_ADVANCE_LINE, then a special opcode that
    emits the position without moving (adjusted opcode 4: line += -4 + 4, address += 0)."""
    first = code.lines[0][1] if code.lines else 1
    out = bytearray(
        encode_uleb128(max(first, 0)) + encode_uleb128(code.params) + b"\0" * code.params
    )
    addr, line = 0, max(first, 0)
    for pc, ln in code.lines:
        if pc > addr:
            out += b"\x01" + encode_uleb128(pc - addr)
            addr = pc
        if ln != line:
            out += b"\x02" + _sleb(ln - line)
            line = ln
        out.append(0x0A + 4)
    out.append(0)
    return bytes(out)


def _class_data(ci: int, c: DexClass, p: _Pools, code_off: dict[tuple[int, int], int]) -> bytes:
    statics = sorted((p.field_idx[(c.name, n, d)], a) for n, d, a in c.fields if a & ACC_STATIC)
    instance = sorted(
        (p.field_idx[(c.name, n, d)], a) for n, d, a in c.fields if not a & ACC_STATIC
    )
    direct, virtual = [], []
    for mi, m in enumerate(c.methods):
        idx = p.method_idx[(c.name, m.name, m.desc)]
        ctor = m.name in ("<init>", "<clinit>")
        access = (m.access & 0xFFFF) | (ACC_CONSTRUCTOR if ctor else 0)
        row = (idx, access, code_off.get((ci, mi), 0))
        (direct if ctor or m.access & (ACC_STATIC | ACC_PRIVATE) else virtual).append(row)
    direct.sort()
    virtual.sort()
    out = bytearray()
    for n in (len(statics), len(instance), len(direct), len(virtual)):
        out += encode_uleb128(n)
    for group in (statics, instance):
        prev = 0
        for idx, access in group:
            out += encode_uleb128(idx - prev) + encode_uleb128(access)
            prev = idx
    for group in (direct, virtual):
        prev = 0
        for idx, access, offset in group:
            out += encode_uleb128(idx - prev) + encode_uleb128(access) + encode_uleb128(offset)
            prev = idx
    return bytes(out)
