"""Method lookup and call resolution by class hierarchy analysis (CHA) over app classes.

Why CHA: it needs no points-to analysis and is sound for the app's own classes; a virtual
call on ``Runnable.run`` or on an app type reaches every app override. The number of
targets per call is capped (a call on ``Object.toString`` would otherwise reach every
class), and library classes (see :func:`.lifecycle.is_library_class`) are never entered.
"""

from __future__ import annotations

from collections.abc import Callable

from mobsec.ingest.dex import DexFile, DexSet, MethodDef, MethodRef
from mobsec.ingest.dex.classes import ACC_ABSTRACT, ACC_NATIVE

from .lifecycle import is_library_class

MAX_TARGETS = 24
MAX_SUBTYPES = 2000
STATIC_OR_DIRECT = frozenset((0x70, 0x71, 0x76, 0x77))
SUPER = frozenset((0x6F, 0x75))

MethodKey = str  # str(MethodRef): "Lcom/x/A;->m(I)V"


class CallGraph:
    def __init__(self, code: DexSet, analysed: Callable[[str], bool] | None = None) -> None:
        self.code = code
        # Which classes' code the analysis enters (others are treated as library code).
        self.analysed = analysed or (lambda desc: not is_library_class(desc))
        self._members: dict[str, dict[tuple[str, str], tuple[DexFile, MethodDef]]] = {}
        self._subtypes: dict[str, list[str]] = {}
        self._resolved: dict[tuple[int, MethodRef], tuple[MethodKey, ...]] = {}
        self.defs: dict[MethodKey, tuple[DexFile, MethodDef]] = {}
        self._framework: dict[str, str] = {}
        # the superclass chains define() walks (the DexSet does not keep them): a virtual
        # call walks the chain of every subtype
        self._chains: dict[str, tuple[str, ...]] = {}

    def members(self, desc: str) -> dict[tuple[str, str], tuple[DexFile, MethodDef]]:
        """(name, proto) -> definition, for the methods the class itself defines."""
        got = self._members.get(desc)
        if got is None:
            got = {}
            found = self.code.find_class(desc)
            if found is not None and self.analysed(desc):
                dex, cls = found
                for m in cls.methods:
                    ref = dex.method_ref(m.method_idx)
                    got[(ref.name, ref.proto)] = (dex, m)
            self._members[desc] = got
        return got

    def define(self, desc: str, name: str, proto: str) -> MethodKey | None:
        """The app method that a call to ``desc->name proto`` runs (walking up superclasses)."""
        chain = self._chains.get(desc)
        if chain is None:
            chain = self._chains[desc] = (desc, *self.code.superclasses(desc))
        known = self._members  # (members() inlined: a virtual call walks many chains)
        sig = (name, proto)
        for d in chain:
            defined = known.get(d)
            if defined is None:
                defined = self.members(d)
            hit = defined.get(sig)
            if hit is not None:
                _dex, m = hit
                if not m.code_off or m.access_flags & (ACC_ABSTRACT | ACC_NATIVE):
                    return None
                key = f"{d}->{name}{proto}"
                self.defs[key] = hit
                return key
        return None

    def subtypes(self, desc: str) -> list[str]:
        """``desc`` and every app class that extends or implements it (transitively)."""
        got = self._subtypes.get(desc)
        if got is None:
            out: list[str] = []
            seen = {desc}
            todo = [desc]
            while todo and len(out) < MAX_SUBTYPES:
                d = todo.pop()
                out.append(d)
                for s in self.code.subclasses(d):
                    if s not in seen:
                        seen.add(s)
                        todo.append(s)
            got = self._subtypes[desc] = out
        return got

    def resolve(self, opcode: int, ref: MethodRef) -> tuple[MethodKey, ...]:
        """App methods an invoke may run; empty when only library code runs."""
        key = (opcode, ref)
        got = self._resolved.get(key)
        if got is not None:
            return got
        targets: list[MethodKey] = []
        if opcode in STATIC_OR_DIRECT or opcode in SUPER:
            t = self.define(ref.class_desc, ref.name, ref.proto)
            if t is not None:
                targets.append(t)
        else:
            seen: set[str] = set()
            for d in self.subtypes(ref.class_desc):
                t = self.define(d, ref.name, ref.proto)
                if t is not None and t not in seen:
                    seen.add(t)
                    targets.append(t)
                    if len(targets) >= MAX_TARGETS:
                        break
        got = self._resolved[key] = tuple(targets)
        return got

    def framework_class(self, desc: str) -> str:
        """The first ancestor of ``desc`` the app does not define (``desc`` if it is one)."""
        got = self._framework.get(desc)
        if got is None:
            got = desc
            if self.code.find_class(desc) is not None:
                chain = self.code.superclasses(desc)
                got = next((d for d in chain if self.code.find_class(d) is None), desc)
                if got == desc and chain:
                    got = chain[-1]
            self._framework[desc] = got
        return got

    def lookup(self, key: MethodKey) -> tuple[DexFile, MethodDef] | None:
        got = self.defs.get(key)
        if got is None:
            cls, rest = key.split("->", 1)
            name, proto = rest[: rest.index("(")], rest[rest.index("(") :]
            if self.define(cls, name, proto) is None:
                return None
            got = self.defs.get(key)
        return got
