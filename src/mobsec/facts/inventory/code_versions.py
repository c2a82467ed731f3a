"""Versions that libraries compile into their own code, for those that ship no
build-metadata file: OkHttp's ``"okhttp/3.11.0"`` user agent, for example.

The markers are data (``facts/data/library_markers.json``): a string-pool prefix, the
Maven package it names and the version span it applies to (OkHttp 2.x and 3+ share the
prefix but not the Maven group). The rest of the string must be a plausible version, and
code must load the string (``const-string``): a pool entry nothing uses dates nothing.

Hostile input: at most MAX_PER_PREFIX strings per prefix and DEX, versions bounded by
:func:`~mobsec.facts.inventory.maven_version.parse_version`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .maven_version import MavenVersion, parse_version

if TYPE_CHECKING:
    from mobsec.ingest.dex import DexSet

MARKERS = Path(__file__).resolve().parent.parent / "data" / "library_markers.json"
MAX_PER_PREFIX = 8


@dataclass(frozen=True, slots=True)
class Marker:
    prefix: str
    package: str
    sdk: str | None  # catalogue id of the SDK whose code holds the string
    start: MavenVersion
    before: MavenVersion | None

    def applies(self, v: MavenVersion) -> bool:
        return self.start <= v and (self.before is None or v < self.before)


@cache
def load_markers() -> tuple[Marker, ...]:
    doc = json.loads(MARKERS.read_text(encoding="utf-8"))
    out = []
    for m in doc["markers"]:
        start = parse_version(m["from"])
        before = parse_version(m["before"]) if m["before"] is not None else None
        if start is None or (m["before"] is not None and before is None):
            raise ValueError(f"library_markers.json: bad version span in {m!r}")
        out.append(Marker(m["prefix"], m["package"], m.get("sdk"), start, before))
    return tuple(out)


def code_marker_artifacts(code: DexSet) -> list[dict[str, Any]]:
    """[{group, artifact, version, source, sdk_id}] for every marker string code loads; the first
    DEX (in Android's load order) that holds one wins."""
    out: dict[str, dict[str, Any]] = {}
    markers = load_markers()
    for prefix in dict.fromkeys(m.prefix for m in markers):
        for dex in code.dexes:
            for idx in dex.pools.strings_with_prefix(prefix, MAX_PER_PREFIX):
                text = dex.pools.string(idx)
                version = parse_version(text[len(prefix) :])
                if version is None or not dex.string_refs(idx):
                    continue
                for m in markers:
                    if m.prefix == prefix and m.applies(version) and m.package not in out:
                        group, _, artifact = m.package.partition(":")
                        out[m.package] = {
                            "group": group,
                            "artifact": artifact,
                            "version": version.text,
                            "source": f'{dex.name}: "{text}"',
                            "sdk_id": m.sdk,
                        }
    return [out[k] for k in sorted(out)]
