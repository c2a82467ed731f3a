"""Does an exported component check who is calling, in its own entry methods?

An exported component without a manifest permission is reachable by every app; when its
entry method (onCreate, onReceive, onStartCommand, onBind, query...) asks who the caller
is — ``checkCallingPermission``, ``Binder.getCallingUid``, ``getCallingPackage``, a
signature comparison — or refuses an intent it does not recognise, the exposure is guarded
in code. The guard is not proven correct (the finding stays, lower), but a tester should
look at that code first. Only the component's own entry methods are read (one level: what
they call is not followed), so a guard in a helper is missed, never invented.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.facts.app import AppFacts
from mobsec.ingest.dex import DexFile, MethodDef

# (method name) -> what it shows, for calls whose receiver is any class: the names are
# specific enough (Context/Binder/PackageManager/Activity all spell them this way).
CALLER_CHECKS = {
    "checkCallingPermission": "checkCallingPermission",
    "enforceCallingPermission": "enforceCallingPermission",
    "checkCallingUriPermission": "checkCallingUriPermission",
    "getCallingUid": "getCallingUid",
    "getCallingPid": "getCallingPid",
    "getCallingPackage": "getCallingPackage",
    "getCallingActivity": "getCallingActivity",
    "checkSignatures": "PackageManager.checkSignatures",
    "getReferrer": "getReferrer",
}


def caller_guard(facts: AppFacts, component: str) -> str | None:
    """The first caller check in the component's entry methods, or None."""
    guards = facts.memo(("manifest", "caller guards"), lambda: _guards(facts))
    return guards.get(component)


def exported_entry_methods(facts: AppFacts) -> Iterator[tuple[str, str, DexFile, MethodDef]]:
    """(component, method name, dex, method) for the entry methods of exported components
    that the app defines (with code)."""
    code = facts.code
    for ep in facts.entry_points:
        if not ep.exported or not ep.defined:
            continue
        for key in ep.methods:
            cls, rest = key.split("->", 1)
            found = code.find_class(cls)
            if found is None:
                continue
            dex, c = found
            name, proto = rest[: rest.index("(")], rest[rest.index("(") :]
            m = next(
                (
                    m
                    for m in c.methods
                    if dex.pools.method_name(m.method_idx) == name
                    and dex.pools.method_proto(m.method_idx) == proto
                ),
                None,
            )
            if m is not None and m.code_off:
                yield ep.component, name, dex, m


def _guards(facts: AppFacts) -> dict[str, str]:
    out: dict[str, str] = {}
    for component, _name, dex, m in exported_entry_methods(facts):
        if component in out:
            continue
        for ref in dex.invokes_in(m.method_idx):
            what = CALLER_CHECKS.get(dex.pools.method_name(ref.target))
            if what is not None:
                out[component] = what
                break
    return out
