"""CVE JSON 5 for submission to a CNA.

Before a CNA assigns an id, ``cna_container`` is what goes to the CNA (the schema's
``cnaPublishedContainer``); once the id and assigner are known, ``cve_record`` is the full
``CVE_RECORD`` with ``cveMetadata``. Both carry CVSS v3.1 and v4.0 and the text in English
(required) and Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mobsec.advisories.cwe import cwe_name
from mobsec.advisories.dates import rfc3339
from mobsec.advisories.model import CVE_ID, Advisory, AdvisoryError, Product, check

DATA_VERSION = "5.1"
LANGS = (("en", "en"), ("zh", "zh-CN"))  # (CVE language tag, our language)
_REFERENCE_TAGS = {
    "advisory": "vendor-advisory",
    "fix": "patch",
    "report": "technical-description",
    "article": "technical-description",
    "package": "product",
}
_CREDIT_TYPES = {"remediation_developer": "remediation developer"}


@dataclass(frozen=True)
class Cna:
    """The CNA that will hold the record: its organisation UUID and short name."""

    org_id: str
    short_name: str = ""


@dataclass(frozen=True)
class Assignment:
    """What the CNA returned: the CVE id, and when it was reserved."""

    cve_id: str
    date_reserved: datetime | None = None


def cna_container(advisory: Advisory, cna: Cna) -> dict[str, Any]:
    check(advisory)
    a = advisory
    provider: dict[str, Any] = {"orgId": cna.org_id}
    if cna.short_name:
        provider["shortName"] = cna.short_name
    container: dict[str, Any] = {
        "providerMetadata": provider,
        "title": a.title.en[:256],
        "datePublic": rfc3339(a.published),
        "descriptions": _texts(a.description),
        "affected": [_affected(p) for p in a.products],
        "problemTypes": [{"descriptions": _problem_types(a)}],
        "references": _references(a),
    }
    metrics = _metrics(a)
    if metrics:
        container["metrics"] = metrics
    if a.impact:
        container["impacts"] = [{"descriptions": _texts(a.impact)}]
    if a.solution:
        container["solutions"] = _texts(a.solution)
    if a.mitigation:
        container["workarounds"] = _texts(a.mitigation)
    if a.credits:
        container["credits"] = _unique(
            {"lang": "en", "value": c.name[:4096], "type": _CREDIT_TYPES.get(c.kind, c.kind)}
            for c in a.credits
        )
    container["timeline"] = [
        {"time": rfc3339(r.date), "lang": "en", "value": f"Revision {r.number}: {r.summary}"[:4096]}
        for r in a.revisions
    ]
    container["source"] = {"advisory": a.id, "discovery": "EXTERNAL"}
    return container


def cve_record(advisory: Advisory, cna: Cna, assignment: Assignment) -> dict[str, Any]:
    if not CVE_ID.match(assignment.cve_id):
        raise AdvisoryError([f"cve_id: {assignment.cve_id!r} is not CVE-YYYY-NNNN"])
    metadata: dict[str, Any] = {
        "cveId": assignment.cve_id,
        "assignerOrgId": cna.org_id,
        "state": "PUBLISHED",
        "datePublished": rfc3339(advisory.published),
        "dateUpdated": rfc3339(advisory.updated),
    }
    if cna.short_name:
        metadata["assignerShortName"] = cna.short_name
    if assignment.date_reserved:
        metadata["dateReserved"] = rfc3339(assignment.date_reserved)
    return {
        "dataType": "CVE_RECORD",
        "dataVersion": DATA_VERSION,
        "cveMetadata": metadata,
        "containers": {"cna": cna_container(advisory, cna)},
    }


def _unique(items) -> list:
    """The schema's arrays are ``uniqueItems``: drop repeats, keep the order."""
    out: list = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _texts(text: Any) -> list[dict[str, str]]:
    return [{"lang": tag, "value": text.pick(ours)[:4096]} for tag, ours in LANGS]


def _affected(p: Product) -> dict[str, Any]:
    out: dict[str, Any] = {"vendor": p.vendor, "product": p.name, "defaultStatus": "unknown"}
    if p.package:
        out["packageName"] = p.package
    if p.platform:
        out["platforms"] = [p.platform]
    version_type = {"Maven": "maven", "npm": "semver", "PyPI": "python"}.get(
        p.ecosystem or "", "custom"
    )
    versions: list[dict[str, Any]] = [{"version": v, "status": "affected"} for v in p.versions]
    if p.fixed:
        versions.append(
            {
                "version": p.introduced or "0",
                "lessThan": p.fixed,
                "status": "affected",
                "versionType": version_type,
            }
        )
        versions.append({"version": p.fixed, "status": "unaffected"})
    elif p.introduced:
        versions.append({"version": p.introduced, "status": "affected"})
    out["versions"] = _unique(versions)
    return out


def _problem_types(a: Advisory) -> list[dict[str, str]]:
    out = []
    for cwe in a.cwe:
        name = cwe_name(cwe)
        out.append(
            {
                "lang": "en",
                "cweId": cwe,
                "type": "CWE",
                "description": f"{cwe} {name}" if name else cwe,
            }
        )
    if not out:
        out.append({"lang": "en", "type": "text", "description": a.title.en[:4096]})
    return _unique(out)


def _references(a: Advisory) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if a.extra.get("url"):
        out.append({"url": a.extra["url"], "name": a.id, "tags": ["vendor-advisory"]})
    for r in a.references:
        ref: dict[str, Any] = {"url": r.url}
        if r.name:
            ref["name"] = r.name[:512]
        tag = _REFERENCE_TAGS.get(r.kind)
        if tag:
            ref["tags"] = [tag]
        if ref not in out:
            out.append(ref)
    if not out:
        raise AdvisoryError(["references: a CVE record needs at least one (the advisory page)"])
    return out


def _metrics(a: Advisory) -> list[dict[str, Any]]:
    metric: dict[str, Any] = {}
    v3 = a.score_v31()
    if v3:
        metric["cvssV3_1"] = v3.fields
    v4 = a.score_v40()
    if v4:
        metric["cvssV4_0"] = v4.fields
    if not metric:
        return []
    metric["format"] = "CVSS"
    metric["scenarios"] = [{"lang": "en", "value": "GENERAL"}]
    return [metric]
