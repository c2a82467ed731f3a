"""Who collects what: for each PI type, where the app reads it and whose code does.

Query-driven, like the checks: for every catalogued source (:mod:`.catalog`) ask the code
index for its call sites / field reads / URI constants, then attribute each place to its
owner (the app or which SDK, :mod:`mobsec.facts.owners`). Nothing walks every instruction
of the app in Python.

* ``method`` sources: ``DexSet.call_sites``. Argument-sensitive ones (Android ID) keep a
  call only when data flow shows the constant reaching the argument.
* ``field`` sources: static field reads.
* ``callback-param`` sources: app classes implementing the callback interface/class that
  override the method (the framework calls them with the PI).
* ``content-uri`` sources: const-strings starting with a catalogued URI prefix and reads
  of the ``CONTENT_URI`` fields; high confidence when the same method also queries a
  content resolver, medium otherwise (the URI may be handed to another method).

Per collector (the app, an SDK, an unknown library) the record also lists the http(s)
hosts whose URLs appear as constants in that collector's code: the likely destinations,
for a reviewer. Where the data actually flows is the taint engine's part
(:mod:`mobsec.facts.taint`); :attr:`PiAccess.flows` is left for it to fill.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mobsec.diagnostics import FormatError
from mobsec.facts.dataflow import method_flow
from mobsec.facts.owners import Owner
from mobsec.facts.privacy._strings import strings_with_prefix
from mobsec.facts.privacy.catalog import PiCatalog, PiSource, load_pi_catalog
from mobsec.ingest.dex import CodeSite, DexFile, DexSet
from mobsec.ingest.dex.index import Ref

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts
    from mobsec.facts.taint.model import Leak

MAX_ACCESSES_PER_SOURCE = 500  # enough to show a pattern; bounded for huge apps
MAX_HOSTS_PER_COLLECTOR = 50
CALLBACK_OFFSET = 0  # a callback source is the method's entry
QUERY_APIS = (
    ("Landroid/content/ContentResolver;", "query"),
    ("Landroid/content/ContentProviderClient;", "query"),
    ("Landroid/content/CursorLoader;", "<init>"),
    ("Landroidx/loader/content/CursorLoader;", "<init>"),
    ("Landroid/support/v4/content/CursorLoader;", "<init>"),
)


@dataclass(slots=True)
class PiAccess:
    """One place in the code that reads (or opens access to) PI."""

    source: PiSource
    site: CodeSite
    owner: Owner
    how: str  # call | field-read | callback | uri-string | uri-field
    confidence: str = "high"  # high | medium | low (from the source or the URI's use)
    detail: str = ""  # the URI for content-uri sources
    flows: list[dict[str, Any]] = field(default_factory=list)  # filled by the taint engine

    @property
    def collector(self) -> str:
        return collector_key(self.owner)

    def to_json(self) -> dict[str, Any]:
        ref = self.site.caller
        return {
            "source": self.source.id,
            "how": self.how,
            "confidence": self.confidence,
            "detail": self.detail or None,
            "file": self.site.dex.name,
            "class": _java(ref.class_desc),
            "method": f"{ref.name}{ref.proto}",
            "offset": self.site.offset,
            "owner": self.owner.to_json(),
            "flows": self.flows,
        }


@dataclass(slots=True)
class Collector:
    """The app, one SDK, or one unknown library, as a reader of PI."""

    key: str  # "app", "sdk:<id>", "unknown-third-party:<package>", "unknown"
    owner: Owner
    pi_types: set[str] = field(default_factory=set)
    hosts: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        sdk = self.owner.sdk
        return {
            "key": self.key,
            "kind": self.owner.kind,
            "sdk": sdk.id if sdk else None,
            "sdk_name": dict(sdk.name) if sdk else None,
            "vendor": dict(sdk.vendor) if sdk else None,
            "package": self.owner.package or None,
            "pi_types": sorted(self.pi_types),
            "hosts": self.hosts,
        }


@dataclass(slots=True)
class PiTypeUse:
    """Everything observed about one PI type."""

    pi_type: str
    accesses: list[PiAccess] = field(default_factory=list)
    permissions_needed: list[str] = field(default_factory=list)
    permissions_declared: list[str] = field(default_factory=list)

    @property
    def collectors(self) -> list[str]:
        return sorted({a.collector for a in self.accesses})

    @property
    def by_app(self) -> bool:
        return any(a.owner.kind == "app" for a in self.accesses)


@dataclass(slots=True)
class PiCollection:
    catalog: PiCatalog
    uses: dict[str, PiTypeUse]  # PI type -> use, only types with at least one access
    collectors: dict[str, Collector]
    declared_permissions: frozenset[str]

    def accesses(self) -> Iterator[PiAccess]:
        for use in self.uses.values():
            yield from use.accesses

    def permission_pi_types(self) -> dict[str, tuple[str, ...]]:
        """Declared permissions that guard PI, with the PI types they open."""
        return {
            p: self.catalog.permission_types[p]
            for p in sorted(self.declared_permissions)
            if p in self.catalog.permission_types
        }

    def to_json(self) -> dict[str, Any]:
        types = []
        for tid, use in sorted(self.uses.items()):
            t = self.catalog.types[tid]
            types.append(
                {
                    **t.to_json(),
                    "collectors": use.collectors,
                    "by_app": use.by_app,
                    "permissions_needed": use.permissions_needed,
                    "permissions_declared": use.permissions_declared,
                    "accesses": [a.to_json() for a in use.accesses],
                }
            )
        return {
            "catalog_version": self.catalog.version,
            "pi_types": types,
            "collectors": [c.to_json() for _, c in sorted(self.collectors.items())],
            "permissions": [
                {"permission": p, "pi_types": list(t)}
                for p, t in self.permission_pi_types().items()
            ],
        }


def collector_key(owner: Owner) -> str:
    if owner.kind == "sdk" and owner.sdk is not None:
        return f"sdk:{owner.sdk.id}"
    if owner.kind == "unknown-third-party":
        return f"unknown-third-party:{owner.package}"
    return owner.kind


def collect_pi(facts: AppFacts, catalog: PiCatalog | None = None) -> PiCollection:
    catalog = catalog or load_pi_catalog()
    code = facts.code
    m = facts.manifest
    declared = frozenset(m.permission_names()) if m is not None else frozenset()
    uses: dict[str, PiTypeUse] = {}
    collectors: dict[str, Collector] = {}
    for source in catalog.sources:
        found = list(_accesses(code, facts, source))[:MAX_ACCESSES_PER_SOURCE]
        if not found:
            continue
        use = uses.setdefault(source.pi_type, PiTypeUse(source.pi_type))
        use.accesses.extend(found)
        for p in source.permissions:
            if p.name not in use.permissions_needed:
                use.permissions_needed.append(p.name)
            if p.name in declared and p.name not in use.permissions_declared:
                use.permissions_declared.append(p.name)
        for a in found:
            c = collectors.setdefault(a.collector, Collector(a.collector, a.owner))
            c.pi_types.add(source.pi_type)
    _attach_hosts(code, facts, collectors)
    return PiCollection(catalog, uses, collectors, declared)


# -- per source kind -------------------------------------------------------------------------


def _accesses(code: DexSet, facts: AppFacts, s: PiSource) -> Iterator[PiAccess]:
    owner_of = facts.owners.owner_of
    if s.kind == "method":
        for site in code.call_sites(s.class_desc, s.method, s.proto_or_none):
            if s.argument_index is not None and not _argument_is(site, s):
                continue
            yield PiAccess(s, site, owner_of(site.caller.class_desc), "call", s.confidence)
    elif s.kind == "field":
        for site in code.field_reads(s.class_desc, s.field):
            yield PiAccess(s, site, owner_of(site.caller.class_desc), "field-read")
    elif s.kind == "callback-param":
        yield from _callbacks(code, facts, s)
    elif s.kind == "content-uri":
        yield from _uri_accesses(code, facts, s)


def _argument_is(site: CodeSite, s: PiSource) -> bool:
    """Whether data flow shows ``s.argument_equals`` reaching the argument (static call)."""
    method = site.dex.method_by_idx(site.caller_idx)
    if method is None:
        return False
    try:
        flow = method_flow(site.dex, method)
    except FormatError:
        return False
    if flow is None:
        return False
    args = flow.args_at(site.offset)
    assert s.argument_index is not None
    if s.argument_index >= len(args):
        return False
    return any(v.kind == "string" and v.data == s.argument_equals for v in args[s.argument_index])


def _callbacks(code: DexSet, facts: AppFacts, s: PiSource) -> Iterator[PiAccess]:
    """App classes that override the callback: the framework hands them the PI."""
    todo = code.subclasses(s.class_desc)
    seen: set[str] = set()
    while todo and len(seen) < 10_000:
        desc = todo.pop()
        if desc in seen:
            continue
        seen.add(desc)
        todo.extend(code.subclasses(desc))
        hit = code.find_class(desc)
        if hit is None:
            continue
        dex, cls = hit
        for mdef in cls.methods:
            ref = dex.method_ref(mdef.method_idx)
            if ref.name != s.method or (s.proto_or_none and ref.proto != s.proto):
                continue
            if dex.code_item(mdef) is None:
                continue  # abstract: nothing runs here
            site = CodeSite(dex, ref, mdef.method_idx, CALLBACK_OFFSET, -1)
            yield PiAccess(s, site, facts.owners.owner_of(desc), "callback")


def _uri_accesses(code: DexSet, facts: AppFacts, s: PiSource) -> Iterator[PiAccess]:
    owner_of = facts.owners.owner_of
    classes = code.classes
    for dex in code.dexes:
        query_ids = _query_method_ids(dex)
        for prefix in s.uri_prefixes:
            for sidx, text in strings_with_prefix(dex, prefix):
                rest = text[len(prefix) : len(prefix) + 1]
                if rest not in ("", "/", "?", "#"):
                    continue  # content://smsbackup is not content://sms
                for ref in dex.string_refs(sidx):
                    site = _site(dex, ref, classes)
                    if site is not None:
                        conf = _queried(dex, ref.caller, query_ids)
                        yield PiAccess(
                            s, site, owner_of(site.caller.class_desc), "uri-string", conf, text
                        )
        for cls, name in s.uri_fields:
            for fid in dex.pools.find_field_ids(cls, name):
                for ref in dex.field_reads(fid):
                    site = _site(dex, ref, classes)
                    if site is not None:
                        conf = _queried(dex, ref.caller, query_ids)
                        detail = f"{cls}->{name}"
                        yield PiAccess(
                            s, site, owner_of(site.caller.class_desc), "uri-field", conf, detail
                        )


def _query_method_ids(dex: DexFile) -> frozenset[int]:
    out: set[int] = set()
    for cls, name in QUERY_APIS:
        out.update(dex.pools.find_method_ids(cls, name))
    return frozenset(out)


def _queried(dex: DexFile, method_idx: int, query_ids: frozenset[int]) -> str:
    if query_ids and any(r.target in query_ids for r in dex.invokes_in(method_idx)):
        return "high"
    return "medium"


def _site(dex: DexFile, ref: Ref, classes: dict[str, Any]) -> CodeSite | None:
    caller = dex.method_ref(ref.caller)
    winner = classes.get(caller.class_desc)
    if winner is not None and winner[0] is not dex:
        return None  # the class lost to an earlier definition: dead code
    return CodeSite(dex, caller, ref.caller, ref.offset, ref.opcode)


# -- hosts per collector ---------------------------------------------------------------------


def _attach_hosts(code: DexSet, facts: AppFacts, collectors: dict[str, Collector]) -> None:
    """http(s) hosts in constant strings of each collector's own code."""
    if not collectors:
        return
    owner_of = facts.owners.owner_of
    classes = code.classes
    found: dict[str, dict[str, None]] = {k: {} for k in collectors}
    for dex in code.dexes:
        for prefix in ("http://", "https://"):
            for sidx, text in strings_with_prefix(dex, prefix):
                host = url_host(text)
                if not host:
                    continue
                for ref in dex.string_refs(sidx):
                    site = _site(dex, ref, classes)
                    if site is None:
                        continue
                    key = collector_key(owner_of(site.caller.class_desc))
                    hosts = found.get(key)
                    if hosts is not None and len(hosts) < MAX_HOSTS_PER_COLLECTOR:
                        hosts[host] = None
    for key, hosts in found.items():
        collectors[key].hosts = sorted(hosts)


