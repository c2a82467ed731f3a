"""What every human-facing renderer derives from a Report document, computed in one place.

The terminal, HTML and PDF outputs must agree on the risk rating, on which findings count
as open and on how findings are grouped; so they all read this view instead of computing
it themselves. Input is the Report JSON document (``Report.to_json()`` or a report file
read back), so a report can be re-rendered without re-scanning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from mobsec.report.render.messages import MESSAGES, pick, t

SEVERITIES = ("critical", "high", "medium", "low", "info")
RANK = {s: i for i, s in enumerate(SEVERITIES)}  # 0 = most severe


def area_of(check_id: str) -> str:
    """The area of a check: its id up to the second dot ("android.crypto.ecb" → "android.crypto")."""
    parts = check_id.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else (check_id or "other")


def area_label(area: str, lang: str) -> str:
    """ "android.crypto" → "密码学" / "Cryptography": the area's name, never its id."""
    key = f"area.{area.split('.', 1)[-1]}"
    return t(key, lang) if key in MESSAGES else t("area.other", lang)


def is_suppressed(finding: dict[str, Any]) -> bool:
    return bool(finding.get("suppression"))


def is_app(finding: dict[str, Any]) -> bool:
    """In the app's own code (or manifest), not in an SDK or other third-party code."""
    return ((finding.get("owner") or {}).get("kind") or "app") == "app"


def is_open(finding: dict[str, Any]) -> bool:
    """Counts for the rating and for ``--fail-on``: not suppressed."""
    return not is_suppressed(finding)


def gates(finding: dict[str, Any]) -> bool:
    """Fails a CI gate: open and not already accepted in the baseline."""
    return is_open(finding) and finding.get("status") != "unchanged"


def at_or_above(severity: str, threshold: str) -> bool:
    return RANK.get(severity, len(RANK)) <= RANK[threshold]


@dataclass(slots=True)
class Risk:
    rating: str  # critical | high | medium | low | none | unassessed (not an app package)
    reasons: list[str] = field(default_factory=list)  # sentences in the view's language


@dataclass(slots=True)
class Area:
    id: str
    label: str
    findings: list[dict[str, Any]]

    @property
    def worst(self) -> str:
        return min((f["severity"] for f in self.findings), key=lambda s: RANK.get(s, 9))


def severity_counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(f.get("severity") for f in findings)
    return {s: counts.get(s, 0) for s in SEVERITIES}


def counts_text(counts: dict[str, int], lang: str) -> str:
    sep = "，" if lang == "zh-CN" else ", "
    parts = [f"{n} {t(f'severity.{s}', lang)}" for s, n in counts.items() if n]
    return sep.join(parts) or t("none", lang)


def risk_of(doc: dict[str, Any], lang: str) -> Risk:
    """Rating = the highest severity among open findings; the reasons say so in words.

    Deliberately simple and explainable: a reviewer must be able to reproduce it by hand.
    Informational findings never raise the rating; suppressed ones are not counted; an
    incomplete scan is called out because missing parts may hide findings.
    """
    findings = doc.get("findings") or []
    unsupported = next(
        (d for d in doc.get("diagnostics") or [] if d.get("code") == "input.unsupported_format"),
        None,
    )
    if unsupported is not None:  # nothing was analysed: no rating, and why
        what = pick(unsupported.get("message"), lang)
        return Risk("unassessed", [t("risk.why.unassessed", lang, what=what)])
    open_ = [f for f in findings if is_open(f)]
    counts = severity_counts(open_)
    top = next((s for s in SEVERITIES[:4] if counts[s]), None)
    rating = top or "none"
    label = t(f"risk.{rating}", lang)
    if top:
        reasons = [
            t(
                "risk.why.top",
                lang,
                rating=label,
                severity=t(f"severity.{top}", lang),
                counts=counts_text(counts, lang),
            )
        ]
    else:
        reasons = [t("risk.why.none", lang, rating=label, counts=counts_text(counts, lang))]
    sdk = [f for f in open_ if not is_app(f)]
    if sdk:  # how much of the rating third-party code is responsible for
        severe = [f for f in open_ if RANK.get(f.get("severity", ""), 9) <= RANK["high"]]
        reasons.append(
            t(
                "risk.why.sdk",
                lang,
                n=len(sdk),
                total=len(open_),
                severe=sum(1 for f in severe if not is_app(f)),
                severe_total=len(severe),
            )
        )
    scope = (doc.get("view_scope") or {}).get("scope")
    if scope:
        reasons.append(t(f"risk.why.scope.{scope}", lang, n=doc["view_scope"]["hidden"]))
    suppressed = len(findings) - len(open_)
    if suppressed:
        reasons.append(t("risk.why.excluded", lang, n=suppressed))
    new = sum(1 for f in open_ if f.get("status") == "new")
    if (doc.get("triage") or {}).get("baseline"):
        reasons.append(t("risk.why.baseline", lang, n=new))
    if not (doc.get("scan") or {}).get("complete", True):
        reasons.append(t("risk.why.incomplete", lang))
    return Risk(rating, reasons)


