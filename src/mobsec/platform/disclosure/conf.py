"""Settings of disclosure, rewards and ratings, each with a documented default
(docs/disclosure.md); override them in Django settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from mobsec.advisories import Publisher
from mobsec.advisories.cve import Cna
from mobsec.advisories.ids import PREFIX

# Points per verified vulnerability: severity × report quality. Rejected, duplicate and
# withdrawn reports earn nothing.
DEFAULT_POINTS = {
    "critical": {"excellent": 120, "good": 100, "basic": 70},
    "high": {"excellent": 60, "good": 50, "basic": 35},
    "medium": {"excellent": 24, "good": 20, "basic": 14},
    "low": {"excellent": 6, "good": 5, "basic": 3},
}
QUALITIES = ("excellent", "good", "basic")
DEFAULT_QUALITY = "good"

# Support units' yearly star rating (docs/disclosure.md explains each term):
#   score = Σ severity weight of the unit's verified vulnerabilities of the year
#   validity = verified / (verified + rejected + duplicate) of its reports closed that year
#     + verification_factor × Σ severity weight of the vulnerabilities its verifiers confirmed
#   timeliness = share of its verified reports confirmed within `timely_days` of receipt
# The highest level whose three minimums are all met is the unit's rating.
DEFAULT_RATING = {
    "weights": {"critical": 10, "high": 5, "medium": 2, "low": 1},
    "timely_days": 30,
    "verification_factor": 0.5,
    "levels": [
        {"stars": 4, "score": 200, "validity": 0.8, "timeliness": 0.8},
        {"stars": 3, "score": 80, "validity": 0.6, "timeliness": 0.6},
        {"stars": 2, "score": 20, "validity": 0.4, "timeliness": 0.0},
    ],
}


def points_table() -> dict[str, dict[str, int]]:
    return getattr(settings, "MOBSEC_REWARD_POINTS", DEFAULT_POINTS)


def rating_formula() -> dict[str, Any]:
    return getattr(settings, "MOBSEC_SUPPORT_UNIT_RATING", DEFAULT_RATING)


def advisory_prefix() -> str:
    prefix = getattr(settings, "MOBSEC_ADVISORY_PREFIX", "MOBSEC")
    if not PREFIX.match(prefix):
        raise ValueError(f"MOBSEC_ADVISORY_PREFIX {prefix!r}: 2-16 capital letters or digits")
    return prefix


def public_url(request=None) -> str:
    """The platform's public base URL (canonical URLs in CSAF, OSV, CVE and the feed)."""
    url = getattr(settings, "MOBSEC_PUBLIC_URL", "")
    if url:
        return url.rstrip("/")
    return request.build_absolute_uri("/").rstrip("/") if request is not None else ""


def publisher_for(base_url: str) -> Publisher:
    raw = getattr(settings, "MOBSEC_CSAF_PUBLISHER", {})
    return Publisher(
        name=raw.get("name", "mobsec vulnerability platform"),
        namespace=raw.get("namespace", base_url or "https://mobsec.invalid"),
        category=raw.get("category", "coordinator"),
        contact_details=raw.get("contact_details", ""),
    )


def cna() -> Cna | None:
    """The CNA that takes our CVE submissions (its organisation UUID), or None."""
    raw = getattr(settings, "MOBSEC_CVE_CNA", None)
    return Cna(raw["org_id"], raw.get("short_name", "")) if raw else None
