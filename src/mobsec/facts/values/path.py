"""A resolved value and the path it took: where it was made, what carried it, where it is used.

A tester signs a finding such as "hard-coded key" only if the report shows *why* the value
is constant when it crosses methods: ``made in Keys.<clinit> @0004 -> stored in field
Keys.KEY -> passed by Main.onCreate @0012 -> used here``. :class:`Reached` keeps the steps
from the use back to the definition; :func:`describe_path` prints them definition first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from mobsec.facts.dataflow import Value
from mobsec.ingest.dex import DexFile, MethodRef

MAX_SHOWN_STEPS = 6
WHAT_ZH = {"hex decoded": "十六进制解码"}


@dataclass(frozen=True, slots=True)
class Step:
    """One hop of a value between methods.

    ``kind``: ``"argument"`` (``method`` passed it as an argument at ``offset``),
    ``"field"`` (``method`` stored it in field ``what`` at ``offset``), ``"return"``
    (``method`` returned it at ``offset``).
    """

    kind: str
    method: MethodRef
    offset: int | None
    what: str = ""


@dataclass(frozen=True, slots=True)
class Reached:
    """One value that can reach a use, with the steps it took (use first) and the method
    whose code made it (``origin``; None when unknown)."""

    value: Value
    origin: MethodRef | None = None
    steps: tuple[Step, ...] = ()
    # The method whose analysis holds ``value`` (its DEX and method_idx), to look further
    # at how a non-constant value was made (an EditText's text, an Intent extra...).
    made_in: tuple[DexFile, int] | None = field(default=None, compare=False)

    @property
    def constant(self) -> bool:
        return self.value.is_constant()

    @property
    def via(self) -> MethodRef | None:
        """The caller that passed the value into the method of the use, if it came that way."""
        for s in self.steps:
            if s.kind == "argument":
                return s.method
        return None

    def behind(self, step: Step) -> Reached:
        """This value seen one step further from the use."""
        return Reached(self.value, self.origin, (step, *self.steps), self.made_in)

    def to_json(self) -> dict:
        return {
            "made_in": str(self.origin) if self.origin else None,
            "made_at": self.value.offset,
            "steps": [
                {"kind": s.kind, "method": str(s.method), "offset": s.offset, "what": s.what}
                for s in self.steps
            ],
        }


def java_method(ref: MethodRef) -> str:
    cls = ref.class_desc[1:-1].replace("/", ".") if ref.class_desc.startswith("L") else ""
    return f"{cls}.{ref.name}"


def shown_offset(dex: DexFile, method_idx: int, offset: int | None) -> int | None:
    """The offset a reader looks up: a method translated from a class file (an SDK, see
    :mod:`mobsec.ingest.jvm.todex`) is shown at its JVM bytecode offset."""
    origins = getattr(dex, "origins", None)
    origin = origins.get(method_idx) if origins is not None and offset is not None else None
    return origin.translated.jvm_pc(offset) if origin is not None else offset


def _at(offset: int | None) -> str:
    return "" if offset is None else f" @{offset:04x}"


def describe_path(r: Reached) -> tuple[str, str]:
    """(en, zh) of the path, definition first; empty when the value was made at the use."""
    if not r.steps:
        return "", ""
    en: list[str] = []
    zh: list[str] = []
    if r.origin is not None:
        made = r.value.offset
        if r.made_in is not None:
            made = shown_offset(r.made_in[0], r.made_in[1], made)
        en.append(f"made in {java_method(r.origin)}{_at(made)}")
        zh.append(f"产生于 {java_method(r.origin)}{_at(made)}")
    steps = list(reversed(r.steps))
    if len(steps) > MAX_SHOWN_STEPS:
        steps = steps[: MAX_SHOWN_STEPS - 1] + steps[-1:]
    for s in steps:
        where = f"{java_method(s.method)}{_at(s.offset)}"
        if s.kind == "field":
            en.append(f"stored in field {s.what} by {where}")
            zh.append(f"由 {where} 存入字段 {s.what}")
        elif s.kind == "map":
            en.append(f'put in a map under key "{s.what}" by {where}')
            zh.append(f'由 {where} 以键 "{s.what}" 放入映射表')
        elif s.kind == "return":
            en.append(f"returned by {where}" + (f" ({s.what})" if s.what else ""))
            zh.append(f"由 {where} 返回" + (f"({WHAT_ZH.get(s.what, s.what)})" if s.what else ""))
        else:
            en.append(f"passed by {where}")
            zh.append(f"由 {where} 作为参数传入")
    return " -> ".join(en), " -> ".join(zh)


def provenance(r: Reached) -> str:
    """' (made in X.<clinit> -> stored in field ... -> passed by Y.m)' for a message."""
    en, _zh = describe_path(r)
    return f" ({en})" if en else ""


def provenance_zh(r: Reached) -> str:
    _en, zh = describe_path(r)
    return f"({zh})" if zh else ""


# ---- reading resolved values ---------------------------------------------------------------


def texts(reached: Iterable[Reached]) -> list[tuple[str, Reached]]:
    """The constant strings among ``reached``."""
    out = []
    for r in reached:
        t = r.value.text()
        if t is not None:
            out.append((t, r))
    return out


def constant_bytes(r: Reached) -> bytes | None:
    """The contents of a byte/char array known without running the app."""
    v = r.value
    if v.kind == "bytes":
        return bytes(v.data)  # type: ignore[arg-type]
    if v.kind == "array":
        contents = v.data.contents  # type: ignore[union-attr]
        if contents is not None:
            return bytes(c & 0xFF for c in contents)
    return None


def integers(reached: Iterable[Reached]) -> list[tuple[int, Reached]]:
    """The constant ints among ``reached`` (signed 32-bit)."""
    out = []
    for r in reached:
        v = r.value
        if v.kind == "const" and isinstance(v.data, int):
            n = v.data & 0xFFFFFFFF
            out.append((n - (1 << 32) if n >> 31 else n, r))
    return out


def is_null(r: Reached) -> bool:
    """A ``null`` literal (const/4 vX, 0 used as an object reference)."""
    return r.value.kind == "const" and r.value.data == 0
