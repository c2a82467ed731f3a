"""CSAF 2.0 documents (profile ``csaf_security_advisory``) and their file names.

One document per language: English is the original; the zh-CN document is its translation
(``lang`` zh-CN, ``source_lang`` en) with the same tracking id. CSAF 2.0 has no CVSS v4 field,
so only the v3.1 score goes in (the others formats carry both).
"""

from __future__ import annotations

from typing import Any

from mobsec.advisories.cwe import cwe_name
from mobsec.advisories.dates import rfc3339
from mobsec.advisories.model import Advisory, Credit, Product, Publisher, check
from mobsec.advisories.purl import package_url
from mobsec.version import __version__

TLP_URL = "https://www.first.org/tlp/"
_LABELS = {
    "en": {"description": "Description", "summary": "Summary", "impact": "Impact"},
    "zh-CN": {"description": "漏洞描述", "summary": "概要", "impact": "影响"},
}
_CREDIT_SUMMARY = {
    "en": {
        "finder": "found the vulnerability",
        "reporter": "reported the vulnerability",
        "analyst": "analysed the vulnerability",
        "coordinator": "coordinated the disclosure",
        "remediation_developer": "developed the fix",
        "other": "helped with this advisory",
    },
    "zh-CN": {
        "finder": "发现此漏洞",
        "reporter": "报告此漏洞",
        "analyst": "分析此漏洞",
        "coordinator": "协调披露",
        "remediation_developer": "开发修复",
        "other": "协助本公告",
    },
}


def to_csaf(advisory: Advisory, publisher: Publisher, lang: str = "en") -> dict[str, Any]:
    """The CSAF document in ``lang`` ("en" or "zh-CN"); AdvisoryError when incomplete."""
    check(advisory)
    lang = "zh-CN" if lang.lower().startswith("zh") else "en"
    a = advisory
    tree, affected, fixed = _product_tree(a.products)
    document: dict[str, Any] = {
        "category": "csaf_security_advisory",
        "csaf_version": "2.0",
        "lang": lang,
        "title": a.title.pick(lang),
        "publisher": publisher_json(publisher),
        "distribution": {"tlp": {"label": "WHITE", "url": TLP_URL}},
        "notes": [
            {
                "category": "summary",
                "title": _LABELS[lang]["summary"],
                "text": a.description.pick(lang),
            }
        ],
        "tracking": _tracking(a),
    }
    if lang != "en":
        document["source_lang"] = "en"
    score = a.score_v31()
    if score:
        document["aggregate_severity"] = {"text": score.severity.capitalize()}
    refs = _references(a)
    if refs:
        document["references"] = refs
    return {
        "document": document,
        "product_tree": {"branches": tree},
        "vulnerabilities": [_vulnerability(a, lang, affected, fixed)],
    }


def publisher_json(p: Publisher) -> dict[str, Any]:
    out: dict[str, Any] = {"category": p.category, "name": p.name, "namespace": p.namespace}
    if p.contact_details:
        out["contact_details"] = p.contact_details
    if p.issuing_authority:
        out["issuing_authority"] = p.issuing_authority
    return out


def _tracking(a: Advisory) -> dict[str, Any]:
    return {
        "id": a.id,
        "status": "final",
        "version": str(a.version),
        "initial_release_date": rfc3339(a.published),
        "current_release_date": rfc3339(a.updated),
        "revision_history": [
            {"number": str(r.number), "date": rfc3339(r.date), "summary": r.summary}
            for r in a.revisions
        ],
        "generator": {"engine": {"name": "mobsec", "version": __version__}},
    }


def _references(a: Advisory) -> list[dict[str, str]]:
    out = []
    self_url = a.extra.get("csaf_url")
    if self_url:
        out.append({"category": "self", "summary": a.id, "url": self_url})
    for r in a.references:
        out.append({"category": "external", "summary": r.name or r.kind, "url": r.url})
    return out


