"""Points per verified vulnerability (severity × report quality, ``conf.points_table``),
the yearly and all-time leaderboard, the hall of fame. Rejected, duplicate and withdrawn
reports earn nothing; a report earns when it is confirmed (the year is the confirmation's)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from mobsec.platform.vulns.machine import State
from mobsec.platform.vulns.models import Vulnerability

from . import conf

# Confirmed and every state after it (a case can only get there by being verified).
VERIFIED_STATES = (State.CONFIRMED, State.VENDOR_NOTIFIED, State.FIXING, State.FIXED,
                   State.DISCLOSED)  # fmt: skip


def verified(year: int | None = None) -> QuerySet[Vulnerability]:
    qs = Vulnerability.objects.filter(state__in=VERIFIED_STATES, confirmed_at__isnull=False)
    return qs.filter(confirmed_at__year=year) if year else qs


def points_for(severity: str, quality: str | None) -> int:
    row = conf.points_table().get(severity or "low", {})
    return int(row.get(quality or conf.DEFAULT_QUALITY, 0))


def _quality(v: Vulnerability) -> str:
    rq = getattr(v, "report_quality", None)
    return rq.quality if rq is not None else conf.DEFAULT_QUALITY


@dataclass
class Standing:
    user_id: int
    username: str
    credit_name: str
    public_id: str = ""
    points: int = 0
    count: int = 0
    by_severity: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def shown_name(self) -> str:
        """Public: only the opt-in credit name; otherwise the reporter stays anonymous."""
        return self.credit_name


def leaderboard(year: int | None = None, limit: int = 100) -> list[Standing]:
    """Registered reporters by points (then count), for a year or all time."""
    rows: dict[int, Standing] = {}
    qs = verified(year).filter(reporter__isnull=False).select_related("reporter", "report_quality")
    for v in qs.order_by("confirmed_at", "pk"):
        s = rows.get(v.reporter_id)
        if s is None:
            s = rows[v.reporter_id] = Standing(v.reporter_id, v.reporter.username, "",
                                               v.reporter.public_id)  # fmt: skip
        if v.credit_name and not s.credit_name:
            s.credit_name = v.credit_name
        s.points += points_for(v.severity, _quality(v))
        s.count += 1
        s.by_severity[v.severity or "low"] += 1
    ranked = sorted(rows.values(), key=lambda s: (-s.points, -s.count, s.user_id))
    return ranked[:limit]


def hall_of_fame(limit: int = 50) -> list[Standing]:
    """All-time, only reporters who opted in to a public credit name."""
    return [s for s in leaderboard(None, limit=10_000) if s.credit_name][:limit]


def profile(user_id: int) -> dict:
    """A reporter's own record: their verified reports with the points each earned."""
    user = get_user_model().objects.get(pk=user_id)
    rows = []
    total = 0
    qs = Vulnerability.objects.filter(reporter=user).select_related("report_quality")
    for v in qs.order_by("-received_at"):
        earned = points_for(v.severity, _quality(v)) if v.state in VERIFIED_STATES else 0
        total += earned
        rows.append({"vuln": v, "quality": _quality(v), "points": earned})
    return {"user": user, "rows": rows, "total": total}


def public_profile(public_id: str) -> dict | None:
    """A reporter's public page: only for reporters who opted in to a credit name; their
    points, counts by severity and the published advisories that credit them."""
    from .models import Advisory

    standing = next((s for s in hall_of_fame(limit=10_000) if s.public_id == public_id), None)
    if standing is None:
        return None
    advisories = Advisory.objects.filter(
        status=Advisory.Status.PUBLISHED, vulnerability__reporter_id=standing.user_id
    ).exclude(credit_name="")
    return {"standing": standing, "advisories": advisories,
            "by_severity": dict(standing.by_severity)}  # fmt: skip
