"""aapt2's protobuf formats in App Bundles: proto XML (manifest, layouts) and ``resources.pb``.

An AAB keeps every compiled XML file and the resource table as protobuf messages instead of
binary XML / ``resources.arsc``. The ``protobuf`` package decodes them with message
definitions of our own, built here as descriptors in code from the field numbers and types
of aapt2's published ``Resources.proto`` (package ``aapt.pb``): only the messages and fields
mobsec reads; anything else stays an unknown field and is skipped by the decoder.

Every field is declared proto2 ``optional`` so that presence is kept (``boolean_value =
false`` is not "unset"); enums are read as plain integers. The result is the same model the
binary readers give (:class:`~mobsec.ingest.axml.XmlElement`,
:class:`~mobsec.ingest.arsc.ResourceTable`), so facts and checks never know the difference.

Hostile input: the decoder checks every length against the data (a huge length is a decode
error, never an allocation) and stops nesting at 100 levels; we cap the size before
decoding. Proto XML is decoded one element at a time: the node and the element's name are decoded by
protobuf with *shallow* messages (the element kept as bytes, its attributes and children
left unparsed), and the element's repeated attribute/child fields are split by a minimal
walk over their tags and lengths (``_fields``), which stops at the XML limits (elements,
depth, attributes per element and in all) before anything beyond them is decoded. Decoding
a 57 MB manifest of 15 M empty elements whole took 2 GB; one of 30 M attributes 185 s and
5.4 GB; even a repeated-bytes view of them took 0.8-1 GB.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from functools import cache
from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.message import DecodeError

from mobsec.diagnostics import Diagnostics
from mobsec.ingest import axml
from mobsec.ingest.arsc import ResourceTable, ResourceValue, _Package
from mobsec.ingest.axml import ANDROID_ATTR_IDS, ANDROID_NS, XmlAttr, XmlElement
from mobsec.limits import DEFAULT_LIMITS, Limits

MAX_TEXT_EXCERPT = axml.MAX_TEXT_EXCERPT
MAX_PACKAGES = 256

_F = descriptor_pb2.FieldDescriptorProto
_SCALARS = {
    "string": _F.TYPE_STRING,
    "bytes": _F.TYPE_BYTES,
    "uint32": _F.TYPE_UINT32,
    "int32": _F.TYPE_INT32,
    "bool": _F.TYPE_BOOL,
    "float": _F.TYPE_FLOAT,
}
# message -> [(field, number, type, repeated)]; a type not in _SCALARS is a message here.
# Field numbers and types from aapt2 Resources.proto; enums (Reference.type, ...) as uint32.
_MESSAGES: dict[str, list[tuple[str, int, str, bool]]] = {
    "SourcePosition": [("line_number", 1, "uint32", False), ("column_number", 2, "uint32", False)],
    "XmlNode": [
        ("element", 1, "XmlElement", False),
        ("text", 2, "string", False),
        ("source", 3, "SourcePosition", False),
    ],
    "XmlElement": [
        ("namespace_declaration", 1, "XmlNamespace", True),
        ("namespace_uri", 2, "string", False),
        ("name", 3, "string", False),
        ("attribute", 4, "XmlAttribute", True),
        ("child", 5, "XmlNode", True),
    ],
    # The same two messages with attributes and children left as bytes (see the module doc).
    "XmlNodeShallow": [
        ("element", 1, "bytes", False),
        ("text", 2, "string", False),
        ("source", 3, "SourcePosition", False),
    ],
    "XmlElementHead": [("namespace_uri", 2, "string", False), ("name", 3, "string", False)],
    "XmlNamespace": [("prefix", 1, "string", False), ("uri", 2, "string", False)],
    "XmlAttribute": [
        ("namespace_uri", 1, "string", False),
        ("name", 2, "string", False),
        ("value", 3, "string", False),
        ("source", 4, "SourcePosition", False),
        ("resource_id", 5, "uint32", False),
        ("compiled_item", 6, "Item", False),
    ],
    "Item": [
        ("ref", 1, "Reference", False),
        ("str", 2, "String", False),
        ("raw_str", 3, "String", False),  # RawString: same shape (value = 1)
        ("styled_str", 4, "String", False),  # StyledString: value = 1, spans skipped
        ("file", 5, "FileReference", False),
        ("id", 6, "Empty", False),
        ("prim", 7, "Primitive", False),
    ],
    "Reference": [
        ("type", 1, "uint32", False),  # 0 REFERENCE, 1 ATTRIBUTE
        ("id", 2, "uint32", False),
        ("name", 3, "string", False),
    ],
    "String": [("value", 1, "string", False)],
    "FileReference": [("path", 1, "string", False), ("type", 2, "uint32", False)],
    "Empty": [],
    "Primitive": [
        ("null_value", 1, "Empty", False),
        ("empty_value", 2, "Empty", False),
        ("float_value", 3, "float", False),
        ("dimension_value_deprecated", 4, "float", False),
        ("fraction_value_deprecated", 5, "float", False),
        ("int_decimal_value", 6, "int32", False),
        ("int_hexadecimal_value", 7, "uint32", False),
        ("boolean_value", 8, "bool", False),
        ("color_argb8_value", 9, "uint32", False),
        ("color_rgb8_value", 10, "uint32", False),
        ("color_argb4_value", 11, "uint32", False),
        ("color_rgb4_value", 12, "uint32", False),
        ("dimension_value", 13, "uint32", False),
        ("fraction_value", 14, "uint32", False),
    ],
    "ResourceTable": [("package", 2, "Package", True)],
    "Package": [
        ("package_id", 1, "Id32", False),
        ("package_name", 2, "string", False),
        ("type", 3, "Type", True),
    ],
    "Id32": [("id", 1, "uint32", False)],  # PackageId, TypeId, EntryId
    "Type": [("type_id", 1, "Id32", False), ("name", 2, "string", False), ("entry", 3, "Entry", True)],
    "Entry": [
        ("entry_id", 1, "Id32", False),
        ("name", 2, "string", False),
        ("config_value", 6, "ConfigValue", True),
    ],
    # Configuration (Configuration.proto) is kept opaque: only "is it the default" matters.
    "ConfigValue": [("config", 1, "Empty", False), ("value", 2, "Value", False)],
    "Value": [("item", 4, "Item", False), ("compound_value", 5, "CompoundValue", False)],
    "CompoundValue": [
        ("style", 2, "Style", False),
        ("array", 4, "Array", False),
        ("plural", 5, "Plural", False),
    ],
    "Style": [("parent", 1, "Reference", False), ("entry", 3, "StyleEntry", True)],
    "StyleEntry": [("key", 3, "Reference", False), ("item", 4, "Item", False)],
    "Array": [("element", 1, "ArrayElement", True)],
    "ArrayElement": [("item", 3, "Item", False)],
    "Plural": [("entry", 1, "PluralEntry", True)],
    "PluralEntry": [("arity", 3, "uint32", False), ("item", 4, "Item", False)],
}  # fmt: skip
_PACKAGE = "mobsec.aapt2"


@cache
def _classes() -> dict[str, Any]:
    fdp = descriptor_pb2.FileDescriptorProto(
        name="mobsec/aapt2_resources.proto", package=_PACKAGE, syntax="proto2"
    )
    for msg_name, fields in _MESSAGES.items():
        msg = fdp.message_type.add(name=msg_name)
        for field_name, number, type_name, repeated in fields:
            f = msg.field.add(name=field_name, number=number)
            f.label = _F.LABEL_REPEATED if repeated else _F.LABEL_OPTIONAL
            if type_name in _SCALARS:
                f.type = _SCALARS[type_name]
            else:
                f.type = _F.TYPE_MESSAGE
                f.type_name = f".{_PACKAGE}.{type_name}"
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return {
        name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{_PACKAGE}.{name}"))
        for name in ("XmlNode", "XmlNodeShallow", "XmlElementHead", "XmlAttribute", "ResourceTable")
    }


def looks_like_proto_xml(data: bytes) -> bool:
    """An XmlNode whose first field is its element (tag 1, length-delimited)."""
    return data[:1] == b"\x0a"


def _decode(kind: str, data: bytes, file: str, diags: Diagnostics, code: str) -> Any | None:
    if len(data) > DEFAULT_LIMITS.max_xml_size:
        diags.error(
            f"{code}.too_large",
            file,
            f"{kind} of {len(data)} bytes exceeds the limit",
            f"{kind} 大小 {len(data)} 字节超出限制",
            size=len(data),
        )
        return None
    msg = _classes()["XmlNodeShallow" if code == "protoxml" else "ResourceTable"]()
    try:
        msg.ParseFromString(data)
    except (DecodeError, RecursionError, ValueError) as e:
        diags.error(
            f"{code}.invalid",
            file,
            f"{kind} is not a valid protobuf message ({e})",
            f"{kind} 不是有效的 protobuf 消息({e})",
        )
        return None
    return msg


# --------------------------------------------------------------------------- items → values

_PRIM_TYPES = {
    "int_decimal_value": axml.TYPE_INT_DEC,
    "int_hexadecimal_value": axml.TYPE_INT_HEX,
    "color_argb8_value": axml.TYPE_INT_COLOR_ARGB8,
    "color_rgb8_value": axml.TYPE_INT_COLOR_RGB8,
    "color_argb4_value": axml.TYPE_INT_COLOR_ARGB4,
    "color_rgb4_value": axml.TYPE_INT_COLOR_RGB4,
    "dimension_value": axml.TYPE_DIMENSION,
    "fraction_value": axml.TYPE_FRACTION,
}


def _float_bits(f: float) -> int:
    return struct.unpack("<I", struct.pack("<f", f))[0]


def item_value(item: Any) -> tuple[int, int, str | None]:
    """(Res_value type, data, string) of an aapt2 Item, as the binary format would hold it."""
    fields = item.ListFields()  # the one set field (one call: this runs per resource value)
    if not fields:
        return axml.TYPE_NULL, 0, None
    field, v = fields[0]
    name = field.name
    if name in ("str", "raw_str", "styled_str"):
        return axml.TYPE_STRING, 0, v.value
    if name == "ref":
        return (axml.TYPE_ATTRIBUTE if v.type == 1 else axml.TYPE_REFERENCE), v.id, None
    if name == "file":
        return axml.TYPE_STRING, 0, v.path
    if name == "id":
        return axml.TYPE_INT_BOOLEAN, 0, None  # aapt2 flattens an id to a false boolean
    prim = v.ListFields()
    if name != "prim" or not prim:
        return axml.TYPE_NULL, 0, None
    field, value = prim[0]
    kind = _PRIM_TYPES.get(field.name)
    if kind is not None:
        return kind, value & 0xFFFFFFFF, None
    if field.name == "boolean_value":
        return axml.TYPE_INT_BOOLEAN, 0xFFFFFFFF if value else 0, None
    if field.name in ("float_value", "dimension_value_deprecated", "fraction_value_deprecated"):
        return axml.TYPE_FLOAT, _float_bits(value), None
    if field.name == "empty_value":
        return axml.TYPE_NULL, 1, None
    return axml.TYPE_NULL, 0, None


# ------------------------------------------------------------------------------- proto XML


def parse_proto_xml(
    data: bytes, file: str, diags: Diagnostics, limits: Limits = DEFAULT_LIMITS
) -> XmlElement | None:
    """A proto XML file (``XmlNode``) as an element tree; None (with an error) if unusable.

    Elements are decoded one at a time, each only once the element, depth and attribute
    limits leave room for it; what lies beyond a limit is never decoded and is reported,
    as the binary-XML reader does."""
    node = _decode("proto XML", data, file, diags, "protoxml")
    if node is None:
        return None
    if not node.HasField("element"):
        diags.error(
            "protoxml.no_root", file, "proto XML has no root element", "proto XML 没有根元素"
        )
        return None
    reader = _ProtoXmlReader(limits)
    try:
        root, children = reader.element(node, 0)
        stack = [(children, root, 1)]
        while stack:
            pending, parent, depth = stack.pop()
            texts = []
            for raw in pending:
                child = reader.node(raw)
                if child.HasField("element"):
                    if not reader.room_for_element(depth):
                        break
                    el, grandchildren = reader.element(child, depth)
                    parent.children.append(el)
                    stack.append((grandchildren, el, depth + 1))
                elif child.text.strip():
                    texts.append(child.text.strip())
            parent.text = " ".join(texts)[:MAX_TEXT_EXCERPT]
    except (DecodeError, ValueError) as e:
        diags.error(
            "protoxml.invalid",
            file,
            f"proto XML is not a valid protobuf message ({e})",
            f"proto XML 不是有效的 protobuf 消息({e})",
        )
        return None
    for code in sorted(reader.problems):
        en, zh = _LIMIT_TEXTS[code]
        diags.warning(code, file, f"proto XML has {en}", f"proto XML {zh}")
    return root


_LIMIT_TEXTS = {
    "protoxml.too_many_elements": (
        "more elements or deeper nesting than the limit; the rest was not read",
        "元素数量或嵌套深度超过上限,其余部分未读取",
    ),
    "protoxml.too_many_attributes": (
        "an element with more attributes than the limit (the rest of that element was not "
        "read), or more attributes in all than the limit (later elements kept without them)",
        "某元素的属性数超过上限(该元素其余部分未读取),或属性总数超过上限(之后的元素不再读取属性)",
    ),
}

_ATTRIBUTE, _CHILD = 4, 5  # XmlElement field numbers
_LEN = 2  # wire type of length-delimited fields


class _ProtoXmlReader:
    """Decodes elements one by one and keeps the counts the limits are checked against."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.nodes = 1  # the root, and every child node collected so far (elements and texts)
        self.attrs_left = limits.max_xml_attrs_total
        self.problems: set[str] = set()
        classes = _classes()
        self._node = classes["XmlNodeShallow"]
        self._head = classes["XmlElementHead"]
        self._attr = classes["XmlAttribute"]

    def node(self, raw: bytes | memoryview) -> Any:
        return self._node.FromString(raw)

    def room_for_element(self, depth: int) -> bool:
        if depth >= self.limits.max_xml_depth:
            self.problems.add("protoxml.too_many_elements")
            return False
        return True

    def element(self, node: Any, depth: int) -> tuple[XmlElement, list[memoryview]]:
        """The element of ``node`` with its attributes, and its children still undecoded."""
        raw = node.element
        head = self._head.FromString(raw)
        el = XmlElement(head.name, head.namespace_uri, [], [], node.source.line_number)
        children: list[memoryview] = []
        per_element = self.limits.max_xml_attrs_per_element
        for number, value in _fields(memoryview(raw)):
            if number == _CHILD:
                # every child collected holds a place in the element limit, so the pending
                # children of all elements together never exceed it
                if self.nodes >= self.limits.max_xml_elements:
                    self.problems.add("protoxml.too_many_elements")
                    break
                self.nodes += 1
                children.append(value)
            elif number == _ATTRIBUTE:
                if len(el.attrs) >= per_element:
                    self.problems.add("protoxml.too_many_attributes")
                    break  # walking past millions of attributes would be the attack
                if self.attrs_left <= 0:
                    self.problems.add("protoxml.too_many_attributes")
                    continue
                self.attrs_left -= 1
                el.attrs.append(_attribute(self._attr.FromString(value)))
        return el, children


