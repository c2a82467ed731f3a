"""What the analysis knows about library methods, so constant values survive calls.

Why: javac compiles ``"hardcoded".getBytes()``, ``"a" + b`` and ``new StringBuilder(x)``
into calls; without models every such value would become an opaque "result". A model
maps the argument values of one call to the result values, and may say that the receiver
object changed (a StringBuilder after ``append``, a String made by ``new String(bytes)``).

Models are keyed by (class descriptor, method name); each checks the proto itself. A call
without a model yields a ``"result"`` value carrying the callee, for checks to judge (an
``Intent.getStringExtra`` result is a taint source, a ``SecureRandom`` one is not).
"""

from __future__ import annotations

import base64
import binascii
import struct
from collections.abc import Callable
from itertools import product

from mobsec.ingest.dex import MethodRef

from .values import MAX_PARTS, MAX_VALUES, TOP, Value

# (result values or None for "no model result", receiver updates old -> new)
ModelOut = tuple[frozenset[Value] | None, dict[Value, Value] | None]
Model = Callable[[MethodRef, list[frozenset[Value]], int], ModelOut]

STRING = "Ljava/lang/String;"
BUILDERS = ("Ljava/lang/StringBuilder;", "Ljava/lang/StringBuffer;")
CHARSETS = {
    "UTF-8": "utf-8",
    "UTF8": "utf-8",
    "US-ASCII": "ascii",
    "ASCII": "ascii",
    "ISO-8859-1": "latin-1",
    "UTF-16": "utf-16-be",
    "UTF-16BE": "utf-16-be",
    "UTF-16LE": "utf-16-le",
}
# Callees that only read the arrays passed to them: an array handed to any other call may
# have been filled (``SecureRandom.nextBytes(iv)``), so its contents become unknown.
READ_ONLY_PREFIXES = (
    "Ljavax/crypto/spec/",
    "Ljava/security/spec/",
    "Landroid/util/Log;",
    "Landroid/util/Base64;",
    "Ljava/util/Arrays;->toString",
    "Ljava/lang/String;-><init>",
    "Ljava/lang/String;->valueOf",
)


def _one(values: frozenset[Value]) -> list[Value] | None:
    """The values of an argument when few enough to enumerate, else None."""
    if not values or len(values) > MAX_VALUES or values >= TOP:
        return None
    return list(values)


def _strings_of(values: frozenset[Value]) -> list[str] | None:
    vs = _one(values)
    if vs is None:
        return None
    out = []
    for v in vs:
        t = v.text()
        if t is None:
            return None
        out.append(t)
    return out


def _map_strings(
    values: frozenset[Value], fn: Callable[[str], Value | None], off: int
) -> frozenset[Value] | None:
    texts = _strings_of(values)
    if texts is None:
        return None
    out = set()
    for t in texts:
        v = fn(t)
        if v is None:
            return None
        out.add(v)
    return frozenset(out)


def _to_string_part(v: Value, arg_type: str) -> Value:
    """An appended constant as it prints (``append('a')`` is the char, not 97)."""
    if v.kind != "const" or not isinstance(v.data, int):
        return v
    n = v.data
    if arg_type == "C":
        return Value("string", chr(n & 0xFFFF), v.offset)
    if arg_type == "Z":
        return Value("string", "true" if n else "false", v.offset)
    if arg_type in ("I", "S", "B"):
        return Value("string", str(_signed(n, 32)), v.offset)
    if arg_type == "J":
        return Value("string", str(_signed(n, 64)), v.offset)
    if arg_type == "F":
        (f,) = struct.unpack("<f", struct.pack("<I", n & 0xFFFFFFFF))
        return Value("string", repr(f), v.offset)
    if arg_type == "D":
        (d,) = struct.unpack("<d", struct.pack("<Q", n & 0xFFFFFFFFFFFFFFFF))
        return Value("string", repr(d), v.offset)
    return v


def _signed(n: int, bits: int) -> int:
    n &= (1 << bits) - 1
    return n - (1 << bits) if n >> (bits - 1) else n


def _parts(v: Value) -> tuple[Value, ...]:
    return v.data if v.kind == "concat" else (v,)  # type: ignore[return-value]


def _concat(base: Value, extra: Value, off: int | None) -> Value:
    parts = _parts(base) + _parts(extra)
    if len(parts) > MAX_PARTS:
        parts = (*parts[: MAX_PARTS - 1], Value("unknown", "long-concat", off))
    return Value("concat", parts, off)


