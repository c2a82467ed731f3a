"""The public documents of a published advisory, made by ``mobsec.advisories`` from the
Advisory record. Nothing of the case beyond the advisory's own fields goes in: no
reproduction steps, no attachments (the model has no such fields)."""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse

from mobsec import advisories as lib
from mobsec.advisories.csaf import to_csaf
from mobsec.advisories.cve import Assignment, cna_container, cve_record
from mobsec.advisories.ids import csaf_filename
from mobsec.advisories.osv import to_osv
from mobsec.advisories.provider import DIRECTORY

from . import conf
from .models import Advisory

FORMATS = ("csaf", "csaf-zh", "osv", "cve")


def _text(a: Advisory, name: str) -> lib.Text | None:
    en, zh = getattr(a, f"{name}_en").strip(), getattr(a, f"{name}_zh").strip()
    return lib.Text(en, zh) if en or zh else None


def csaf_path(a: Advisory) -> str:
    return f"{DIRECTORY}{a.year}/{csaf_filename(a.advisory_id)}"


def to_advisory(a: Advisory, base_url: str, advisory_id: str | None = None) -> lib.Advisory:
    """The library's view of the record (``advisory_id`` while the id is being allocated)."""
    aid = advisory_id or a.advisory_id or "DRAFT"
    versions = tuple(v.strip() for v in a.affected_versions.split(",") if v.strip())
    product = lib.Product(
        vendor=a.vendor_name, name=a.product_name, package=a.package, platform=a.platform,
        ecosystem=a.ecosystem or None, introduced=a.introduced or None,
        fixed=a.fixed_version or None, versions=versions,
    )  # fmt: skip
    revisions = tuple(
        lib.Revision(r.number, r.at, r.summary) for r in a.revisions.order_by("number")
    )
    extra = {}
    if a.advisory_id and base_url:
        extra["url"] = base_url + reverse("disclosure:advisory", args=[a.advisory_id])
        extra["csaf_url"] = base_url + csaf_path(a)
    return lib.Advisory(
        id=aid,
        title=lib.Text(a.title_en, a.title_zh),
        description=lib.Text(a.description_en, a.description_zh),
        impact=_text(a, "impact"),
        solution=_text(a, "solution"),
        mitigation=_text(a, "mitigation"),
        products=(product,),
        cwe=(a.cwe,) if a.cwe else (),
        cvss_v31=a.cvss31 or None,
        cvss_v40=a.cvss40 or None,
        credits=(lib.Credit(a.credit_name, "finder"),) if a.credit_name else (),
        cve_id=a.cve_id or None,
        revisions=revisions,
        extra=extra,
    )


def render(a: Advisory, fmt: str, base_url: str) -> dict[str, Any]:
    """One document; AdvisoryError / NoEcosystem / LookupError (no CNA configured)."""
    adv = to_advisory(a, base_url)
    if fmt == "csaf":
        return to_csaf(adv, conf.publisher_for(base_url), "en")
    if fmt == "csaf-zh":
        return to_csaf(adv, conf.publisher_for(base_url), "zh-CN")
    if fmt == "osv":
        return to_osv(adv)
    if fmt == "cve":
        cna = conf.cna()
        if cna is None:
            raise LookupError("MOBSEC_CVE_CNA is not configured")
        if a.cve_id:
            return cve_record(adv, cna, Assignment(a.cve_id))
        return cna_container(adv, cna)
    raise ValueError(fmt)


def available_formats(a: Advisory) -> list[str]:
    out = ["csaf", "csaf-zh"]
    if a.ecosystem:
        out.append("osv")
    if conf.cna() is not None:
        out.append("cve")
    return out


def all_text(a: Advisory, base_url: str) -> str:
    """Every public output as one text: what the PoC guard reads before publication."""
    parts = [json.dumps(render(a, f, base_url), ensure_ascii=False) for f in available_formats(a)]
    return "\n".join(parts)
