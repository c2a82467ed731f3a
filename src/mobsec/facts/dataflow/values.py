"""The abstract values a register can hold, and the small lattice they live in.

Why values and not strings: a check must know what *reaches* an API argument
(``Cipher.getInstance(x)``), not whether a string exists somewhere in the app. A
:class:`Value` says where a value came from (a constant, a parameter, the result of a call,
a field read, a StringBuilder chain, ...) and where it was produced, so a check can both
decide and cite evidence.

A register holds a ``frozenset[Value]`` (the values of all paths that reach a point). Sets
are capped at :data:`MAX_VALUES`; a larger set collapses to :data:`TOP` ("anything"), which
is what makes the fixpoint terminate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

MAX_VALUES = 8  # per register and program point; more collapses to TOP
MAX_PARTS = 32  # parts of one concat; a longer chain ends in an "unknown" part
MAX_ARRAY = 4096  # elements tracked for array contents; longer arrays have unknown content
MAX_DEPTH = 8  # nesting of concat parts inspected by helpers


class ArrayData(NamedTuple):
    """What is known about an array made by new-array / filled-new-array in this method."""

    type_desc: str  # "[B", "[C", "[Ljava/lang/String;", ...
    length: int | None
    contents: tuple[int, ...] | None  # None: written by code we do not model


@dataclass(frozen=True, slots=True)
class Value:
    """One possible value of a register.

    ``kind`` and ``data``:

    - ``"const"``: an int (const, const-wide, booleans as 0/1, ``null`` as 0; the literal
      bits, so floats stay raw — the API's parameter type says how to read them)
    - ``"string"``: ``str`` (const-string, or folded from constants: ``String.valueOf``...)
    - ``"bytes"``: ``bytes`` (byte array literal via fill-array-data, ``"..".getBytes()``,
      ``Base64.decode("..")``)
    - ``"array"``: :class:`ArrayData` (new-array of known length, zero-filled unless written)
    - ``"new"``: the type descriptor of a new-instance not modelled further
    - ``"result"``: the callee :class:`~mobsec.ingest.dex.MethodRef` of the invoke whose
      result this is (``offset`` is the call's offset)
    - ``"field"``: the :class:`~mobsec.ingest.dex.FieldRef` read by sget/iget
    - ``"param"``: the Java parameter index (0 = first declared parameter)
    - ``"this"``: the class descriptor of the method's receiver
    - ``"concat"``: ``tuple[Value, ...]`` of parts (StringBuilder chains, ``String.concat``,
      ``+``); constant parts are ``"string"`` values
    - ``"class"``: the type descriptor of a const-class
    - ``"unknown"``: ``None`` or a short reason (``"exception"``, ``"too-many"``, ...)

    ``offset`` is the code offset (16-bit units) where the value was produced, None for
    parameters and for TOP.
    """

    kind: str
    data: object
    offset: int | None = None

    def is_constant(self) -> bool:
        """True when the value is fully known without running the app."""
        return _is_constant(self, 0)

    def text(self) -> str | None:
        """The string this value stands for, when it is a constant string or concat of them."""
        return _text(self, 0)

    def mentions(self, other: Value) -> bool:
        """True if ``other`` is this value or one of its concat parts (transitively)."""
        return _mentions(self, other, 0)

    def __repr__(self) -> str:
        at = "" if self.offset is None else f"@{self.offset:04x}"
        return f"<{self.kind}{at} {self.data!r}>"


TOP_VALUE = Value("unknown", "too-many")
TOP: frozenset[Value] = frozenset((TOP_VALUE,))
EMPTY: frozenset[Value] = frozenset()


def unknown(offset: int | None, reason: str | None = None) -> frozenset[Value]:
    return frozenset((Value("unknown", reason, offset),))


def join(a: frozenset[Value], b: frozenset[Value]) -> frozenset[Value]:
    """Union capped at MAX_VALUES; TOP absorbs everything."""
    if a is b or not b:
        return a
    if not a:
        return b
    if TOP_VALUE in a or TOP_VALUE in b:
        return TOP
    u = a | b
    return TOP if len(u) > MAX_VALUES else u


def _is_constant(v: Value, depth: int) -> bool:
    k = v.kind
    if k in ("const", "string", "bytes", "class"):
        return True
    if k == "array":
        return v.data.contents is not None  # type: ignore[union-attr]
    if k == "concat" and depth < MAX_DEPTH:
        return all(_is_constant(p, depth + 1) for p in v.data)  # type: ignore[union-attr]
    return False


def _text(v: Value, depth: int) -> str | None:
    if v.kind == "string":
        return v.data  # type: ignore[return-value]
    if v.kind == "concat" and depth < MAX_DEPTH:
        out = []
        for p in v.data:  # type: ignore[union-attr]
            t = _text(p, depth + 1)
            if t is None:
                return None
            out.append(t)
        return "".join(out)
    return None


def _mentions(v: Value, other: Value, depth: int) -> bool:
    if v == other:
        return True
    if v.kind == "concat" and depth < MAX_DEPTH:
        return any(_mentions(p, other, depth + 1) for p in v.data)  # type: ignore[union-attr]
    return False


def string_constants(values: Iterable[Value]) -> frozenset[str]:
    """The concrete strings among ``values`` (const-strings and concats of constants)."""
    out = set()
    for v in values:
        t = v.text()
        if t is not None:
            out.add(t)
    return frozenset(out)