def _param_types(proto: str) -> list[str]:
    out: list[str] = []
    i, end = 1, proto.find(")")
    while 0 < i < end:
        j = i
        while j < end and proto[j] == "[":
            j += 1
        if j < end and proto[j] == "L":
            k = proto.find(";", j, end)
            j = end - 1 if k < 0 else k
        out.append(proto[i : j + 1])
        i = j + 1
    return out


def _combine(
    left: frozenset[Value], right: frozenset[Value], fn: Callable[[Value, Value], Value]
) -> frozenset[Value] | None:
    ls, rs = _one(left), _one(right)
    if ls is None or rs is None or len(ls) * len(rs) > MAX_VALUES:
        return None
    return frozenset(fn(a, b) for a, b in product(ls, rs))


# ---- java.lang.String ----------------------------------------------------------------


def _get_bytes(ref: MethodRef, args: list[frozenset[Value]], off: int) -> ModelOut:
    charset = "utf-8"
    if len(args) == 2:  # getBytes(String charsetName) / getBytes(Charset)
        names = _strings_of(args[1])
        if not names or len(set(names)) != 1 or names[0].upper() not in CHARSETS:
            return None, None
        charset = CHARSETS[names[0].upper()]

    def enc(t: str) -> Value | None:
        try:
            return Value("bytes", t.encode(charset, "surrogatepass"), off)
        except UnicodeError:
            return None

    return _map_strings(args[0], enc, off), None


def _string_identity(ref: MethodRef, args: list[frozenset[Value]], off: int) -> ModelOut:
    if ref.name == "trim":
        return _map_strings(args[0], lambda t: Value("string", t.strip(" \t\n\r"), off), off), None
    return args[0] or None, None  # toString / intern: the same value


def _string_concat(ref: MethodRef, args: list[frozenset[Value]], off: int) -> ModelOut:
    return _combine(args[0], args[1], lambda a, b: _concat(a, b, off)), None


def _string_value_of(ref: MethodRef, args: list[frozenset[Value]], off: int) -> ModelOut:
    if len(args) != 1:
        return None, None
    types = _param_types(ref.proto)
    t = types[0] if types else ""
    vs = _one(args[0])
    if vs is None:
        return None, None
    out = set()
    for v in vs:
        if t.startswith("L") and v.kind in ("string", "concat"):
            out.add(v)
        elif len(t) == 1 and v.kind == "const":
            out.add(_to_string_part(v, t))
        else:
            return None, None
    return frozenset(out), None


def _string_init(ref: MethodRef, args: list[frozenset[Value]], off: int) -> ModelOut:
    """``new String(bytes)`` / ``new String(bytes, charset)`` / ``new String(s)``."""
    recv = _one(args[0])
    if recv is None or len(args) < 2:
        return None, None
    made: set[Value] = set()
    for v in _one(args[1]) or ():
        if v.kind == "bytes" and len(args) == 2:
            made.add(Value("string", v.data.decode("utf-8", "replace"), off))  # type: ignore[union-attr]
        elif v.kind in ("string", "concat") and len(args) == 2:
            made.add(v)
        else:
            return None, None
    if len(made) != 1:
        return None, None
    new = made.pop()
    return None, {r: new for r in recv if r.kind == "new"}


# ---- StringBuilder / StringBuffer --------------------------------------------------------


def _builder_init(ref: MethodRef, args: list[frozenset[Value]], off: int) -> ModelOut:
    recv = _one(args[0])
    if recv is None:
        return None, None
    types = _param_types(ref.proto)
    if types and types[0] in (STRING, "Ljava/lang/CharSequence;"):
        vs = _one(args[1])
        if vs is None or len(vs) != 1:
            start = Value("concat", (Value("unknown", "builder-init", off),), None)
        else:
            start = Value("concat", _parts(vs[0]), None)
    else:  # () or (int capacity)
        start = Value("concat", (), None)
    updates = {}
    for r in recv:
        if r.kind == "new":
            updates[r] = Value("concat", start.data, r.offset)  # the builder keeps its site
    return None, updates


