"""Support units' (技术支撑单位) yearly star rating from ``conf.rating_formula`` (documented
in docs/disclosure.md), computed from the unit's reports with the table shown beside it."""

from __future__ import annotations

from dataclasses import dataclass, field

from mobsec.platform.accounts.models import Membership, Organisation
from mobsec.platform.vulns import fixes
from mobsec.platform.vulns import roles as vuln_roles
from mobsec.platform.vulns.machine import State
from mobsec.platform.vulns.models import Transition, Vulnerability

from . import conf
from .rewards import VERIFIED_STATES

INVALID_STATES = (State.REJECTED, State.DUPLICATE)


@dataclass
class UnitRating:
    organisation: Organisation
    year: int
    verified: int = 0
    invalid: int = 0
    timely: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)
    confirmed_for_others: int = 0  # vulnerabilities its verifiers confirmed
    score: float = 0
    validity: float = 0.0
    timeliness: float = 0.0
    stars: int = 0  # 0: not rated

    @property
    def stars_label(self) -> str:
        return {4: "四星", 3: "三星", 2: "二星"}.get(self.stars, "—")


def _stars(r: UnitRating, levels: list[dict]) -> int:
    for level in sorted(levels, key=lambda x: -x["stars"]):
        if (r.score >= level["score"] and r.validity >= level["validity"]
                and r.timeliness >= level["timeliness"]):  # fmt: skip
            return int(level["stars"])
    return 0


def rate_units(year: int) -> list[UnitRating]:
    """Every organisation that reported in ``year``, best first."""
    formula = conf.rating_formula()
    weights = formula["weights"]
    timely_days = formula["timely_days"]
    ratings: dict[int, UnitRating] = {}
    qs = Vulnerability.objects.filter(reporter_org__isnull=False).select_related("reporter_org")
    for v in qs.filter(received_at__year=year):
        r = ratings.setdefault(v.reporter_org_id, UnitRating(v.reporter_org, year))
        if v.state in VERIFIED_STATES and v.confirmed_at is not None:
            r.verified += 1
            sev = v.severity or "low"
            r.by_severity[sev] = r.by_severity.get(sev, 0) + 1
            r.score += int(weights.get(sev, 0))
            if (v.confirmed_at - v.received_at).days <= timely_days:
                r.timely += 1
        elif v.state in INVALID_STATES:
            r.invalid += 1
    _add_verifications(ratings, year, weights, float(formula.get("verification_factor", 0)))
    for r in ratings.values():
        judged = r.verified + r.invalid
        r.validity = r.verified / judged if judged else 0.0
        r.timeliness = r.timely / r.verified if r.verified else 0.0
        r.stars = _stars(r, formula["levels"])
    return sorted(ratings.values(), key=lambda r: (-r.stars, -r.score, r.organisation.name))


def _add_verifications(ratings: dict[int, UnitRating], year: int, weights: dict,
                       factor: float) -> None:  # fmt: skip
    """Units also verify: each confirmation in ``year`` by one of a unit's verifiers adds
    ``factor`` × the severity weight (the platform's own desk is not a unit)."""
    desk = fixes.desk_organisation().pk
    confirms = Transition.objects.filter(action="confirm", at__year=year, actor__isnull=False)
    for t in confirms.select_related("vulnerability"):
        orgs = Membership.objects.filter(user_id=t.actor_id, role=vuln_roles.VERIFIER.id)
        for org in Organisation.objects.filter(pk__in=orgs.values("organisation")).exclude(pk=desk):
            r = ratings.setdefault(org.pk, UnitRating(org, year))
            r.confirmed_for_others += 1
            r.score += factor * weights.get(t.vulnerability.severity or "low", 0)
