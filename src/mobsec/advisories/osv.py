"""OSV documents, for advisories about packages in an ecosystem (SDKs and libraries).

An app-level advisory (no ecosystem) has no OSV document: ``to_osv`` raises
``NoEcosystem`` for it. The OSV schema accepts ids of registered home databases or with the
``x_`` prefix it reserves for the others, so the id is ``id_prefix`` + the advisory id.
"""

from __future__ import annotations

from typing import Any

from mobsec.advisories.dates import rfc3339
from mobsec.advisories.model import Advisory, Text, check

OSV_SCHEMA_VERSION = "1.7.0"
DEFAULT_ID_PREFIX = "x_"


class NoEcosystem(ValueError):
    """No affected product of the advisory is in a package ecosystem."""


def osv_id(advisory_id: str, id_prefix: str = DEFAULT_ID_PREFIX) -> str:
    return f"{id_prefix}{advisory_id}"


def to_osv(advisory: Advisory, id_prefix: str = DEFAULT_ID_PREFIX) -> dict[str, Any]:
    check(advisory)
    a = advisory
    affected = [_affected(p) for p in a.products if p.ecosystem]
    if not affected:
        raise NoEcosystem(f"{a.id}: no affected product is in a package ecosystem")
    doc: dict[str, Any] = {
        "schema_version": OSV_SCHEMA_VERSION,
        "id": osv_id(a.id, id_prefix),
        "modified": rfc3339(a.updated),
        "published": rfc3339(a.published),
        "summary": a.title.en,
        "details": _details(a, "en"),
        "affected": affected,
    }
    if a.withdrawn:
        doc["withdrawn"] = rfc3339(a.withdrawn)
    aliases = [x for x in (a.cve_id, *a.aliases) if x]
    if aliases:
        doc["aliases"] = aliases
    severity = []
    if a.cvss_v31:
        severity.append({"type": "CVSS_V3", "score": a.score_v31().vector})
    if a.cvss_v40:
        severity.append({"type": "CVSS_V4", "score": a.score_v40().vector})
    if severity:
        doc["severity"] = severity
    refs = []
    if a.extra.get("url"):
        refs.append({"type": "ADVISORY", "url": a.extra["url"]})
    refs += [{"type": r.kind.upper(), "url": r.url} for r in a.references]
    if refs:
        doc["references"] = refs
    if a.credits:
        doc["credits"] = [{"name": c.name, "type": c.kind.upper()} for c in a.credits]
    doc["database_specific"] = {
        "advisory_id": a.id,
        "cwe_ids": list(a.cwe),
        # OSV is English; the Chinese text of the same advisory travels along.
        "zh-CN": {"summary": a.title.zh, "details": _details(a, "zh-CN")},
    }
    return doc


def _affected(p: Any) -> dict[str, Any]:
    package = {"ecosystem": p.ecosystem, "name": p.package}
    purl = p.package_url()
    if purl:
        package["purl"] = purl
    events: list[dict[str, str]] = [{"introduced": p.introduced or "0"}]
    if p.fixed:
        events.append({"fixed": p.fixed})
    out: dict[str, Any] = {"package": package, "ranges": [{"type": "ECOSYSTEM", "events": events}]}
    if p.versions:
        out["versions"] = list(p.versions)
    return out


_HEADINGS = {
    "en": {"impact": "Impact", "solution": "Solution", "mitigation": "Mitigation"},
    "zh-CN": {"impact": "影响", "solution": "解决方案", "mitigation": "缓解措施"},
}


def _details(a: Advisory, lang: str) -> str:
    parts = [a.description.pick(lang)]
    for name in ("impact", "solution", "mitigation"):
        text: Text | None = getattr(a, name)
        if text:
            parts.append(f"{_HEADINGS[lang][name]}: {text.pick(lang)}")
    return "\n\n".join(parts)