def _fields(buf: memoryview) -> Iterator[tuple[int, memoryview]]:
    """(field number, bytes) of each length-delimited field of one message, in order;
    other wire types are skipped. Only splits one level: protobuf decodes each part."""
    pos, end = 0, len(buf)
    while pos < end:
        key, pos = _varint(buf, pos)
        wire = key & 7
        if wire == _LEN:
            size, pos = _varint(buf, pos)
            if pos + size > end:
                raise DecodeError("a field's length runs past its message")
            yield key >> 3, buf[pos : pos + size]
            pos += size
        elif wire == 0:
            _, pos = _varint(buf, pos)
        elif wire in (1, 5):
            pos += 8 if wire == 1 else 4
        else:
            raise DecodeError(f"unexpected wire type {wire}")
    if pos != end:
        raise DecodeError("a field runs past its message")


def _varint(buf: memoryview, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(buf) or shift > 63:
            raise DecodeError("truncated or over-long varint")
        b = buf[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7


def _attribute(a: Any) -> XmlAttr:
    res_id = a.resource_id or None
    if res_id is None and a.namespace_uri == ANDROID_NS:
        res_id = ANDROID_ATTR_IDS.get(a.name)
    if a.HasField("compiled_item"):
        kind, data, text = item_value(a.compiled_item)
        raw = text if text is not None else a.value
    else:
        kind, data, raw = axml.TYPE_STRING, 0, a.value
    return XmlAttr(a.namespace_uri, a.name, res_id, raw, kind, data)


# ---------------------------------------------------------------------------- resources.pb


class _Names(list):  # type: ignore[type-arg]
    """Type or key names by index: what ResourceTable reads from its string pools."""

    def get(self, index: int) -> str | None:
        return self[index] if 0 <= index < len(self) else None


def parse_resources_pb(data: bytes, file: str, diags: Diagnostics) -> ResourceTable | None:
    """``resources.pb`` as a :class:`ResourceTable` (default config = no qualifiers)."""
    msg = _decode("resource table (resources.pb)", data, file, diags, "resources_pb")
    if msg is None:
        return None
    table = ResourceTable()
    for p in msg.package[:MAX_PACKAGES]:
        pkg_id = p.package_id.id & 0xFF if p.HasField("package_id") else 0x7F
        type_names = _Names()
        key_names = _Names()
        pkg = _Package(pkg_id, p.package_name, type_names, key_names)
        for t in p.type:
            type_id = t.type_id.id & 0xFF
            if not type_id:
                continue  # no id assigned: not addressable from compiled XML
            while len(type_names) < type_id:
                type_names.append(None)
            type_names[type_id - 1] = t.name
            for e in t.entry:
                key_names.append(e.name)
                key = len(key_names) - 1
                values = []
                for cv in e.config_value:
                    # aapt2 writes a default configuration as an empty message
                    config = "" if cv.config.ByteSize() == 0 else f"config{len(values)}"
                    values.append((config, key, _resource_value(cv.value)))
                pkg.entries[(type_id, e.entry_id.id & 0xFFFF)] = values
        table.packages.setdefault(pkg_id, pkg)
    return table


def _resource_value(value: Any) -> ResourceValue:
    fields = value.ListFields()
    if not fields or fields[0][0].name == "item":
        kind, data, text = item_value(fields[0][1]) if fields else (axml.TYPE_NULL, 0, None)
        return ResourceValue(kind, data, string=text)
    bag: list[tuple[int, ResourceValue]] = []
    parent = 0
    cv = fields[0][1]
    if cv.HasField("style"):
        parent = cv.style.parent.id
        for entry in cv.style.entry:
            kind, data, text = item_value(entry.item)
            bag.append((entry.key.id, ResourceValue(kind, data, string=text)))
    elif cv.HasField("array"):
        for i, element in enumerate(cv.array.element):
            kind, data, text = item_value(element.item)
            bag.append((i, ResourceValue(kind, data, string=text)))
    elif cv.HasField("plural"):
        for entry in cv.plural.entry:
            kind, data, text = item_value(entry.item)
            bag.append((entry.arity, ResourceValue(kind, data, string=text)))
    return ResourceValue(axml.TYPE_NULL, 0, bag=bag, parent=parent)
