"""The offline advisory table: known vulnerabilities of third-party libraries by Maven
package and affected version range (``facts/data/library_advisories.json``).

The table is data kept in the repository, one entry per advisory and package, each with
the reference that confirms it (docs/vulnerable-libraries.md says how to add one).
:func:`load_advisories` validates every entry, so a malformed edit fails the
table-integrity test and the first scan loudly instead of matching nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from mobsec.cvss_scores import score_v31

from .maven_version import MavenVersion, parse_version

TABLE = Path(__file__).resolve().parent.parent / "data" / "library_advisories.json"
SEVERITIES = ("low", "medium", "high", "critical")
_ID = re.compile(r"GHSA(-[23456789cfghjmpqrvwx]{4}){3}|CVE-\d{4}-\d{4,7}")
_PACKAGE = re.compile(r"[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+")
_URL = re.compile(r"https://[^\s\"<>]+")


class AdvisoryTableError(ValueError):
    """An entry of the advisory table is malformed (names the entry and the problem)."""


@dataclass(frozen=True, slots=True)
class Range:
    introduced: MavenVersion
    fixed: MavenVersion | None  # first version without the flaw
    last_affected: MavenVersion | None  # or: last version with it

    def __contains__(self, v: MavenVersion) -> bool:
        if v < self.introduced:
            return False
        if self.fixed is not None:
            return v < self.fixed
        return self.last_affected is not None and v <= self.last_affected


@dataclass(frozen=True, slots=True)
class Advisory:
    id: str
    aliases: tuple[str, ...]
    package: str
    ranges: tuple[Range, ...]
    versions: tuple[MavenVersion, ...]
    fixed: str | None
    severity: str
    cvss_score: float | None
    cvss_vector: str | None
    summary_en: str
    summary_zh: str
    reference: str

    def affects(self, version: MavenVersion) -> bool:
        return any(version in r for r in self.ranges) or version in self.versions


def _version(raw: Any, where: str) -> MavenVersion:
    v = parse_version(raw) if isinstance(raw, str) else None
    if v is None:
        raise AdvisoryTableError(f"{where}: {raw!r} is not a version")
    return v


def _range(raw: dict[str, Any], where: str) -> Range:
    keys = set(raw)
    if keys not in ({"introduced", "fixed"}, {"introduced", "last_affected"}):
        raise AdvisoryTableError(f"{where}: a range is introduced + fixed or last_affected")
    introduced = _version(raw["introduced"], where)
    fixed = _version(raw["fixed"], where) if "fixed" in raw else None
    last = _version(raw["last_affected"], where) if "last_affected" in raw else None
    end = fixed if fixed is not None else last
    assert end is not None
    if end < introduced or (fixed is not None and fixed == introduced):
        raise AdvisoryTableError(f"{where}: the range ends before it starts")
    return Range(introduced, fixed, last)


def parse_advisory(raw: dict[str, Any]) -> Advisory:
    """One table entry, validated."""
    where = f"advisory {raw.get('id')!r} ({raw.get('package')!r})"
    if not isinstance(raw.get("id"), str) or not _ID.fullmatch(raw["id"]):
        raise AdvisoryTableError(f"{where}: id is not a GHSA or CVE id")
    aliases = raw.get("aliases", [])
    if not all(isinstance(a, str) and _ID.fullmatch(a) for a in aliases):
        raise AdvisoryTableError(f"{where}: an alias is not a GHSA or CVE id")
    if not isinstance(raw.get("package"), str) or not _PACKAGE.fullmatch(raw["package"]):
        raise AdvisoryTableError(f"{where}: package is not a Maven group:artifact")
    ranges = tuple(_range(r, where) for r in raw.get("affected", []))
    versions = tuple(_version(v, where) for v in raw.get("versions", []))
    if not ranges and not versions:
        raise AdvisoryTableError(f"{where}: no affected range or version")
    fixed = raw.get("fixed")
    if fixed is not None:
        fixed_v = _version(fixed, where)
        if any(fixed_v in r for r in ranges):
            raise AdvisoryTableError(f"{where}: the fixed version {fixed} is inside a range")
    if raw.get("severity") not in SEVERITIES:
        raise AdvisoryTableError(f"{where}: severity must be one of {SEVERITIES}")
    cvss = raw.get("cvss") or {}
    score, vector = cvss.get("score"), cvss.get("vector")
    if cvss:
        try:
            computed = score_v31(vector)
        except ValueError as e:
            raise AdvisoryTableError(f"{where}: {e}") from None
        # the score and severity are the vector's, so a typo in either shows
        if score != computed.base_score or raw.get("severity") != computed.severity.lower():
            raise AdvisoryTableError(
                f"{where}: CVSS {vector} scores {computed.base_score} "
                f"({computed.severity.lower()}), not {score} ({raw.get('severity')})"
            )
    summary = raw.get("summary") or {}
    en, zh = summary.get("en", ""), summary.get("zh-CN", "")
    if not (isinstance(en, str) and en.strip() and isinstance(zh, str) and zh.strip()):
        raise AdvisoryTableError(f"{where}: summary needs en and zh-CN text")
    if not isinstance(raw.get("reference"), str) or not _URL.fullmatch(raw["reference"]):
        raise AdvisoryTableError(f"{where}: reference is not an https URL")
    return Advisory(
        id=raw["id"],
        aliases=tuple(aliases),
        package=raw["package"],
        ranges=ranges,
        versions=versions,
        fixed=fixed,
        severity=raw["severity"],
        cvss_score=float(score) if cvss else None,
        cvss_vector=vector if cvss else None,
        summary_en=en,
        summary_zh=zh,
        reference=raw["reference"],
    )


def parse_table(doc: dict[str, Any]) -> dict[str, list[Advisory]]:
    """{package: advisories} from the table document; (id, package) must be unique."""
    out: dict[str, list[Advisory]] = {}
    seen: set[tuple[str, str]] = set()
    for raw in doc.get("advisories", []):
        if not isinstance(raw, dict):
            raise AdvisoryTableError(f"advisory entry is not an object: {raw!r:.80}")
        adv = parse_advisory(raw)
        if (adv.id, adv.package) in seen:
            raise AdvisoryTableError(f"advisory {adv.id} is listed twice for {adv.package}")
        seen.add((adv.id, adv.package))
        out.setdefault(adv.package, []).append(adv)
    return out


@cache
def load_advisories() -> dict[str, list[Advisory]]:
    return parse_table(json.loads(TABLE.read_text(encoding="utf-8")))


def advisories_for(package: str, version: str | None) -> list[Advisory]:
    """The advisories affecting ``package`` at ``version`` (none when it is unknown or no
    plausible version)."""
    v = parse_version(version)
    if v is None:
        return []
    return [a for a in load_advisories().get(package, []) if a.affects(v)]
