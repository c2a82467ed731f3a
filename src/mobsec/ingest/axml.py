"""Android binary XML (AXML): the compiled form of ``AndroidManifest.xml`` and ``res/xml/*``.

We read it the way Android's own ``ResXMLTree`` does, not the way most Python tools do,
because malware and packers exploit the difference:

* attribute names come from the **resource-ID map** first (Android's ``PackageParser``
  only ever matches attributes by id, so a packer may blank or rename the name strings);
  an ``android:`` attribute *without* an id is ignored by Android and we say so;
* chunk sizes are checked against the buffer and unknown/junk chunks are skipped by size;
* string-pool offsets, indexes and lengths are bounds-checked; a bad string becomes
  ``None`` plus one diagnostic, never an exception;
* unclosed or mismatched tags are tolerated (Android does not match end tags by name).

Every loop is bounded by the data size or by :class:`~mobsec.limits.Limits`: elements,
depth, attributes per element and attributes in all are counted *while* parsing (binary and
plain-text XML alike), and reading stops at the first limit, keeping what was read. The
string pool reader here is shared with :mod:`mobsec.ingest.arsc`.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.parsers import expat

from mobsec.diagnostics import Diagnostics, FormatError
from mobsec.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from mobsec.ingest.arsc import ResourceTable

ANDROID_NS = "http://schemas.android.com/apk/res/android"

# Chunk types (frameworks/base/libs/androidfw/include/androidfw/ResourceTypes.h).
RES_STRING_POOL_TYPE = 0x0001
RES_TABLE_TYPE = 0x0002
RES_XML_TYPE = 0x0003
RES_XML_START_NAMESPACE_TYPE = 0x0100
RES_XML_END_NAMESPACE_TYPE = 0x0101
RES_XML_START_ELEMENT_TYPE = 0x0102
RES_XML_END_ELEMENT_TYPE = 0x0103
RES_XML_CDATA_TYPE = 0x0104
RES_XML_FIRST_CHUNK_TYPE = 0x0100
RES_XML_LAST_CHUNK_TYPE = 0x017F
RES_XML_RESOURCE_MAP_TYPE = 0x0180

# Res_value data types.
TYPE_NULL = 0x00
TYPE_REFERENCE = 0x01
TYPE_ATTRIBUTE = 0x02
TYPE_STRING = 0x03
TYPE_FLOAT = 0x04
TYPE_DIMENSION = 0x05
TYPE_FRACTION = 0x06
TYPE_DYNAMIC_REFERENCE = 0x07
TYPE_DYNAMIC_ATTRIBUTE = 0x08
TYPE_INT_DEC = 0x10
TYPE_INT_HEX = 0x11
TYPE_INT_BOOLEAN = 0x12
TYPE_INT_COLOR_ARGB8 = 0x1C
TYPE_INT_COLOR_RGB8 = 0x1D
TYPE_INT_COLOR_ARGB4 = 0x1E
TYPE_INT_COLOR_RGB4 = 0x1F
REFERENCE_TYPES = frozenset({TYPE_REFERENCE, TYPE_DYNAMIC_REFERENCE})

NO_INDEX = 0xFFFFFFFF

# Bounds for hostile files (a real manifest has a few thousand elements at most).
MAX_ELEMENTS = DEFAULT_LIMITS.max_xml_elements
MAX_DEPTH = DEFAULT_LIMITS.max_xml_depth
MAX_TEXT_EXCERPT = 20_000

# android:attr ids -> names for the attributes that matter in manifests and res/xml files.
# Source: `aapt dump resources /usr/share/android-framework-res/framework-res.apk` (API 29)
# and AOSP core/res/res/values/public-final.xml for the five newer ids (API 30/31).
ANDROID_ATTR_NAMES: dict[int, str] = {
    0x01010000: "theme",
    0x01010001: "label",
    0x01010002: "icon",
    0x01010003: "name",
    0x01010004: "manageSpaceActivity",
    0x01010005: "allowClearUserData",
    0x01010006: "permission",
    0x01010007: "readPermission",
    0x01010008: "writePermission",
    0x01010009: "protectionLevel",
    0x0101000A: "permissionGroup",
    0x0101000B: "sharedUserId",
    0x0101000C: "hasCode",
    0x0101000D: "persistent",
    0x0101000E: "enabled",
    0x0101000F: "debuggable",
    0x01010010: "exported",
    0x01010011: "process",
    0x01010012: "taskAffinity",
    0x01010013: "multiprocess",
    0x01010014: "finishOnTaskLaunch",
    0x01010015: "clearTaskOnLaunch",
    0x01010016: "stateNotNeeded",
    0x01010017: "excludeFromRecents",
    0x01010018: "authorities",
    0x01010019: "syncable",
    0x0101001A: "initOrder",
    0x0101001B: "grantUriPermissions",
    0x0101001C: "priority",
    0x0101001D: "launchMode",
    0x0101001E: "screenOrientation",
    0x0101001F: "configChanges",
    0x01010020: "description",
    0x01010021: "targetPackage",
    0x01010022: "handleProfiling",
    0x01010023: "functionalTest",
    0x01010024: "value",
    0x01010025: "resource",
    0x01010026: "mimeType",
    0x01010027: "scheme",
    0x01010028: "host",
    0x01010029: "port",
    0x0101002A: "path",
    0x0101002B: "pathPrefix",
    0x0101002C: "pathPattern",
    0x0101002D: "action",
    0x0101002E: "data",
    0x0101002F: "targetClass",
    0x01010203: "alwaysRetainTaskState",
    0x01010204: "allowTaskReparenting",
    0x0101020C: "minSdkVersion",
    0x0101021B: "versionCode",
    0x0101021C: "versionName",
    0x0101022B: "windowSoftInputMode",
    0x0101022D: "noHistory",
    0x01010261: "sharedUserLabel",
    0x01010270: "targetSdkVersion",
    0x01010271: "maxSdkVersion",
    0x01010272: "testOnly",
    0x0101027F: "backupAgent",
    0x01010280: "allowBackup",
    0x01010281: "glEsVersion",
    0x0101028E: "required",
    0x0101029C: "killAfterRestore",
    0x010102B7: "installLocation",
    0x010102B8: "vmSafeMode",
    0x010102BA: "restoreAnyVersion",
    0x010102BE: "logo",
    0x010102D3: "hardwareAccelerated",
    0x0101035A: "largeHeap",
    0x0101036A: "stopWithTask",
    0x01010398: "uiOptions",
    0x010103A7: "parentActivityName",
    0x010103A9: "isolatedProcess",
    0x010103AF: "supportsRtl",
    0x010103BF: "singleUser",
    0x010103C7: "permissionFlags",
    0x010103E3: "ssp",
    0x010103E4: "sspPrefix",
    0x010103E5: "sspPattern",
    0x010103F2: "banner",
    0x010103F4: "isGame",
    0x010103F5: "allowEmbedded",
    0x01010445: "documentLaunchMode",
    0x01010473: "fullBackupOnly",
    0x010104EA: "extractNativeLibs",
    0x010104EB: "fullBackupContent",
    0x010104EC: "usesCleartextTraffic",
    0x010104ED: "lockTaskMode",
    0x010104EE: "autoVerify",
    0x010104F6: "resizeableActivity",
    0x01010504: "defaultToDeviceProtectedStorage",
    0x01010505: "directBootAware",
    0x0101050E: "externalService",
    0x01010527: "networkSecurityConfig",
    0x0101052C: "roundIcon",
    0x01010531: "visibleToInstantApps",
    0x0101054C: "targetSandboxVersion",
    0x01010554: "requiredFeature",
    0x01010555: "requiredNotFeature",
    0x0101055B: "isFeatureSplit",
    0x01010569: "showWhenLocked",
    0x0101056A: "turnScreenOn",
    0x01010572: "compileSdkVersion",
    0x01010573: "compileSdkVersionCodename",
    0x0101057A: "appComponentFactory",
    0x0101058E: "usesNonSdkApi",
    0x01010599: "foregroundServiceType",
    0x0101059A: "hasFragileUserData",
    0x0101059D: "zygotePreloadName",
    0x0101059E: "useEmbeddedDex",
    0x01010601: "allowAudioPlaybackCapture",
    0x01010603: "requestLegacyExternalStorage",
    0x01010608: "forceQueryable",
    0x01010612: "allowNativeHeapPointerTagging",
    0x01010614: "preserveLegacyExternalStorage",
    0x0101063E: "dataExtractionRules",
    0x01010645: "requestRawExternalStorageAccess",
}
ANDROID_ATTR_IDS: dict[str, int] = {v: k for k, v in ANDROID_ATTR_NAMES.items()}

_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")
_CHUNK = struct.Struct("<HHI")
_POOL_HEADER = struct.Struct("<IIIII")
_NODE = struct.Struct("<II")  # lineNumber, comment
_ELEMENT_EXT = struct.Struct("<IIHHHHHH")
_ATTR = struct.Struct("<IIIHBBI")  # ns, name, rawValue, size, res0, dataType, data


class StringPool:
    """A ResStringPool chunk, decoded lazily and bounds-checked per string.

    Android decodes each string on demand and returns null for a bad one; we do the same
    (``get`` returns ``None``) and count the failures so the caller can report them once.
    """

    UTF8_FLAG = 0x100

    def __init__(self, data: bytes | memoryview, offset: int, size: int) -> None:
        buf = memoryview(data)
        end = offset + size
        if size < 28 or end > len(buf):
            raise FormatError(
                "string pool chunk is truncated",
                "字符串池数据块被截断",
                code="axml.string_pool_truncated",
            )
        _, header_size, _ = _CHUNK.unpack_from(buf, offset)
        count, style_count, flags, strings_start, styles_start = _POOL_HEADER.unpack_from(
            buf, offset + 8
        )
        if header_size < 28 or header_size > size:
            header_size = 28
        index_start = offset + header_size
        if count > (end - index_start) // 4:
            raise FormatError(
                f"string pool claims {count} strings but has room for fewer",
                f"字符串池声称有 {count} 个字符串，但空间不足",
                code="axml.string_pool_count",
                count=count,
            )
        self._buf = buf
        self.utf8 = bool(flags & self.UTF8_FLAG)
        self.count = count
        self._index_start = index_start
        self._pool_start = offset + strings_start
        pool_end = end
        if style_count and offset < offset + styles_start <= end:
            pool_end = offset + styles_start
        if not offset <= self._pool_start <= pool_end:
            # Offsets to nowhere: every string lookup will fail its bounds check.
            self._pool_start = pool_end
        self._pool_end = pool_end
        self._cache: dict[int, str | None] = {}
        self.bad_refs = 0

    def __len__(self) -> int:
        return self.count

    def get(self, index: int) -> str | None:
        """String ``index`` or ``None`` if the index, offset or length is out of bounds."""
        if index < 0 or index >= self.count:
            if index != NO_INDEX:
                self.bad_refs += 1
            return None
        try:
            return self._cache[index]
        except KeyError:
            pass
        value = self._decode(index)
        if value is None:
            self.bad_refs += 1
        self._cache[index] = value
        return value

    def _decode(self, index: int) -> str | None:
        buf = self._buf
        (rel,) = _U32.unpack_from(buf, self._index_start + 4 * index)
        pos = self._pool_start + rel
        end = self._pool_end
        if rel >= end - self._pool_start:
            return None
        if self.utf8:
            # UTF-16 length (1-2 bytes), then UTF-8 byte length (1-2 bytes), then bytes.
            for _ in range(2):
                if pos >= end:
                    return None
                first = buf[pos]
                pos += 1
                length = first
                if first & 0x80:
                    if pos >= end:
                        return None
                    length = ((first & 0x7F) << 8) | buf[pos]
                    pos += 1
            if pos + length > end:
                return None
            return bytes(buf[pos : pos + length]).decode("utf-8", errors="replace")
        if pos + 2 > end:
            return None
        (length,) = _U16.unpack_from(buf, pos)
        pos += 2
        if length & 0x8000:
            if pos + 2 > end:
                return None
            (low,) = _U16.unpack_from(buf, pos)
            pos += 2
            length = ((length & 0x7FFF) << 16) | low
        if pos + 2 * length > end:
            return None
        return bytes(buf[pos : pos + 2 * length]).decode("utf-16-le", errors="replace")


def format_value(value_type: int, data: int) -> str | int | bool | float | None:
    """A Res_value as the Python value Android's TypedArray would give (references as text).

    References stay unresolved here (``"@0x7f040001"``); resolving needs the resource table.
    """
    if value_type == TYPE_INT_DEC:
        return data - 0x1_0000_0000 if data & 0x8000_0000 else data
    if value_type == TYPE_INT_HEX:
        return data
    if value_type == TYPE_INT_BOOLEAN:
        return data != 0
    if value_type == TYPE_FLOAT:
        f = struct.unpack("<f", struct.pack("<I", data & 0xFFFFFFFF))[0]
        return f if math.isfinite(f) else str(f)
    if value_type in REFERENCE_TYPES:
        return f"@0x{data:08x}" if data else "@null"
    if value_type in (TYPE_ATTRIBUTE, TYPE_DYNAMIC_ATTRIBUTE):
        return f"?0x{data:08x}"
    if value_type == TYPE_DIMENSION:
        return _complex_text(data, ("px", "dip", "sp", "pt", "in", "mm"))
    if value_type == TYPE_FRACTION:
        return _complex_text(data, ("%", "%p"), scale=100.0)
    if TYPE_INT_COLOR_ARGB8 <= value_type <= TYPE_INT_COLOR_RGB4:
        return f"#{data:08x}"
    if value_type == TYPE_NULL:
        return None
    return data


def _complex_text(data: int, units: tuple[str, ...], scale: float = 1.0) -> str:
    mantissa = data >> 8
    if mantissa & 0x800000:
        mantissa -= 0x1000000
    radix_shift = (0, 7, 15, 23)[(data >> 4) & 3]
    value = mantissa * (1.0 / (1 << 8)) / (1 << radix_shift) * (1 << 8) * scale
    unit = units[data & 0xF] if (data & 0xF) < len(units) else f"unit{data & 0xF}"
    return f"{value:g}{unit}"


@dataclass(slots=True)
class XmlAttr:
    ns: str
    name: str
    resource_id: int | None
    raw: str | None
    value_type: int
    data: int

    def is_reference(self) -> bool:
        return self.value_type in REFERENCE_TYPES

    def value(self, resources: ResourceTable | None = None) -> str | int | bool | float | None:
        """Typed value; references are followed through ``resources`` when given.

        A string attribute gives its text; ``@bool/x`` with a table gives ``True``/``False``.
        An unresolvable reference stays as ``"@0x7f..."`` text so the caller sees what it was.
        """
        if self.value_type == TYPE_STRING:
            return self.raw
        if self.is_reference() and resources is not None and self.data:
            resolved = resources.resolve(self.data)
            if resolved is not None:
                return resolved.value()
        if self.value_type == TYPE_NULL and self.raw is not None:
            return self.raw
        return format_value(self.value_type, self.data)


@dataclass(slots=True)
class XmlElement:
    tag: str
    ns: str
    attrs: list[XmlAttr]
    children: list[XmlElement]
    line: int
    text: str = ""

    def attr(self, name: str, ns: str = ANDROID_NS) -> XmlAttr | None:
        """The attribute Android would use.

        For framework attributes Android matches by resource id only, so an ``android:``
        attribute known to us is found by id; one with the right name but no id is ignored,
        exactly as the platform ignores it.
        """
        wanted_id = ANDROID_ATTR_IDS.get(name) if ns == ANDROID_NS else None
        for a in self.attrs:
            if wanted_id is not None:
                if a.resource_id == wanted_id:
                    return a
            elif a.name == name and a.ns == ns:
                return a
        return None

    def iter(self, tag: str | None = None) -> Iterator[XmlElement]:
        """Depth-first over this element and its descendants (iterative: no recursion limit)."""
        stack = [self]
        while stack:
            el = stack.pop()
            if tag is None or el.tag == tag:
                yield el
            stack.extend(reversed(el.children))


class _Problems:
    """Counts repeated oddities so a hostile file yields one diagnostic each, not thousands."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, code: str) -> None:
        self.counts[code] = self.counts.get(code, 0) + 1