def _product_tree(
    products: tuple[Product, ...],
) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """vendor → product_name → product_version(_range) branches; the affected and fixed ids."""
    vendors: dict[str, list[dict[str, Any]]] = {}
    affected: list[str] = []
    fixed: list[str] = []
    for i, p in enumerate(products, 1):
        leaves = []

        def leaf(category: str, version: str, pid: str, p: Product = p) -> dict[str, Any]:
            product: dict[str, Any] = {"name": f"{p.vendor} {p.name} {version}", "product_id": pid}
            purl = package_url(p.ecosystem, p.package, version) if p.ecosystem else None
            if purl and category == "product_version":
                product["product_identification_helper"] = {"purl": purl}
            return {"category": category, "name": version, "product": product}

        for j, version in enumerate(p.versions, 1):
            pid = f"CSAFPID-{i:04d}-{j:04d}"
            leaves.append(leaf("product_version", version, pid))
            affected.append(pid)
        if not p.versions:
            pid = f"CSAFPID-{i:04d}-R"
            leaves.append(leaf("product_version_range", _vers(p), pid))
            affected.append(pid)
        if p.fixed:
            pid = f"CSAFPID-{i:04d}-F"
            leaves.append(leaf("product_version", p.fixed, pid))
            fixed.append(pid)
        vendors.setdefault(p.vendor, []).append(
            {"category": "product_name", "name": p.name, "branches": leaves}
        )
    tree = [
        {"category": "vendor", "name": vendor, "branches": names}
        for vendor, names in vendors.items()
    ]
    return tree, affected, fixed


def _vers(p: Product) -> str:
    """A ``vers:`` range for products named by their first/fixed version only."""
    scheme = {"Maven": "maven", "npm": "npm", "PyPI": "pypi"}.get(p.ecosystem or "", "generic")
    parts = []
    if p.introduced:
        parts.append(f">={p.introduced}")
    if p.fixed:
        parts.append(f"<{p.fixed}")
    return f"vers:{scheme}/" + "|".join(parts)


def _vulnerability(a: Advisory, lang: str, affected: list[str], fixed: list[str]) -> dict[str, Any]:
    labels = _LABELS[lang]
    vuln: dict[str, Any] = {
        "title": a.title.pick(lang),
        "notes": [
            {
                "category": "description",
                "title": labels["description"],
                "text": a.description.pick(lang),
            }
        ],
        "product_status": {"known_affected": affected},
        "remediations": [],
    }
    if a.cve_id:
        vuln["cve"] = a.cve_id
    # CSAF holds one CWE, named exactly as in the catalogue: the first that is a weakness.
    for cwe in a.cwe:
        name = cwe_name(cwe)
        if name:
            vuln["cwe"] = {"id": cwe, "name": name}
            break
    if fixed:
        vuln["product_status"]["fixed"] = fixed
        vuln["product_status"]["first_fixed"] = fixed
    if a.solution:
        fix_urls = [r.url for r in a.references if r.kind == "fix"]
        remediation = {
            "category": "vendor_fix",
            "details": a.solution.pick(lang),
            "product_ids": affected,
        }
        if fix_urls:
            remediation["url"] = fix_urls[0]
        vuln["remediations"].append(remediation)
    if a.mitigation:
        vuln["remediations"].append(
            {"category": "mitigation", "details": a.mitigation.pick(lang), "product_ids": affected}
        )
    score = a.score_v31()
    if score:
        vuln["scores"] = [{"cvss_v3": score.fields, "products": affected}]
    if a.impact:
        vuln["threats"] = [
            {"category": "impact", "details": a.impact.pick(lang), "product_ids": affected}
        ]
    if a.credits:
        vuln["acknowledgments"] = [_acknowledgment(c, lang) for c in a.credits]
    if a.published:
        vuln["release_date"] = rfc3339(a.published)
    return vuln


def _acknowledgment(c: Credit, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {"names": [c.name], "summary": _CREDIT_SUMMARY[lang][c.kind]}
    if c.organization:
        out["organization"] = c.organization
    return out
