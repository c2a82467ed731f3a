"""Package URLs (purl-spec) for the ecosystems an advisory can name."""

from __future__ import annotations

from urllib.parse import quote

# OSV ecosystems an advisory can name, with their purl type (purl-spec's registry).
ECOSYSTEMS = {
    "Maven": "maven",
    "npm": "npm",
    "PyPI": "pypi",
    "Go": "golang",
    "crates.io": "cargo",
    "NuGet": "nuget",
    "Packagist": "composer",
    "RubyGems": "gem",
    "Pub": "pub",
    "Hex": "hex",
    "SwiftURL": "swift",
}


def _part(s: str) -> str:
    return quote(s, safe="")


def package_url(ecosystem: str, package: str, version: str | None = None) -> str | None:
    """``pkg:maven/com.example/sdk@1.2`` from an OSV ecosystem and the package's own name
    (Maven ``group:artifact``, npm ``@scope/name``); None when the name does not fit."""
    kind = ECOSYSTEMS.get(ecosystem)
    if not kind or not package.strip():
        return None
    if kind == "maven":
        group, sep, artifact = package.partition(":")
        if not sep or not group or not artifact or ":" in artifact:
            return None
        path = f"{_part(group)}/{_part(artifact)}"
    elif kind == "npm" and package.startswith("@"):
        scope, sep, name = package.partition("/")
        if not sep or not name:
            return None
        path = f"{_part(scope)}/{_part(name)}"
    elif kind == "pypi":
        path = _part(package.lower().replace("_", "-"))
    elif kind in ("golang", "swift"):
        path = "/".join(_part(p) for p in package.split("/"))
    else:
        path = _part(package)
    purl = f"pkg:{kind}/{path}"
    return f"{purl}@{_part(version)}" if version else purl