_PROBLEM_TEXT = {
    "axml.bad_chunk": (
        "a chunk has an impossible size; reading stopped there",
        "某数据块大小不合法，解析在此处停止",
    ),
    "axml.unknown_chunk": (
        "unknown chunks between XML nodes were skipped (as Android does)",
        "跳过了XML节点之间的未知数据块（与Android行为一致）",
    ),
    "axml.bad_string_ref": (
        "string references out of range or malformed strings were read as empty",
        "越界的字符串引用或格式错误的字符串被当作空值读取",
    ),
    "axml.attr_name_mismatch": (
        "attribute name strings disagree with their resource ids (obfuscation); the ids win, "
        "as on Android",
        "属性名字符串与其资源ID不一致（混淆手法）；按Android的做法以资源ID为准",
    ),
    "axml.attr_without_resource_id": (
        "android: attributes without a resource id are ignored by Android",
        "缺少资源ID的android:属性会被Android忽略",
    ),
    "axml.raw_value_mismatch": (
        "string attributes whose raw text differs from their typed value; the typed value "
        "is used, as on Android",
        "部分字符串属性的原始文本与其类型化值不一致；按Android的做法使用类型化值",
    ),
    "axml.unbalanced_tags": (
        "start and end tags do not match",
        "开始标签与结束标签不匹配",
    ),
    "axml.extra_root": (
        "elements after the root element were ignored",
        "根元素之后的元素被忽略",
    ),
    "axml.too_many_elements": (
        f"more than {MAX_ELEMENTS} elements or deeper than {MAX_DEPTH}; the rest was skipped",
        f"元素超过 {MAX_ELEMENTS} 个或嵌套深于 {MAX_DEPTH} 层；其余部分被跳过",
    ),
    "axml.bad_node": (
        "an XML node is too short for its type and was skipped",
        "某XML节点长度不足，已跳过",
    ),
    "axml.too_many_attributes": (
        "elements with more attributes than the limit (the rest of each was skipped), or "
        "more attributes in all than the limit (reading stopped there)",
        "部分元素的属性数超过上限（多余属性被跳过），或属性总数超过上限（解析在此处停止）",
    ),
}