def url_host(text: str) -> str:
    """The host of an absolute http(s) URL constant, lower-cased; "" when there is none."""
    if len(text) > 2048 or any(c.isspace() for c in text):
        return ""
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    if not host or "." not in host or "%" in host or "{" in host:
        return ""
    return host


def _java(desc: str) -> str:
    return desc[1:-1].replace("/", ".") if desc.startswith("L") and desc.endswith(";") else desc


def pi_types_of(accesses: Iterable[PiAccess]) -> set[str]:
    return {a.source.pi_type for a in accesses}


MAX_FLOWS_PER_ACCESS = 20


def attach_flows(collection: PiCollection, leaks: Iterable[Leak]) -> int:
    """Fill :attr:`PiAccess.flows` from the taint analysis: where each read PI goes.

    A leak's source site is matched to the access at the same method and offset (a callback
    source has no offset: it is the method's entry). Returns how many leaks matched.
    """
    by_site: dict[tuple[str, int], list[PiAccess]] = {}
    for access in collection.accesses():
        ref = access.site.caller
        key = (f"{ref.class_desc}->{ref.name}{ref.proto}", access.site.offset)
        by_site.setdefault(key, []).append(access)
    matched = 0
    for leak in leaks:
        src = leak.source
        offset = CALLBACK_OFFSET if src.offset is None else src.offset
        for access in by_site.get((src.method, offset), ()):
            if len(access.flows) < MAX_FLOWS_PER_ACCESS:
                access.flows.append(
                    {"sink": leak.sink.to_json(), "path": list(leak.path), "pi_type": src.pi_type}
                )
            matched += 1
    return matched