def sorted_findings(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Most severe first; new before baseline; then by check and place (stable output)."""

    def key(f: dict[str, Any]) -> tuple[Any, ...]:
        loc = f.get("location") or {}
        return (
            is_suppressed(f),
            RANK.get(f.get("severity", ""), 9),
            f.get("status") != "new",
            f.get("check_id", ""),
            loc.get("file") or "",
            loc.get("class") or "",
            loc.get("method") or "",
            loc.get("offset") or 0,
        )

    return sorted(findings, key=key)


def areas_of(doc: dict[str, Any], lang: str) -> list[Area]:
    """Findings grouped by area, the area with the worst open finding first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in sorted_findings(doc.get("findings") or []):
        groups.setdefault(area_of(f.get("check_id", "")), []).append(f)
    areas = [Area(a, area_label(a, lang), fs) for a, fs in groups.items()]
    return sorted(areas, key=lambda a: (RANK.get(a.worst, 9), a.id))


def location_text(loc: dict[str, Any] | None, lang: str = "en") -> str:
    """ "classes.dex · com.x.Y.method(…) @0x12 (Y.java:34)" — everything a reviewer needs."""
    if not loc:
        return ""
    parts = [loc.get("file") or ""]
    where = loc.get("class") or ""
    if loc.get("method"):
        where = f"{where}.{loc['method']}" if where else loc["method"]
    if where:
        parts.append(where)
    if loc.get("offset") is not None:
        parts.append(f"@0x{loc['offset']:x}")
    src = loc.get("source_file")
    if src and loc.get("line") is not None:
        parts.append(f"({src}:{loc['line']})")
    elif loc.get("line") is not None:
        parts.append(f"第 {loc['line']} 行" if lang == "zh-CN" else f"line {loc['line']}")
    return " · ".join(p for p in parts if p)


def owner_text(
    owner: dict[str, Any] | None, lang: str, names: dict[str, dict[str, str]] | None = None
) -> str:
    """ "应用自身代码" / "SDK Google Play 服务" — in the report's language, never an id."""
    owner = owner or {}
    kind = owner.get("kind") or "app"
    if kind == "sdk":
        name = (
            pick((names or {}).get(owner.get("sdk_id") or ""), lang) or owner.get("sdk_name") or ""
        )
        return t("owner.sdk", lang, name=name or owner.get("sdk_id") or "?")
    key = f"owner.{kind}"
    try:
        return t(key, lang)
    except KeyError:
        return t("owner.unknown", lang)


def exported_components(doc: dict[str, Any]) -> list[dict[str, Any]]:
    m = doc.get("manifest") or {}
    return [c for c in m.get("components") or [] if c.get("exported")]


def is_dangerous(perm: dict[str, Any]) -> bool:
    return "dangerous" in (perm.get("protection_level") or "")


def certificates(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The signer certificates (what Android compares on update), deduplicated by digest."""
    s = doc.get("signing") or {}
    seen: dict[str, dict[str, Any]] = {}
    for cert in s.get("signers") or []:
        if isinstance(cert, dict) and cert.get("sha256"):
            seen.setdefault(cert["sha256"], cert)
    return list(seen.values())
