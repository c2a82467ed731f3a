"""PI read on paths that run before any consent UI can (191号文 3.1, heuristic).

Before the user has seen and accepted the privacy policy, the framework has already run the
Application (``attachBaseContext``, ``onCreate``, its constructor), every content
provider's ``onCreate`` (providers start with the process, before any activity), and the
launcher activity's ``onCreate`` — the earliest place a consent dialog could be shown, so a
read there runs before the user can answer. SDKs initialised from those methods run
there too. We follow direct calls from those roots up to :data:`MAX_DEPTH` levels
(virtual calls resolved to the app class named in the instruction or its app-defined
superclasses) and report every catalogued PI access met on the way.

It is a heuristic: a consent flag checked before the read (``if (agreed) init()``) is not
understood, and calls through interfaces, threads, handlers and reflection are not
followed. Results are marked heuristic in the assessment.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mobsec.facts.privacy.collection import PiAccess

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts
    from mobsec.ingest.dex import DexFile

MAX_DEPTH = 2  # levels of calls followed below a root (the root is level 0)
MAX_METHODS = 5_000  # visited methods over all roots: bounded for huge apps
ROOT_METHODS = {
    "application": ("<init>", "attachBaseContext", "onCreate"),
    "provider": ("<init>", "onCreate"),
    "launcher": ("onCreate",),
}


# root_kind in zh-CN messages
ROOT_KIND_ZH = {"application": "Application", "provider": "内容提供器", "launcher": "启动页"}


@dataclass(slots=True)
class EarlyAccess:
    access: PiAccess
    root_kind: str  # application | provider | launcher
    root: str  # "Lcom/x/App;->onCreate()V"
    path: list[str]  # methods from the root to the method holding the access

    @property
    def depth(self) -> int:
        return len(self.path) - 1

    def to_json(self) -> dict[str, Any]:
        return {
            "access": self.access.to_json(),
            "root_kind": self.root_kind,
            "root": self.root,
            "path": self.path,
        }


def early_accesses(facts: AppFacts) -> list[EarlyAccess]:
    """Catalogued PI accesses reachable from pre-consent roots, shortest path each."""
    by_method: dict[tuple[str, int], list[PiAccess]] = {}
    for a in facts.pi_collection.accesses():
        if a.how != "callback":
            by_method.setdefault((a.site.dex.name, a.site.caller_idx), []).append(a)
    if not by_method:
        return []
    code = facts.code
    out: dict[int, EarlyAccess] = {}
    visited: set[tuple[str, int]] = set()
    queue: deque[tuple[DexFile, int, str, str, list[str]]] = deque()
    for kind, dex, idx in _roots(facts):
        ref = str(dex.method_ref(idx))
        queue.append((dex, idx, kind, ref, [ref]))
    while queue and len(visited) < MAX_METHODS:
        dex, idx, kind, root, path = queue.popleft()
        key = (dex.name, idx)
        if key in visited:
            continue
        visited.add(key)
        for a in by_method.get(key, ()):
            out.setdefault(id(a), EarlyAccess(a, kind, root, path))
        if len(path) > MAX_DEPTH:
            continue
        for r in dex.invokes_in(idx):
            target = _resolve(code, dex.method_ref(r.target))
            if target is not None and (target[0].name, target[1]) not in visited:
                callee = str(target[0].method_ref(target[1]))
                queue.append((target[0], target[1], kind, root, [*path, callee]))
    return sorted(out.values(), key=lambda e: (e.root_kind, e.root, e.depth, e.access.source.id))


def _roots(facts: AppFacts) -> list[tuple[str, DexFile, int]]:
    m = facts.manifest
    if m is None:
        return []
    wanted: list[tuple[str, str]] = []
    if m.application.name:
        wanted.append(("application", m.application.name))
    wanted += [("provider", c.name) for c in m.components_of("provider") if c.enabled]
    wanted += [("launcher", c.name) for c in m.launcher_activities]
    out = []
    for kind, java in wanted:
        desc = "L" + java.replace(".", "/") + ";"
        for name in ROOT_METHODS[kind]:
            hit = _find_method(facts.code, desc, name, None)
            if hit is not None:
                out.append((kind, hit[0], hit[1]))
    return out


def _resolve(code: Any, ref: Any) -> tuple[DexFile, int] | None:
    return _find_method(code, ref.class_desc, ref.name, ref.proto)


def _find_method(code: Any, desc: str, name: str, proto: str | None) -> tuple[DexFile, int] | None:
    """The app-defined method ``name proto`` of ``desc`` or its nearest app superclass."""
    for cls_desc in (desc, *code.superclasses(desc)):
        hit = code.find_class(cls_desc)
        if hit is None:
            return None  # framework or missing class: not app code
        dex, cls = hit
        for mdef in cls.methods:
            r = dex.method_ref(mdef.method_idx)
            if r.name == name and (proto is None or r.proto == proto):
                if dex.code_item(mdef) is None:
                    return None
                return dex, mdef.method_idx
    return None
