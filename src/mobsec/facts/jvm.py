"""Facts about the class files of an Android SDK (AAR/JAR), in the terms the DEX facts use.

Call sites are found the way :mod:`mobsec.facts.calls` finds them in DEX: by method name,
filtered by the receiver's static type through the app and framework hierarchy (the same
:class:`~mobsec.facts.hierarchy.TypeHierarchy`, fed by the classes of the JARs). What an
SDK reads (the PI catalog), which hosts it names and which of its methods a host app can
call (public/protected methods of public classes: an SDK has no components to start from)
are computed here once and shown in the report's SDK sections.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from mobsec.facts.hierarchy import FrameworkHierarchy, TypeHierarchy
from mobsec.facts.privacy.catalog import PiSource, load_pi_catalog
from mobsec.ingest.jvm import ClassInfo, JvmCode, MethodInfo
from mobsec.ingest.jvm.bytecode import FIELD_READ, INVOKE, INVOKESPECIAL, INVOKESTATIC, STRING, Insn
from mobsec.ingest.jvm.classfile import ACC_PRIVATE, ACC_PROTECTED, ACC_PUBLIC, MemberRef

OBJECT = "Ljava/lang/Object;"
MethodKey = tuple[str, str, str]  # (class descriptor, name, JVM descriptor)
_URL = re.compile(r"\b(?:https?|wss?)://[^\s\"'<>\\^`{|}]{3,2000}", re.I)
MAX_SITES_SHOWN = 5


@dataclass(frozen=True, slots=True)
class JvmSite:
    """One instruction of one method, with the class file it is in."""

    file: str
    cls: ClassInfo
    method: MethodInfo
    insn: Insn

    @property
    def line(self) -> int | None:
        return self.method.line_at(self.insn.offset)

    def where(self) -> str:
        name = self.cls.name[1:-1].replace("/", ".")
        line = self.line
        src = self.cls.source_file
        at = f" ({src}:{line})" if src and line is not None else ""
        return f"{name}.{self.method.name}{at}"


class JvmFacts:
    """Facts of one SDK's class files, computed lazily and once."""

    def __init__(self, code: JvmCode) -> None:
        self.code = code

    @cached_property
    def hierarchy(self) -> TypeHierarchy:
        return TypeHierarchy(self.code, FrameworkHierarchy.load())  # type: ignore[arg-type]

    def sites(self) -> Iterator[JvmSite]:
        for file, cls in self.code.classes.values():
            for m in cls.methods:
                for insn in m.code:
                    yield JvmSite(file, cls, m, insn)

    @cached_property
    def _by_name(self) -> dict[tuple[str, str], list[JvmSite]]:
        """(kind, member name) → sites: one pass, then every question is a dict lookup."""
        out: dict[tuple[str, str], list[JvmSite]] = {}
        for s in self.sites():
            t = s.insn.target
            if isinstance(t, MemberRef):
                out.setdefault((s.insn.kind, t.name), []).append(s)
        return out

    def calls_of(self, class_desc: str, name: str, *, exact: bool = False) -> list[JvmSite]:
        """Invokes of ``class_desc.name``; unless ``exact``, through the receiver's subtypes
        (javac names the static receiver type), as :meth:`CallIndex.of` does for DEX."""
        exact = exact or name == "<init>"
        out = []
        for s in self._by_name.get((INVOKE, name), []):
            owner = s.insn.target.owner  # type: ignore[union-attr]
            if owner == class_desc or (not exact and self.hierarchy.is_subtype(owner, class_desc)):
                out.append(s)
        return out

    def field_reads_of(self, class_desc: str, name: str) -> list[JvmSite]:
        return [
            s
            for s in self._by_name.get((FIELD_READ, name), [])
            if s.insn.target.owner == class_desc  # type: ignore[union-attr]
        ]

    @cached_property
    def strings(self) -> list[JvmSite]:
        """Every string constant loaded by code (``ldc``), with where it is loaded."""
        return [s for s in self.sites() if s.insn.kind == STRING]

    def field_constants(self) -> Iterator[tuple[str, str]]:
        """(class file, text) of ``static final String`` constants (inlined by javac, so
        often never loaded by an ``ldc`` of this class)."""
        for file, cls in self.code.classes.values():
            for f in cls.fields:
                if isinstance(f.constant, str):
                    yield file, f.constant

    @cached_property
    def urls(self) -> list[tuple[str, str]]:
        """(url, where) for every URL in the code's strings and string constants."""
        texts = [(s.insn.target, s.where()) for s in self.strings]
        texts += [(t, f) for f, t in self.field_constants()]
        out: list[tuple[str, str]] = []
        for text, where in texts:
            assert isinstance(text, str)
            for m in _URL.finditer(text):
                out.append((m.group(0).rstrip(".,;)"), where))
        return out

    def hosts(self) -> dict[str, list[str]]:
        """host → the URLs naming it (first few), in first-seen order."""
        out: dict[str, list[str]] = {}
        for url, _ in self.urls:
            try:
                host = urlsplit(url).hostname
            except ValueError:
                continue
            if host and "." in host and "%" not in host:
                urls = out.setdefault(host, [])
                if url not in urls and len(urls) < MAX_SITES_SHOWN:
                    urls.append(url)
        return out

    @cached_property
    def pi_reads(self) -> list[tuple[PiSource, list[JvmSite]]]:
        """The PI catalog's sources this code uses, with their call/read sites."""
        out = []
        for src in load_pi_catalog().sources:
            found = self._pi_sites(src)
            if found:
                out.append((src, found))
        return out

    def _pi_sites(self, src: PiSource) -> list[JvmSite]:
        if src.kind == "method":
            sites = self.calls_of(src.class_desc, src.method)
            if src.argument_index is not None and src.argument_equals is not None:
                i = src.argument_index
                sites = [
                    s
                    for s in sites
                    if i < len(s.insn.args) and s.insn.args[i] == src.argument_equals
                ]
            return sites
        if src.kind == "field":
            return self.field_reads_of(src.class_desc, src.field)
        if src.kind == "callback-param":
            out = []
            for desc in self.hierarchy.app_subtypes([src.class_desc]):
                file, cls = self.code.classes[desc]
                for m in cls.methods:
                    if m.name == src.method:
                        out.append(JvmSite(file, cls, m, Insn(0, 0, "callback", m.name)))
            return out
        if src.kind == "content-uri":
            out = (
                [
                    s
                    for s in self.strings
                    if isinstance(s.insn.target, str) and s.insn.target.startswith(src.uri_prefixes)
                ]
                if src.uri_prefixes
                else []
            )
            for cls_desc, name in src.uri_fields:
                out += self.field_reads_of(cls_desc, name)
            return out
        return []

    def entry_points(self) -> list[str]:
        """Public and protected methods of public classes: what a host app can call."""
        out = []
        for _, cls in self.code.classes.values():
            if not cls.access & ACC_PUBLIC:
                continue
            for m in cls.methods:
                if m.access & (ACC_PUBLIC | ACC_PROTECTED) and m.name != "<clinit>":
                    out.append(f"{cls.name}->{m.name}{m.desc}")
        return out

    def _roots(self) -> Iterator[MethodKey]:
        """Where SDK code starts: its public API, the framework's calls into it (methods of
        classes below a framework type: callbacks, components), static initialisers and
        lambda bodies (invokedynamic targets, not followed here)."""
        classes = self.code.classes
        for desc, (_, cls) in classes.items():
            api = bool(cls.access & ACC_PUBLIC)
            outside = any(a not in classes and a != OBJECT for a in self.hierarchy.ancestors(desc))
            for m in cls.methods:
                if (
                    (api and m.access & (ACC_PUBLIC | ACC_PROTECTED))
                    or (outside and not m.access & ACC_PRIVATE)
                    or m.name == "<clinit>"
                    or m.name.startswith("lambda$")
                ):
                    yield desc, m.name, m.desc

    def _declared(self, owner: str, name: str, desc: str) -> MethodKey | None:
        """The SDK method an invoke of ``owner.name desc`` runs, looked up the superclasses."""
        seen = 0
        while owner in self.code.classes and seen < 64:
            cls = self.code.classes[owner][1]
            if any(m.name == name and m.desc == desc for m in cls.methods):
                return owner, name, desc
            if cls.superclass is None:
                return None
            owner, seen = cls.superclass, seen + 1
        return None

    @cached_property
    def reachable(self) -> set[MethodKey]:
        """Methods of the SDK reachable from its roots over its own invokes (virtual calls
        also reach the overrides in subclasses)."""
        classes = self.code.classes
        methods = {(d, m.name, m.desc): m for d, (_, c) in classes.items() for m in c.methods}
        seen = set(k for k in self._roots() if k in methods)
        todo = list(seen)
        while todo:
            for insn in methods[todo.pop()].code:
                if insn.kind != INVOKE:
                    continue
                t = insn.target
                assert isinstance(t, MemberRef)
                found = [self._declared(t.owner, t.name, t.desc)]
                if insn.opcode not in (INVOKESTATIC, INVOKESPECIAL):
                    found += [
                        (sub, t.name, t.desc)
                        for sub in self.hierarchy.subtypes(t.owner)[1:]
                        if (sub, t.name, t.desc) in methods
                    ]
                for k in found:
                    if k is not None and k not in seen:
                        seen.add(k)
                        todo.append(k)
        return seen

    def is_reachable(self, site: JvmSite) -> bool:
        return (site.cls.name, site.method.name, site.method.desc) in self.reachable

    def summary(self) -> dict[str, Any]:
        classes = [c for _, c in self.code.classes.values()]
        versions = sorted({c.version[0] for c in classes})
        return {
            "jars": self.code.jars,
            "classes": len(classes),
            "methods": sum(len(c.methods) for c in classes),
            "instructions_kept": sum(len(m.code) for c in classes for m in c.methods),
            "class_file_versions": versions,
            "with_source_file": sum(1 for c in classes if c.source_file),
            "entry_points": len(self.entry_points()),
        }
