"""``resources.arsc``: the compiled resource table, so manifest references can be resolved.

The manifest rarely says things plainly: the label is ``@string/app_name``, the network
security config is ``@xml/network_security_config`` and ``android:debuggable`` may be
``@bool/debug``. This module reads the table well enough to answer those questions for
every configuration, including the newer encodings (sparse types, 16-bit offsets,
compact entries) and shared-library (package id 0x00) references.

Values are decoded eagerly: a real table has tens of thousands of entries at most, and the
work is bounded by the file size because every entry occupies at least 8 bytes of it.
Strings are decoded lazily through :class:`mobsec.ingest.axml.StringPool`.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

from mobsec.diagnostics import Diagnostics, FormatError
from mobsec.ingest.axml import (
    ANDROID_ATTR_NAMES,
    REFERENCE_TYPES,
    RES_STRING_POOL_TYPE,
    RES_TABLE_TYPE,
    TYPE_INT_BOOLEAN,
    TYPE_STRING,
    StringPool,
    format_value,
)
from mobsec.limits import DEFAULT_LIMITS

RES_TABLE_PACKAGE_TYPE = 0x0200
RES_TABLE_TYPE_TYPE = 0x0201
RES_TABLE_TYPE_SPEC_TYPE = 0x0202
RES_TABLE_LIBRARY_TYPE = 0x0203

FLAG_COMPLEX = 0x0001
FLAG_COMPACT = 0x0008
TYPE_FLAG_SPARSE = 0x01
TYPE_FLAG_OFFSET16 = 0x02

MAX_PACKAGES = 256
MAX_CHUNKS = 1_000_000
MAX_BAG_ITEMS = 10_000

_CHUNK = struct.Struct("<HHI")
_U32 = struct.Struct("<I")
_VALUE = struct.Struct("<HBBI")  # size, res0, dataType, data
_ENTRY = struct.Struct("<HHI")  # size, flags, key
_TYPE_HEADER = struct.Struct("<BBHII")  # id, flags, reserved, entryCount, entriesStart


@dataclass(slots=True)
class ResourceValue:
    """One value of one resource in one configuration.

    ``string`` is set for string values; ``bag`` for complex entries (styles, arrays,
    plurals) as ``(attribute id, value)`` pairs with ``parent`` the parent style id.
    """

    value_type: int
    data: int
    string: str | None = None
    bag: list[tuple[int, ResourceValue]] | None = None
    parent: int = 0
    # Strings are decoded on first use: most of a table's strings are never asked for.
    pool: StringPool | None = field(default=None, repr=False, compare=False)

    def value(self) -> str | int | bool | float | None:
        if self.bag is not None:
            return None
        if self.value_type == TYPE_STRING:
            if self.string is None and self.pool is not None:
                self.string = self.pool.get(self.data)
            return self.string
        return format_value(self.value_type, self.data)

    def is_reference(self) -> bool:
        return self.bag is None and self.value_type in REFERENCE_TYPES

    def is_bool(self) -> bool:
        return self.value_type == TYPE_INT_BOOLEAN


@dataclass(slots=True)
class _Package:
    id: int
    name: str
    type_names: StringPool | None
    key_names: StringPool | None
    # entries[(type_id, entry_index)] -> list of (config string, key index, value)
    entries: dict[tuple[int, int], list[tuple[str, int, ResourceValue]]] = field(
        default_factory=dict
    )


class _MergedNames:
    """A package's type or key names plus names brought in by a merged table.

    The base pool stays as parsed (decoded lazily); a name another table needs that the
    base may lack is kept apart, under an index past anything a pool can hold.
    """

    EXTRA = 1 << 24

    def __init__(self, base: Any) -> None:
        self.base = base
        self.extra: dict[int, str] = {}

    def get(self, index: int) -> str | None:
        name = self.extra.get(index)
        if name is not None or index >= self.EXTRA or self.base is None:
            return name
        return self.base.get(index)

    def add(self, name: str) -> int:
        index = self.EXTRA + len(self.extra)
        self.extra[index] = name
        return index


class ResourceTable:
    """Query interface over a parsed ``resources.arsc``."""

    def __init__(self) -> None:
        self.packages: dict[int, _Package] = {}
        self.libraries: dict[int, str] = {}  # dynamic package id -> package name
        self._by_name: dict[tuple[str, str, str], int] | None = None

    # -- lookups -------------------------------------------------------------------------

    def _main_package_id(self) -> int | None:
        if 0x7F in self.packages:
            return 0x7F
        return next(iter(self.packages), None)

    def _entries(self, res_id: int) -> list[tuple[str, int, ResourceValue]]:
        pkg_id = res_id >> 24
        if pkg_id == 0:  # shared-library build: 0x00 means "this package, whatever its id"
            main = self._main_package_id()
            if main is None:
                return []
            pkg_id = main
        pkg = self.packages.get(pkg_id)
        if pkg is None:
            return []
        return pkg.entries.get((((res_id >> 16) & 0xFF), res_id & 0xFFFF), [])

    def values(self, res_id: int) -> list[tuple[str, ResourceValue]]:
        """Every configuration's value of ``res_id``: ``("", v)`` is the default config."""
        return [(config, value) for config, _key, value in self._entries(res_id)]

    def _default(self, res_id: int) -> ResourceValue | None:
        entries = self._entries(res_id)
        for config, _key, value in entries:
            if config == "":
                return value
        # No default: Android would pick by device config; take the first as aapt does.
        return entries[0][2] if entries else None

    def resolve(self, res_id: int, depth_limit: int = 8) -> ResourceValue | None:
        """Default-config value of ``res_id``, following references at most ``depth_limit``
        times (a reference cycle ends there and gives ``None``)."""
        current = res_id
        for _ in range(max(0, depth_limit) + 1):
            value = self._default(current)
            if value is None or not value.is_reference():
                return value
            if value.data == 0 or value.data == current:
                return None
            current = value.data
        return None

    def name_of(self, res_id: int) -> str | None:
        """``@type/name`` for this table's ids, ``@android:attr/name`` for framework attrs."""
        if res_id >> 24 == 0x01:
            attr = ANDROID_ATTR_NAMES.get(res_id)
            return f"@android:attr/{attr}" if attr else None
        entries = self._entries(res_id)
        pkg = self.packages.get(res_id >> 24) or self.packages.get(self._main_package_id() or -1)
        if not entries or pkg is None or pkg.type_names is None or pkg.key_names is None:
            return None
        type_name = pkg.type_names.get(((res_id >> 16) & 0xFF) - 1)
        key_name = pkg.key_names.get(entries[0][1])
        if type_name is None or key_name is None:
            return None
        return f"@{type_name}/{key_name}"

    def find(self, type_name: str, entry_name: str, package: str | None = None) -> int | None:
        """Resource id by name (``find("string", "app_name")``), or ``None``."""
        if self._by_name is None:
            self._by_name = {}
            for pkg in self.packages.values():
                if pkg.type_names is None or pkg.key_names is None:
                    continue
                for (type_id, index), entries in pkg.entries.items():
                    t = pkg.type_names.get(type_id - 1)
                    k = pkg.key_names.get(entries[0][1]) if entries else None
                    if t is not None and k is not None:
                        res_id = (pkg.id << 24) | (type_id << 16) | index
                        self._by_name.setdefault((pkg.name, t, k), res_id)
        if package is not None:
            return self._by_name.get((package, type_name, entry_name))
        for (_pkg, t, k), res_id in self._by_name.items():
            if t == type_name and k == entry_name:
                return res_id
        return None

    def merge(self, other: ResourceTable) -> int:
        """Add the values of another part of the same app (a config or feature split's table)
        to this one, as Android overlays a split's resources on the base's; returns how many
        values were added. A value this table has for the same id and configuration wins.
        Split tables index type and key names in their own pools: names are carried over."""
        added = 0
        for pkg_id, theirs in other.packages.items():
            mine = self.packages.get(pkg_id)
            if mine is None:  # a feature split's own package
                self.packages[pkg_id] = theirs
                added += sum(len(v) for v in theirs.entries.values())
                continue
            if not isinstance(mine.key_names, _MergedNames):
                mine.key_names = _MergedNames(mine.key_names)  # type: ignore[assignment]
                mine.type_names = _MergedNames(mine.type_names)  # type: ignore[assignment]
            keys, types = mine.key_names, mine.type_names
            for (type_id, index), values in theirs.entries.items():
                have = mine.entries.setdefault((type_id, index), [])
                configs = {c for c, _k, _v in have}
                for config, key, value in values:
                    if config in configs:
                        continue
                    if have:
                        key = have[0][1]  # same resource, same name: the base's index
                    else:
                        name = theirs.key_names.get(key) if theirs.key_names else None
                        key = keys.add(name) if name is not None else -1  # type: ignore[union-attr]
                    if types.get(type_id - 1) is None and theirs.type_names is not None:  # type: ignore[union-attr]
                        tname = theirs.type_names.get(type_id - 1)
                        if tname is not None:
                            types.extra[type_id - 1] = tname  # type: ignore[union-attr]
                    have.append((config, key, value))
                    configs.add(config)
                    added += 1
        self._by_name = None
        return added

    def entry_count(self) -> int:
        """Number of (resource, configuration) values, as ``aapt dump resources`` lists them."""
        return sum(len(v) for p in self.packages.values() for v in p.entries.values())

    def resource_ids(self) -> list[int]:
        return sorted(
            (p.id << 24) | (t << 16) | e for p in self.packages.values() for (t, e) in p.entries
        )


