"""All DEX files of an app, queried as one code base.

Android loads ``classes.dex``, ``classes2.dex``, ``classes3.dex``, ... in that order and
the first definition of a class wins; later duplicates are dead code (and sometimes a
trick to hide code from tools that take the last one). Queries by name are resolved per
file with the pools' binary search, so there is no global dict of every method.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

from mobsec.diagnostics import Diagnostics, FormatError
from mobsec.limits import DEFAULT_LIMITS, Limits

from .classes import ClassDef
from .dexfile import DexFile
from .header import container_sections, parse_header
from .index import Ref
from .pools import MethodRef
from .signatures import MethodSignatures

MAX_DUPLICATE_DIAGNOSTICS = 50
MAX_HIERARCHY_DEPTH = 256
_CLASSES_DEX = re.compile(r"^classes(\d*)\.dex$")


class CodeSite(NamedTuple):
    """One instruction that refers to what was asked for."""

    dex: DexFile
    caller: MethodRef
    caller_idx: int  # method_idx in ``dex``
    offset: int  # code units from the start of the caller's code
    opcode: int


def android_order(names: Iterable[str]) -> list[str]:
    """classes.dex, classes2.dex, ... first (numerically), other names after, as given."""
    names = list(names)
    primary = []
    other = []
    for n in names:
        m = _CLASSES_DEX.match(n.rsplit("/", 1)[-1]) if "/" not in n else None
        if m:
            primary.append((int(m.group(1) or 1), n))
        else:
            other.append(n)
    return [n for _, n in sorted(primary)] + other


def _parse_one(name: str, data: bytes, diags: Diagnostics, limits: Limits) -> list[DexFile]:
    try:
        first = parse_header(data, name, Diagnostics())
        starts = container_sections(data, first)
        out = []
        for i, start in enumerate(starts):
            label = name if len(starts) == 1 else f"{name}#{i}"
            out.append(DexFile.parse(data, label, diags, limits, section_off=start))
        return out
    except FormatError as exc:
        diags.error(
            exc.code,
            name,
            f"DEX file unreadable: {exc.en}",
            f"DEX 文件无法读取：{exc.zh}",
            **exc.detail,
        )
        return []


class DexSet:
    """The DEX files of one app in load order, with app-wide queries."""

    def __init__(self, dexes: list[DexFile], diags: Diagnostics) -> None:
        self.dexes = dexes
        self.diags = diags
        self._classes: dict[str, tuple[DexFile, ClassDef]] | None = None
        self._subclasses: dict[str, list[str]] | None = None
        self._signatures: MethodSignatures | None = None

    @classmethod
    def parse(
        cls,
        files: Iterable[tuple[str, bytes]],
        diags: Diagnostics,
        limits: Limits = DEFAULT_LIMITS,
        workers: int = 2,
    ) -> DexSet:
        """Parse (name, bytes) pairs, in Android's order, on ``workers`` threads."""
        by_name = dict(files)
        return cls.load(list(by_name), by_name.get, diags, limits, workers)

    @classmethod
    def load(
        cls,
        names: Iterable[str],
        read: Callable[[str], bytes | None],
        diags: Diagnostics,
        limits: Limits = DEFAULT_LIMITS,
        workers: int = 2,
    ) -> DexSet:
        """Read (``read(name)``) and parse each DEX in turn on ``workers`` threads.

        Only the bytes of files that parse are kept (the code index points into them), at
        most ``limits.max_total_dex`` in all; a file beyond that is reported, not loaded.
        """
        names = android_order(names)
        kept = [0]
        lock = threading.Lock()

        inflating = threading.Lock()

        def one(name: str) -> list[DexFile]:
            # One inflate at a time (inflating holds ~2x the file while its pieces are
            # joined); parsing, the longer part, still runs on every worker.
            with inflating:
                data = read(name)
            if data is None:
                return []
            with lock:
                over = kept[0] + len(data) > limits.max_total_dex
                if not over:
                    kept[0] += len(data)
            if over:
                diags.error(
                    "dex.total_limit",
                    name,
                    f"DEX file not loaded: the app's DEX files exceed {limits.max_total_dex} "
                    "bytes in all",
                    f"DEX 文件未加载：应用的 DEX 文件总大小超过 {limits.max_total_dex} 字节",
                    size=len(data),
                )
                return []
            parts = _parse_one(name, data, diags, limits)
            if not parts:
                with lock:
                    kept[0] -= len(data)
            return parts

        if workers > 1 and len(names) > 1:
            # The C core releases the GIL, so two threads use two cores.
            with ThreadPoolExecutor(max_workers=workers) as pool:
                parts = list(pool.map(one, names))
        else:
            parts = [one(n) for n in names]
        return cls([d for part in parts for d in part], diags)

    # ---- classes and hierarchy -----------------------------------------------------

    @property
    def classes(self) -> dict[str, tuple[DexFile, ClassDef]]:
        """Descriptor -> (file, class) of the definition Android would load."""
        if self._classes is None:
            winners: dict[str, tuple[DexFile, ClassDef]] = {}
            reported = 0
            for dex in self.dexes:
                for c in dex.classes:
                    first = winners.get(c.descriptor)
                    if first is None:
                        winners[c.descriptor] = (dex, c)
                        continue
                    if reported < MAX_DUPLICATE_DIAGNOSTICS:
                        reported += 1
                        self.diags.warning(
                            "dex.duplicate_class",
                            dex.name,
                            f"{c.descriptor} is also defined in {first[0].name}, which wins",
                            f"{c.descriptor} 也在 {first[0].name} 中定义，以后者为准",
                            descriptor=c.descriptor,
                            winner=first[0].name,
                        )
            self._classes = winners
        return self._classes

    @property
    def signatures(self) -> MethodSignatures:
        """Numbers for the (name, prototype) of every method id, the same in every file."""
        if self._signatures is None:
            self._signatures = MethodSignatures(self.dexes)
        return self._signatures

    def find_class(self, descriptor: str) -> tuple[DexFile, ClassDef] | None:
        return self.classes.get(descriptor)

    def superclasses(self, descriptor: str) -> list[str]:
        """The superclass chain as far as the app defines it (cycles cut)."""
        chain: list[str] = []
        seen = {descriptor}
        current = self.classes.get(descriptor)
        while current is not None and len(chain) < MAX_HIERARCHY_DEPTH:
            sup = current[1].superclass
            if sup is None or sup in seen:
                break
            chain.append(sup)
            seen.add(sup)
            current = self.classes.get(sup)
        return chain

    def subclasses(self, descriptor: str) -> list[str]:
        """Direct subclasses and implementors of ``descriptor`` defined in the app."""
        if self._subclasses is None:
            subs: dict[str, list[str]] = {}
            for desc, (_dex, c) in self.classes.items():
                if c.superclass:
                    subs.setdefault(c.superclass, []).append(desc)
                for iface in c.interfaces:
                    subs.setdefault(iface, []).append(desc)
            self._subclasses = subs
        return list(self._subclasses.get(descriptor, ()))

    def is_subtype(self, descriptor: str, ancestor: str) -> bool:
        """True if ``descriptor`` extends or implements ``ancestor`` (as far as known)."""
        todo = [descriptor]
        seen: set[str] = set()
        while todo and len(seen) < 10_000:
            d = todo.pop()
            if d == ancestor:
                return True
            if d in seen:
                continue
            seen.add(d)
            found = self.classes.get(d)
            if found is not None:
                c = found[1]
                if c.superclass:
                    todo.append(c.superclass)
                todo.extend(c.interfaces)
        return False

    # ---- code queries ------------------------------------------------------------------

    def sites_of(self, dex: DexFile, refs: list[Ref]) -> Iterator[CodeSite]:
        """The refs of ``dex`` as CodeSites, without those in dead code (a caller whose
        class lost to an earlier definition of the same name)."""
        classes = self.classes
        for r in refs:
            caller = dex.method_ref(r.caller)
            owner = classes.get(caller.class_desc)
            if owner is not None and owner[0] is not dex:
                continue  # the caller's class lost to an earlier definition: dead code
            yield CodeSite(dex, caller, r.caller, r.offset, r.opcode)

    def call_sites(
        self, class_desc: str, name: str | None = None, proto: str | None = None
    ) -> list[CodeSite]:
        """Every invoke of ``class_desc->name proto`` in the app."""
        out: list[CodeSite] = []
        for dex in self.dexes:
            for m in dex.pools.find_method_ids(class_desc, name, proto):
                out.extend(self.sites_of(dex, dex.call_sites(m)))
        return out

    def string_refs(self, text: str) -> list[CodeSite]:
        out: list[CodeSite] = []
        for dex in self.dexes:
            idx = dex.pools.find_string(text)
            if idx is not None:
                out.extend(self.sites_of(dex, dex.string_refs(idx)))
        return out

    def field_reads(
        self, class_desc: str, name: str | None = None, type_desc: str | None = None
    ) -> list[CodeSite]:
        out: list[CodeSite] = []
        for dex in self.dexes:
            for f in dex.pools.find_field_ids(class_desc, name, type_desc):
                out.extend(self.sites_of(dex, dex.field_reads(f)))
        return out

    def field_writes(
        self, class_desc: str, name: str | None = None, type_desc: str | None = None
    ) -> list[CodeSite]:
        out: list[CodeSite] = []
        for dex in self.dexes:
            for f in dex.pools.find_field_ids(class_desc, name, type_desc):
                out.extend(self.sites_of(dex, dex.field_writes(f)))
        return out

    def type_refs(self, descriptor: str) -> list[CodeSite]:
        """new-instance, const-class, check-cast, instance-of, new-array, filled-new-array."""
        out: list[CodeSite] = []
        for dex in self.dexes:
            t = dex.pools.find_type(descriptor)
            if t is not None:
                out.extend(self.sites_of(dex, dex.type_refs(t)))
        return out

    # ---- counts --------------------------------------------------------------------

    @property
    def class_count(self) -> int:
        return sum(len(d.classes) for d in self.dexes)

    @property
    def method_count(self) -> int:
        return sum(d.method_count for d in self.dexes)

    @property
    def instruction_count(self) -> int:
        return sum(d.instruction_count() for d in self.dexes)
