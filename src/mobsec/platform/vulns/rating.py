"""CVSS v3.1 and v4.0 scores and the severity tier, computed by the ``cvss`` library (vector
validation and scoring are the library's; we never write the formulas ourselves).

Tier: 超危/critical ≥ 9.0, 高危/high ≥ 7.0, 中危/medium ≥ 4.0, 低危/low otherwise (the
CVSS qualitative scale; 0.0 "none" is filed as low: a confirmed vulnerability has a tier).
The tier follows the v4.0 score when a v4.0 vector is given, else the v3.1 score.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cvss import CVSS3, CVSS4
from cvss.exceptions import CVSSError

from mobsec.platform.core.errors import UserError

TIERS = {
    "critical": ("Critical", "超危"),
    "high": ("High", "高危"),
    "medium": ("Medium", "中危"),
    "low": ("Low", "低危"),
}
# The alliance's list factors, each rated on this scale.
FACTORS = ("harm", "scope", "repair_difficulty", "exploitability")
FACTOR_LEVELS = ("high", "medium", "low")


@dataclass(frozen=True)
class Rating:
    cvss31_vector: str
    cvss31_score: Decimal | None
    cvss40_vector: str
    cvss40_score: Decimal | None
    severity: str


def tier(score: Decimal | float) -> str:
    s = Decimal(str(score))
    if s >= Decimal("9.0"):
        return "critical"
    if s >= Decimal("7.0"):
        return "high"
    if s >= Decimal("4.0"):
        return "medium"
    return "low"


def label(severity: str, lang: str) -> str:
    en, zh = TIERS.get(severity, ("", ""))
    return en if lang.startswith("en") else zh


def _bad(version: str, vector: str, problem: str) -> UserError:
    shown = vector[:120]
    return UserError(
        "vulns.bad_cvss",
        f"Invalid CVSS {version} vector {shown!r}: {problem}",
        f"CVSS {version} 向量无效 {shown!r}：{problem}",
    )


def score31(vector: str) -> tuple[str, Decimal]:
    vector = vector.strip()
    if not vector.startswith("CVSS:3.1/"):
        raise _bad("3.1", vector, "it must start with CVSS:3.1/")
    try:
        c = CVSS3(vector)
    except CVSSError as e:
        raise _bad("3.1", vector, str(e)) from None
    return c.clean_vector(), Decimal(str(c.base_score))


def score40(vector: str) -> tuple[str, Decimal]:
    vector = vector.strip()
    if not vector.startswith("CVSS:4.0/"):
        raise _bad("4.0", vector, "it must start with CVSS:4.0/")
    try:
        c = CVSS4(vector)
    except CVSSError as e:
        raise _bad("4.0", vector, str(e)) from None
    return c.clean_vector(), Decimal(str(c.base_score))


def rate(cvss31: str = "", cvss40: str = "") -> Rating:
    """Validate and score the vectors given (at least one)."""
    if not (cvss31 or "").strip() and not (cvss40 or "").strip():
        raise UserError(
            "vulns.cvss_required",
            "A CVSS v3.1 or v4.0 vector is required.",
            "必须填写 CVSS v3.1 或 v4.0 向量。",
        )
    v31, s31 = score31(cvss31) if (cvss31 or "").strip() else ("", None)
    v40, s40 = score40(cvss40) if (cvss40 or "").strip() else ("", None)
    return Rating(v31, s31, v40, s40, tier(s40 if s40 is not None else s31))


def clean_factors(raw: dict | None) -> dict[str, str]:
    """The list factors as recorded: each one of FACTOR_LEVELS, unknown keys refused."""
    out: dict[str, str] = {}
    for key, value in (raw or {}).items():
        if key not in FACTORS or value not in FACTOR_LEVELS:
            raise UserError(
                "vulns.bad_factor",
                f"Unknown factor or level {key!r}={value!r}: factors {', '.join(FACTORS)}, "
                f"levels {', '.join(FACTOR_LEVELS)}.",
                f"未知的评级因素或等级 {key!r}={value!r}。",
            )
        out[key] = value
    return out