class _Stop(Exception):
    """A limit was reached while parsing: keep what was read, report ``code``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_axml(
    data: bytes, file: str, diags: Diagnostics, limits: Limits = DEFAULT_LIMITS
) -> XmlElement | None:
    """Parse binary XML (or aapt2 proto XML, or as a fallback plain-text XML) into a tree.

    Returns ``None`` (with an error diagnostic) only when nothing usable is in the file.
    """
    if len(data) > limits.max_xml_size:
        diags.error(
            "axml.too_large",
            file,
            f"XML file of {len(data)} bytes exceeds the limit",
            f"XML文件大小 {len(data)} 字节超出限制",
            size=len(data),
        )
        return None
    if len(data) < 8:
        diags.error("axml.truncated", file, "binary XML is truncated", "二进制XML被截断")
        return None
    ctype, header_size, size = _CHUNK.unpack_from(data, 0)
    if ctype != RES_XML_TYPE:
        if data[:1] == b"\x0a":  # aapt2 proto XML (App Bundles): an XmlNode message
            from mobsec.ingest.aapt2_proto import parse_proto_xml

            return parse_proto_xml(data, file, diags, limits)
        if _looks_like_text_xml(data):
            return _parse_text_xml(data, file, diags, limits)
        diags.error(
            "axml.bad_magic",
            file,
            f"not binary XML (chunk type 0x{ctype:04x}); Android would reject it",
            f"不是二进制XML（数据块类型 0x{ctype:04x}）；Android会拒绝该文件",
            chunk_type=ctype,
        )
        return None
    end = len(data)
    if size != len(data):
        diags.warning(
            "axml.size_mismatch",
            file,
            f"header says {size} bytes but the file has {len(data)}",
            f"文件头声明 {size} 字节，实际为 {len(data)} 字节",
            declared=size,
            actual=len(data),
        )
        if 8 <= size < len(data):
            end = size
    if header_size < 8 or header_size > end:
        header_size = 8
    problems = _Problems()
    try:
        root = _Reader(data, end, problems, limits).read(header_size)
    except FormatError as exc:
        diags.error(exc.code, file, exc.en, exc.zh, **exc.detail)
        return None
    for code, count in problems.counts.items():
        en, zh = _PROBLEM_TEXT[code]
        diags.warning(code, file, en, zh, count=count)
    if root is None:
        diags.error("axml.no_root", file, "binary XML has no root element", "二进制XML没有根元素")
    return root


class _Reader:
    """One pass over the chunks after the XML header, building the tree with a stack."""

    def __init__(self, data: bytes, end: int, problems: _Problems, limits: Limits) -> None:
        self.data = data
        self.end = end
        self.problems = problems
        self.limits = limits
        self.attrs_left = limits.max_xml_attrs_total
        self.pool: StringPool | None = None
        self.res_map: tuple[int, ...] = ()
        self.ns_prefixes: dict[str, str] = {}

    def string(self, index: int) -> str | None:
        if index == NO_INDEX:
            return None
        if self.pool is None:
            self.problems.add("axml.bad_string_ref")
            return None
        before = self.pool.bad_refs
        s = self.pool.get(index)
        if self.pool.bad_refs != before:
            self.problems.add("axml.bad_string_ref")
        return s

    def read(self, pos: int) -> XmlElement | None:
        data, end = self.data, self.end
        root: XmlElement | None = None
        stack: list[XmlElement] = []
        elements = 0
        while pos + 8 <= end:
            ctype, hsize, size = _CHUNK.unpack_from(data, pos)
            if size < 8 or hsize < 8 or hsize > size or pos + size > end:
                self.problems.add("axml.bad_chunk")
                break
            if ctype == RES_STRING_POOL_TYPE:
                # Android keeps the last pool seen; a broken one leaves the old in place.
                try:
                    self.pool = StringPool(data, pos, size)
                except FormatError:
                    if self.pool is None:
                        raise
                    self.problems.add("axml.bad_chunk")
            elif ctype == RES_XML_RESOURCE_MAP_TYPE:
                n = (size - hsize) // 4
                self.res_map = struct.unpack_from(f"<{n}I", data, pos + hsize)
            elif ctype == RES_XML_START_ELEMENT_TYPE:
                if hsize < 16 or size < hsize + _ELEMENT_EXT.size:
                    self.problems.add("axml.bad_node")
                else:
                    elements += 1
                    if elements > self.limits.max_xml_elements or (
                        len(stack) >= self.limits.max_xml_depth
                    ):
                        self.problems.add("axml.too_many_elements")
                        break
                    try:
                        el = self._element(pos, hsize, size)
                    except _Stop as stop:
                        self.problems.add(stop.code)
                        break
                    if stack:
                        stack[-1].children.append(el)
                        stack.append(el)
                    elif root is None:
                        root = el
                        stack.append(el)
                    else:
                        self.problems.add("axml.extra_root")
                        stack.append(el)  # parsed into a detached subtree, then dropped
            elif ctype == RES_XML_END_ELEMENT_TYPE:
                if not stack:
                    self.problems.add("axml.unbalanced_tags")
                else:
                    closed = stack.pop()
                    if size >= hsize + 8:
                        (name_idx,) = _U32.unpack_from(data, pos + hsize + 4)
                        if self._tag_name(name_idx) != closed.tag:
                            self.problems.add("axml.unbalanced_tags")
            elif ctype == RES_XML_CDATA_TYPE:
                if stack and size >= hsize + 4:
                    (idx,) = _U32.unpack_from(data, pos + hsize)
                    text = self.string(idx) or ""
                    if len(stack[-1].text) < MAX_TEXT_EXCERPT:
                        stack[-1].text += text[:MAX_TEXT_EXCERPT]
            elif ctype == RES_XML_START_NAMESPACE_TYPE:
                if size >= hsize + 8:
                    prefix_idx, uri_idx = struct.unpack_from("<II", data, pos + hsize)
                    uri = self.string(uri_idx)
                    prefix = self.string(prefix_idx)
                    if uri and prefix:
                        self.ns_prefixes[uri] = prefix
            elif ctype == RES_XML_END_NAMESPACE_TYPE:
                pass
            else:
                self.problems.add("axml.unknown_chunk")
            pos += size
        if stack:
            self.problems.add("axml.unbalanced_tags")
        return root

    def _tag_name(self, index: int) -> str:
        return self.string(index) or ""

    def _element(self, pos: int, hsize: int, size: int) -> XmlElement:
        data = self.data
        (line, _comment) = _NODE.unpack_from(data, pos + 8)
        ext = pos + hsize
        ns_idx, name_idx, attr_start, attr_size, attr_count, _id, _cls, _style = (
            _ELEMENT_EXT.unpack_from(data, ext)
        )
        el = XmlElement(
            tag=self._tag_name(name_idx),
            ns=self.string(ns_idx) or "",
            attrs=[],
            children=[],
            line=line,
        )
        if attr_size < _ATTR.size:
            attr_size = _ATTR.size  # Android insists on at least the struct size
        first = ext + attr_start
        chunk_end = pos + size
        room = max(0, (chunk_end - first) // attr_size) if first <= chunk_end else 0
        if attr_count > room:
            self.problems.add("axml.bad_node")
            attr_count = room
        if attr_count > self.limits.max_xml_attrs_per_element:
            self.problems.add("axml.too_many_attributes")
            attr_count = self.limits.max_xml_attrs_per_element
        self.attrs_left -= attr_count
        if self.attrs_left < 0:
            raise _Stop("axml.too_many_attributes")
        for i in range(attr_count):
            at = first + i * attr_size
            a_ns, a_name, a_raw, _sz, _res0, a_type, a_data = _ATTR.unpack_from(data, at)
            el.attrs.append(self._attr(a_ns, a_name, a_raw, a_type, a_data))
        return el

    def _attr(self, ns_idx: int, name_idx: int, raw_idx: int, vtype: int, vdata: int) -> XmlAttr:
        res_id: int | None = None
        if name_idx < len(self.res_map) and self.res_map[name_idx]:
            res_id = self.res_map[name_idx]
        pool_name = self.string(name_idx)
        ns = self.string(ns_idx) or ""
        name = pool_name or ""
        if res_id is not None:
            known = ANDROID_ATTR_NAMES.get(res_id)
            if known is not None:
                if pool_name != known:
                    self.problems.add("axml.attr_name_mismatch")
                name = known
            elif not name:
                name = f"attr_0x{res_id:08x}"
            if res_id >> 24 == 0x01:
                ns = ANDROID_NS  # Android matches framework attributes by id, whatever the ns
        elif ns == ANDROID_NS and name in ANDROID_ATTR_IDS:
            self.problems.add("axml.attr_without_resource_id")
        raw = self.string(raw_idx)
        if vtype == TYPE_STRING:
            # Android reads the typed value, not the raw text; a packer may make them differ.
            typed = self.string(vdata)
            if typed is not None:
                if raw is not None and raw != typed:
                    self.problems.add("axml.raw_value_mismatch")
                raw = typed
        return XmlAttr(ns, name, res_id, raw, vtype, vdata)


_TEXT_XML_START = re.compile(rb"^(\xef\xbb\xbf)?\s*<[?!a-zA-Z]")


def _looks_like_text_xml(data: bytes) -> bool:
    return bool(_TEXT_XML_START.match(data[:256]))


def _parse_text_xml(
    data: bytes, file: str, diags: Diagnostics, limits: Limits = DEFAULT_LIMITS
) -> XmlElement | None:
    """Plain-text XML (e.g. an APK packed without aapt). Android refuses to install it.

    Parsed by expat with our handlers building the tree as it goes, so the element, depth
    and attribute limits stop the parse at once (the stdlib tree would be built first).
    DTDs are rejected outright, so no entity can be declared or expanded (no billion
    laughs, no external entities).
    """
    diags.warning(
        "axml.plain_text_xml",
        file,
        "file is plain-text XML, not compiled binary XML; Android would refuse it",
        "文件是纯文本XML而非编译后的二进制XML；Android会拒绝该文件",
    )
    return parse_text_xml(data, file, diags, limits)


def parse_text_xml(
    data: bytes, file: str, diags: Diagnostics, limits: Limits = DEFAULT_LIMITS
) -> XmlElement | None:
    """Plain-text XML where it is the normal form (an AAR's AndroidManifest.xml): no DTD,
    bounded element count and depth, into the same tree as binary XML."""
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        diags.error(
            "axml.text_xml_dtd",
            file,
            "plain-text XML with a DTD is not parsed (entity expansion risk)",
            "含DTD的纯文本XML不予解析（存在实体扩展风险）",
        )
        return None
    builder = _TextTree(limits)
    try:
        builder.parse(data)
    except _Stop as stop:
        en, zh = _PROBLEM_TEXT[stop.code]
        diags.warning(stop.code, file, en, zh, count=1)
    except expat.ExpatError as exc:
        diags.error(
            "axml.text_xml_invalid",
            file,
            f"plain-text XML is not well-formed: {exc}",
            f"纯文本XML格式错误：{exc}",
        )
        return None
    return builder.root


class _TextTree:
    """expat handlers that build :class:`XmlElement` s and enforce the limits on the way."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.root: XmlElement | None = None
        self.stack: list[XmlElement] = []
        self.elements = 0
        self.attrs_left = limits.max_xml_attrs_total
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.ordered_attributes = True
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        self.parser.StartDoctypeDeclHandler = self.refuse
        self.parser.EntityDeclHandler = self.refuse

    def parse(self, data: bytes) -> None:
        # expat hands a start tag over only once it has read all of it: a tag too long to
        # hold the allowed attributes (each takes at least 4 bytes, a="") is not fed at all.
        longest = 64 * self.limits.max_xml_attrs_per_element
        too_long = re.search(rb"<[^>]{%d}" % longest, data)
        end = too_long.start() if too_long else len(data)
        step = 1 << 16  # fed in steps so a limit stops the parse near where it is reached
        for i in range(0, end, step):
            self.parser.Parse(data[i : min(i + step, end)], False)
        if too_long:
            raise _Stop("axml.too_many_attributes")
        self.parser.Parse(b"", True)

    def refuse(self, *_args: object) -> None:
        raise expat.ExpatError("DTD or entity declaration")

    def start(self, name: str, attrs: list[str]) -> None:
        lim = self.limits
        self.elements += 1
        if self.elements > lim.max_xml_elements or len(self.stack) >= lim.max_xml_depth:
            raise _Stop("axml.too_many_elements")
        n = len(attrs) // 2
        self.attrs_left -= n
        if n > lim.max_xml_attrs_per_element or self.attrs_left < 0:
            raise _Stop("axml.too_many_attributes")
        ns, tag = _split_expat(name)
        out = []
        for i in range(0, 2 * n, 2):
            a_ns, a_name = _split_expat(attrs[i])
            text = attrs[i + 1]
            res_id = ANDROID_ATTR_IDS.get(a_name) if a_ns == ANDROID_NS else None
            out.append(XmlAttr(a_ns, a_name, res_id, text, *_typed_from_text(text)))
        el = XmlElement(tag, ns, out, [], self.parser.CurrentLineNumber)
        if self.stack:
            self.stack[-1].children.append(el)
        elif self.root is None:
            self.root = el
        self.stack.append(el)

    def end(self, _name: str) -> None:
        el = self.stack.pop()
        el.text = el.text.strip()

    def text(self, chunk: str) -> None:
        # The text before the first child, as ElementTree's ``.text`` would give it.
        if self.stack:
            el = self.stack[-1]
            if not el.children and len(el.text) < MAX_TEXT_EXCERPT:
                el.text = (el.text + chunk)[:MAX_TEXT_EXCERPT]


def _split_expat(name: str) -> tuple[str, str]:
    """expat's ``uri}local`` (namespace_separator ``}``) as (uri, local)."""
    ns, sep, local = name.rpartition("}")
    return (ns, local) if sep else ("", name)


def _typed_from_text(text: str) -> tuple[int, int]:
    """What aapt would compile a literal to, for the cases the manifest model reads."""
    if text in ("true", "false"):
        return TYPE_INT_BOOLEAN, 0xFFFFFFFF if text == "true" else 0
    if re.fullmatch(r"-?\d{1,10}", text):
        n = int(text)
        if -(2**31) <= n < 2**32:
            return TYPE_INT_DEC, n & 0xFFFFFFFF
    return TYPE_STRING, 0


def to_xml_text(
    element: XmlElement,
    resources: ResourceTable | None = None,
    max_depth: int = 4,
    max_children: int = 30,
    max_chars: int = 8000,
) -> str:
    """Readable XML for evidence in reports, cut to a size a reviewer can read.

    References are shown by name (``@string/app_name``) when ``resources`` knows them.
    """
    out: list[str] = []
    total = 0

    def attr_text(a: XmlAttr) -> str:
        prefix = "android:" if a.ns == ANDROID_NS else ""
        if a.is_reference() and resources is not None:
            shown = resources.name_of(a.data) or format_value(a.value_type, a.data)
        elif a.value_type == TYPE_STRING:
            shown = a.raw
        else:
            v = format_value(a.value_type, a.data)
            shown = str(v).lower() if isinstance(v, bool) else v
        return f'{prefix}{a.name}="{_escape(str(shown))}"'

    def emit(el: XmlElement, depth: int) -> None:
        nonlocal total
        if total > max_chars:
            return
        pad = "    " * depth
        parts = [attr_text(a) for a in el.attrs]
        if depth == 0 and any(a.ns == ANDROID_NS for a in _iter_attrs_deep(el, max_depth)):
            parts.insert(0, f'xmlns:android="{ANDROID_NS}"')
        attrs = "".join(f" {p}" for p in parts)
        if len(pad) + len(el.tag) + len(attrs) > 100:  # one attribute a line: each one visible
            attrs = "".join(f"\n{pad}    {p}" for p in parts)
        if not el.children:
            line = f"{pad}<{el.tag}{attrs} />"
            out.append(line)
            total += len(line)
            return
        line = f"{pad}<{el.tag}{attrs}>"
        out.append(line)
        total += len(line)
        if depth >= max_depth:  # children left out, and said so
            out.append(f"{pad}    <!-- {len(el.children)} … -->")
            out.append(f"{pad}</{el.tag}>")
            return
        for child in el.children[:max_children]:
            emit(child, depth + 1)
        if len(el.children) > max_children:
            out.append(f"{pad}    <!-- {len(el.children) - max_children} more -->")
        out.append(f"{pad}</{el.tag}>")

    emit(element, 0)
    text = "\n".join(out)
    return text if len(text) <= max_chars else text[:max_chars] + "\n<!-- … -->"


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _iter_attrs_deep(element: XmlElement, max_depth: int) -> Iterator[XmlAttr]:
    stack = [(element, 0)]
    while stack:
        el, depth = stack.pop()
        yield from el.attrs
        if depth < max_depth:
            stack.extend((c, depth + 1) for c in el.children)