def _builder_append(ref: MethodRef, args: list[frozenset[Value]], off: int) -> ModelOut:
    recv = _one(args[0])
    if recv is None or len(args) != 2:
        return None, None
    types = _param_types(ref.proto)
    t = types[0] if types else ""
    vals = _one(args[1])
    if vals is None or len(vals) != 1:
        extra = Value("unknown", "append", off) if vals is None else None
        if extra is None:  # several possible values: one part that says so
            extra = Value("unknown", "several", off)
    else:
        extra = _to_string_part(vals[0], t)
    updates = {}
    out = set()
    for r in recv:
        # A builder we saw allocated is updated in place; any other receiver (a parameter,
        # a field) starts from unknown contents.
        base = r if r.kind == "concat" else Value("concat", (r,), off)
        new = _concat(base, extra, base.offset if r.kind == "concat" else off)
        updates[r] = new
        out.add(new)
    return frozenset(out), updates


def _builder_to_string(ref: MethodRef, args: list[frozenset[Value]], off: int) -> ModelOut:
    vs = _one(args[0])
    if vs is None:
        return None, None
    out = set()
    for v in vs:
        if v.kind != "concat":
            return None, None
        # A String is a snapshot: its own identity (the toString offset), so later appends
        # to the builder do not change it.
        out.add(Value("concat", v.data, off))
    return frozenset(out), None


# ---- numbers, Base64 ---------------------------------------------------------------------


def _parse_int(ref: MethodRef, args: list[frozenset[Value]], off: int) -> ModelOut:
    if len(args) != 1:
        return None, None
    bits = 64 if ref.class_desc == "Ljava/lang/Long;" else 32

    def parse(t: str) -> Value | None:
        try:
            n = int(t.strip(), 10)
        except ValueError:
            return None
        if not -(1 << (bits - 1)) <= n < (1 << (bits - 1)):
            return None
        return Value("const", n, off)

    if ref.proto.startswith("(Ljava/lang/String;)"):
        return _map_strings(args[0], parse, off), None
    if ref.name in ("valueOf", "intValue", "longValue", "booleanValue"):
        return args[0] or None, None  # boxing/unboxing keeps the number
    return None, None


def _base64_decode(ref: MethodRef, args: list[frozenset[Value]], off: int) -> ModelOut:
    if not args:
        return None, None

    def dec(raw: bytes) -> Value | None:
        cleaned = bytes(c for c in raw if c not in b" \t\r\n")
        cleaned = cleaned.replace(b"-", b"+").replace(b"_", b"/").rstrip(b"=")
        try:
            return Value("bytes", base64.b64decode(cleaned + b"=" * (-len(cleaned) % 4)), off)
        except (binascii.Error, ValueError):
            return None

    vs = _one(args[0])
    if vs is None:
        return None, None
    out = set()
    for v in vs:
        if v.kind == "bytes":
            got = dec(v.data)  # type: ignore[arg-type]
        else:
            t = v.text()
            got = None if t is None else dec(t.encode("ascii", "replace"))
        if got is None:
            return None, None
        out.add(got)
    return frozenset(out), None


def _to_char_array(ref: MethodRef, args: list[frozenset[Value]], off: int) -> ModelOut:
    def chars(t: str) -> Value | None:
        if len(t) > 4096:
            return None
        from .values import ArrayData

        return Value("array", ArrayData("[C", len(t), tuple(ord(c) for c in t)), off)

    return _map_strings(args[0], chars, off), None


MODELS: dict[tuple[str, str], Model] = {
    (STRING, "getBytes"): _get_bytes,
    (STRING, "toString"): _string_identity,
    (STRING, "intern"): _string_identity,
    (STRING, "trim"): _string_identity,
    (STRING, "concat"): _string_concat,
    (STRING, "valueOf"): _string_value_of,
    (STRING, "<init>"): _string_init,
    (STRING, "toCharArray"): _to_char_array,
    ("Ljava/lang/Integer;", "parseInt"): _parse_int,
    ("Ljava/lang/Integer;", "valueOf"): _parse_int,
    ("Ljava/lang/Integer;", "intValue"): _parse_int,
    ("Ljava/lang/Long;", "parseLong"): _parse_int,
    ("Ljava/lang/Long;", "valueOf"): _parse_int,
    ("Ljava/lang/Boolean;", "valueOf"): _parse_int,
    ("Ljava/lang/Boolean;", "booleanValue"): _parse_int,
    ("Landroid/util/Base64;", "decode"): _base64_decode,
}
for _b in BUILDERS:
    MODELS[(_b, "<init>")] = _builder_init
    MODELS[(_b, "append")] = _builder_append
    MODELS[(_b, "toString")] = _builder_to_string


def is_read_only(ref: MethodRef) -> bool:
    key = f"{ref.class_desc}->{ref.name}"
    return key.startswith(READ_ONLY_PREFIXES)
