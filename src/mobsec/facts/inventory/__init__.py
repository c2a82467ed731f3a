"""The inventory of one scanned app: what it is made of and what it talks to.

The Report's ``inventory`` section, the platform's per-version store and the CycloneDX SBOM
(:mod:`mobsec.report.render.cyclonedx`) all come from this one document:

* ``libraries``: catalogued SDKs with their versions and every build-metadata artifact
  (:mod:`.libraries`);
* ``native_libraries``: path, ABI, SHA-256, SONAME and embedded library versions
  (:mod:`.native`);
* ``permissions`` and ``exported_components`` (from the manifest model);
* ``hosts``: each host the code holds URLs for, with whose code (the report's
  ``endpoints``: the same extraction, not a second one);
* ``apis``: framework methods the code calls (:mod:`.apis`).

It reuses the facts the scan already computed; ``INVENTORY_VERSION`` changes when the
meaning of a field changes, so a stored inventory says what it can answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .apis import framework_apis
from .libraries import library_components
from .native import native_components

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts

INVENTORY_VERSION = 1
MAX_NATIVE_READ = 64 << 20  # a library bigger than this is listed without banner search


def android_inventory(facts: AppFacts, endpoints: list[dict[str, Any]]) -> dict[str, Any]:
    """The inventory of an Android app from its facts and the report's endpoints."""
    pkg = facts.pkg
    manifest = facts.manifest
    limit = min(MAX_NATIVE_READ, facts.options.limits.max_elf_size)
    return {
        "version": INVENTORY_VERSION,
        "libraries": library_components(facts),
        "native_libraries": native_components(pkg.native_libraries, pkg.archive.read, limit),
        "permissions": sorted({p.name for p in manifest.uses_permissions}) if manifest else [],
        "exported_components": _exported(facts),
        "hosts": hosts_of(endpoints),
        "apis": framework_apis(facts),
    }


def _exported(facts: AppFacts) -> list[dict[str, Any]]:
    m = facts.manifest
    return [
        {"kind": c.kind, "name": c.name, "permission": c.permission}
        for c in (m.components if m else [])
        if c.exported
    ]


def hosts_of(endpoints: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """[{host, owners, urls}] from the report's URL endpoints, one entry per host."""
    hosts: dict[str, dict[str, Any]] = {}
    for e in endpoints:
        if e["kind"] != "url":
            continue
        h = hosts.setdefault(e["value"], {"host": e["value"], "owners": [], "urls": []})
        owner = e["owner"]["sdk_id"] or e["owner"]["kind"]
        if owner not in h["owners"]:
            h["owners"].append(owner)
        for url in e["samples"]:
            if url not in h["urls"] and len(h["urls"]) < 5:
                h["urls"].append(url)
    return sorted(hosts.values(), key=lambda h: h["host"])