def parse_arsc(data: bytes, file: str, diags: Diagnostics) -> ResourceTable | None:
    """Parse a resource table; problems become diagnostics, unusable input gives ``None``."""
    if len(data) > DEFAULT_LIMITS.max_xml_size:
        diags.error(
            "arsc.too_large",
            file,
            f"resource table of {len(data)} bytes exceeds the limit",
            f"资源表大小 {len(data)} 字节超出限制",
        )
        return None
    try:
        return _TableReader(data, file, diags).read()
    except FormatError as exc:
        diags.error(exc.code, file, exc.en, exc.zh, **exc.detail)
        return None
    except struct.error as exc:  # a bounds check we missed: still a format problem
        diags.error(
            "arsc.truncated",
            file,
            f"resource table is truncated ({exc})",
            "资源表被截断",
        )
        return None


class _TableReader:
    def __init__(self, data: bytes, file: str, diags: Diagnostics) -> None:
        self.data = data
        self.file = file
        self.diags = diags
        self.globals: StringPool | None = None
        self.table = ResourceTable()
        self.bad_entries = 0
        self.chunks = 0

    def read(self) -> ResourceTable:
        data = self.data
        if len(data) < 12:
            raise FormatError("resource table is truncated", "资源表被截断", code="arsc.truncated")
        ctype, hsize, size = _CHUNK.unpack_from(data, 0)
        if ctype != RES_TABLE_TYPE:
            raise FormatError(
                f"not a resource table (chunk type 0x{ctype:04x})",
                f"不是资源表（数据块类型 0x{ctype:04x}）",
                code="arsc.bad_magic",
            )
        end = len(data)
        if size != len(data):
            self.diags.warning(
                "arsc.size_mismatch",
                self.file,
                f"header says {size} bytes but the file has {len(data)}",
                f"文件头声明 {size} 字节，实际为 {len(data)} 字节",
            )
            if 12 <= size < end:
                end = size
        pos = hsize if 12 <= hsize <= end else 12
        for ctype, cpos, csize, chsize in self._chunks(pos, end):
            if ctype == RES_STRING_POOL_TYPE and self.globals is None:
                self.globals = StringPool(data, cpos, csize)
            elif ctype == RES_TABLE_PACKAGE_TYPE:
                if len(self.table.packages) >= MAX_PACKAGES:
                    break
                self._package(cpos, csize, chsize)
        if self.bad_entries:
            self.diags.warning(
                "arsc.bad_entries",
                self.file,
                f"{self.bad_entries} resource entries were malformed and skipped",
                f"{self.bad_entries} 个资源条目格式错误，已跳过",
                count=self.bad_entries,
            )
        return self.table

    def _chunks(self, pos: int, end: int):
        """Chunks in ``[pos, end)``: (type, offset, size, header size); stops at a bad one."""
        data = self.data
        while pos + 8 <= end:
            self.chunks += 1
            if self.chunks > MAX_CHUNKS:
                return
            ctype, hsize, size = _CHUNK.unpack_from(data, pos)
            if size < 8 or hsize < 8 or hsize > size or pos + size > end:
                self.diags.warning(
                    "arsc.bad_chunk",
                    self.file,
                    f"chunk at offset {pos} has an impossible size; reading stopped there",
                    f"偏移 {pos} 处的数据块大小不合法，解析在此处停止",
                    offset=pos,
                )
                return
            yield ctype, pos, size, hsize
            pos += size

    def _package(self, pos: int, size: int, hsize: int) -> None:
        data = self.data
        if hsize < 284 or size < 284:
            self.bad_entries += 1
            return
        (pkg_id,) = _U32.unpack_from(data, pos + 8)
        raw_name = data[pos + 12 : pos + 12 + 256].decode("utf-16-le", errors="replace")
        name = raw_name.split("\x00", 1)[0]
        type_off, _last_type, key_off, _last_key = struct.unpack_from("<IIII", data, pos + 268)
        pkg = _Package(pkg_id & 0xFF, name, None, None)
        end = pos + size
        for ctype, cpos, csize, chsize in self._chunks(pos + hsize, end):
            rel = cpos - pos
            if ctype == RES_STRING_POOL_TYPE:
                pool = StringPool(data, cpos, csize)
                if rel == type_off or (pkg.type_names is None and rel != key_off):
                    pkg.type_names = pool
                else:
                    pkg.key_names = pool
            elif ctype == RES_TABLE_TYPE_TYPE:
                self._type(pkg, cpos, csize, chsize)
            elif ctype == RES_TABLE_LIBRARY_TYPE:
                self._library(cpos, csize, chsize)
        # A package id seen twice (split packages) merges into the first.
        existing = self.table.packages.get(pkg.id)
        if existing is None:
            self.table.packages[pkg.id] = pkg
        else:
            for k, v in pkg.entries.items():
                existing.entries.setdefault(k, []).extend(v)

    def _library(self, pos: int, size: int, hsize: int) -> None:
        data = self.data
        if size < hsize or hsize < 12:
            return
        (count,) = _U32.unpack_from(data, pos + 8)
        count = min(count, (size - hsize) // 260)
        for i in range(count):
            at = pos + hsize + i * 260
            (lib_id,) = _U32.unpack_from(data, at)
            name = data[at + 4 : at + 260].decode("utf-16-le", errors="replace").split("\x00")[0]
            self.table.libraries[lib_id & 0xFF] = name

    def _type(self, pkg: _Package, pos: int, size: int, hsize: int) -> None:
        data = self.data
        if hsize < 20 + 4 or size < hsize:
            self.bad_entries += 1
            return
        type_id, flags, _res, count, entries_start = _TYPE_HEADER.unpack_from(data, pos + 8)
        if type_id == 0:
            self.bad_entries += 1
            return
        config = _config_string(data, pos + 20, hsize - 20)
        end = pos + size
        entries_base = pos + entries_start
        if not pos + hsize <= entries_base <= end:
            self.bad_entries += 1
            return
        index_pos = pos + hsize
        if flags & TYPE_FLAG_SPARSE:
            count = min(count, (entries_base - index_pos) // 4)
            pairs = struct.unpack_from(f"<{2 * count}H", data, index_pos)
            offsets = [(pairs[2 * i], pairs[2 * i + 1] * 4) for i in range(count)]
        elif flags & TYPE_FLAG_OFFSET16:
            count = min(count, (entries_base - index_pos) // 2)
            raw16 = struct.unpack_from(f"<{count}H", data, index_pos)
            offsets = [(i, o * 4) for i, o in enumerate(raw16) if o != 0xFFFF]
        else:
            count = min(count, (entries_base - index_pos) // 4)
            raw32 = struct.unpack_from(f"<{count}I", data, index_pos)
            offsets = [(i, o) for i, o in enumerate(raw32) if o != 0xFFFFFFFF]
        for index, off in offsets:
            at = entries_base + off
            entry = self._entry(at, end)
            if entry is None:
                self.bad_entries += 1
                continue
            key, value = entry
            pkg.entries.setdefault((type_id, index), []).append((config, key, value))

    def _entry(self, at: int, end: int) -> tuple[int, ResourceValue] | None:
        data = self.data
        if at + 8 > end:
            return None
        esize, eflags, key = _ENTRY.unpack_from(data, at)
        if eflags & FLAG_COMPACT:
            # Compact entry (Android 14+): key index in the size field, type in flags' top byte.
            return esize, self._value(eflags >> 8, key)
        if esize < 8 or at + esize > end:
            return None
        if eflags & FLAG_COMPLEX:
            if esize < 16:
                return None
            parent, count = struct.unpack_from("<II", data, at + 8)
            items_at = at + esize
            count = min(count, MAX_BAG_ITEMS, max(0, (end - items_at) // 12))
            bag: list[tuple[int, ResourceValue]] = []
            for i in range(count):
                (attr,) = _U32.unpack_from(data, items_at + 12 * i)
                _vs, _r0, vtype, vdata = _VALUE.unpack_from(data, items_at + 12 * i + 4)
                bag.append((attr, self._value(vtype, vdata)))
            return key, ResourceValue(0, 0, None, bag, parent)
        if at + esize + 8 > end:
            return None
        _vs, _r0, vtype, vdata = _VALUE.unpack_from(data, at + esize)
        return key, self._value(vtype, vdata)

    def _value(self, vtype: int, vdata: int) -> ResourceValue:
        if vtype == TYPE_STRING:
            return ResourceValue(vtype, vdata, None, pool=self.globals)
        return ResourceValue(vtype, vdata)


_DENSITIES = {
    120: "ldpi",
    160: "mdpi",
    213: "tvdpi",
    240: "hdpi",
    320: "xhdpi",
    480: "xxhdpi",
    640: "xxxhdpi",
    0xFFFE: "anydpi",
    0xFFFF: "nodpi",
}


def _config_string(data: bytes, pos: int, size: int) -> str:
    """Qualifier string of a ResTable_config (``""`` for the default configuration).

    Covers the qualifiers that matter for reading manifests and strings: mcc/mnc, locale,
    layout direction, smallest/avail width and height, orientation, night mode, density,
    and platform version. Others are shown as ``cfg-<hex>`` so distinct configs stay apart.
    """
    if size < 8:
        return ""
    blob = data[pos : pos + min(size, 64)].ljust(64, b"\x00")
    (csize, mcc, mnc) = struct.unpack_from("<IHH", blob, 0)
    lang, country = blob[8:10], blob[10:12]
    orientation, _touch, density = struct.unpack_from("<BBH", blob, 12)
    _kbd, _nav, _input, _pad = struct.unpack_from("<BBBB", blob, 16)
    _sw, _sh, sdk, _minor = struct.unpack_from("<HHHH", blob, 20)
    screen_layout, ui_mode, smallest_w = struct.unpack_from("<BBH", blob, 28)
    w_dp, h_dp = struct.unpack_from("<HH", blob, 32)
    parts: list[str] = []
    if mcc:
        parts.append(f"mcc{mcc:03d}")
    if mnc:
        parts.append(f"mnc{mnc:02d}" if mnc != 0xFFFF else "mnc00")
    if lang != b"\x00\x00":
        parts.append(_locale_part(lang, lower=True))
        if country != b"\x00\x00":
            parts.append("r" + _locale_part(country, lower=False))
    layout_dir = screen_layout & 0xC0
    if layout_dir == 0x40:
        parts.append("ldltr")
    elif layout_dir == 0x80:
        parts.append("ldrtl")
    if smallest_w:
        parts.append(f"sw{smallest_w}dp")
    if w_dp:
        parts.append(f"w{w_dp}dp")
    if h_dp:
        parts.append(f"h{h_dp}dp")
    if orientation in (1, 2, 3):
        parts.append(("port", "land", "square")[orientation - 1])
    night = ui_mode & 0x30
    if night == 0x20:
        parts.append("night")
    elif night == 0x10:
        parts.append("notnight")
    if density:
        parts.append(_DENSITIES.get(density, f"{density}dpi"))
    if sdk:
        parts.append(f"v{sdk}")
    text = "-".join(parts)
    if not text:
        rest = blob[4 : min(csize, 64)] if csize >= 4 else b""
        if any(rest):
            text = "cfg-" + rest.rstrip(b"\x00").hex()
    return text


def _locale_part(two: bytes, lower: bool) -> str:
    if two[0] & 0x80:
        # Packed 3-letter code (ISO 639-2): three 5-bit letters.
        first, second = two[0], two[1]
        base = ord("a") if lower else ord("A")
        c1 = second & 0x1F
        c2 = ((second & 0xE0) >> 5) | ((first & 0x03) << 3)
        c3 = (first & 0x7C) >> 2
        return "".join(chr(base + c) for c in (c1, c2, c3))
    return two.decode("latin-1").rstrip("\x00")
