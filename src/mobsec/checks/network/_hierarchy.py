"""Find the app's implementations of a framework callback (checkServerTrusted, verify, ...).

Query-driven: start from the framework type, walk down ``DexSet.subclasses`` (direct
subclasses and implementors, transitively, bounded) and look up the method by name and
proto in each class found. Never a walk over every class of the app.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from mobsec.ingest.dex import DexFile, DexSet, MethodDef
from mobsec.ingest.dex.classes import ClassDef

MAX_SUBTYPES = 5_000  # an app with more implementors of one interface is not real


class Override(NamedTuple):
    dex: DexFile
    class_def: ClassDef
    method: MethodDef


def subtypes(code: DexSet, roots: Iterable[str]) -> list[str]:
    """Every class/interface the app defines below ``roots`` (transitively, bounded)."""
    seen: set[str] = set()
    order: list[str] = []
    todo = list(roots)
    while todo and len(order) < MAX_SUBTYPES:
        desc = todo.pop()
        for sub in code.subclasses(desc):
            if sub not in seen:
                seen.add(sub)
                order.append(sub)
                todo.append(sub)
    return order


def overrides(
    code: DexSet, roots: Iterable[str], name: str, protos: Iterable[str]
) -> Iterator[Override]:
    """Methods ``name`` with one of ``protos`` defined (with code) by subtypes of ``roots``."""
    wanted = set(protos)
    for desc in subtypes(code, roots):
        found = code.find_class(desc)
        if found is None:
            continue
        dex, cls = found
        for m in cls.virtual_methods:
            if not m.code_off:
                continue
            ref = dex.method_ref(m.method_idx)
            if ref.name == name and ref.proto in wanted:
                yield Override(dex, cls, m)


def find_method(
    code: DexSet, class_desc: str, name: str, proto: str
) -> tuple[DexFile, MethodDef] | None:
    """The app's definition of ``class_desc->name proto`` (looking up superclasses)."""
    chain = [class_desc, *code.superclasses(class_desc)]
    for desc in chain:
        found = code.find_class(desc)
        if found is None:
            return None
        dex, cls = found
        for m in cls.methods:
            ref = dex.method_ref(m.method_idx)
            if ref.name == name and ref.proto == proto:
                return dex, m
    return None


def is_instantiated(code: DexSet, class_desc: str) -> bool:
    """True if some code of the app does ``new-instance`` of the class."""
    return any(site.opcode == 0x22 for site in code.type_refs(class_desc))
