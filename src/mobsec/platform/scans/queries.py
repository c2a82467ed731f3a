"""Cross-app questions as queries over finding rows, always within the user's reach."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from mobsec.platform.accounts import access, roles
from mobsec.platform.registry.models import App

from . import counts
from .models import SEVERITIES, Finding, Scan

FILTERS = ("check_id", "severity", "confidence", "status", "owner_kind", "sdk_id")


def visible_findings(user) -> QuerySet[Finding]:
    reach = access.resolve(user)
    if roles.VIEW in reach.everything:
        return Finding.objects.all()
    # The finding row carries its organisation: no join for the organisation scope.
    q = Q(organisation__in=reach.org_ids(roles.VIEW))
    owned = reach.owned.get(roles.VIEW)
    if owned:
        q |= Q(app__owner__in=owned)
    return Finding.objects.filter(q)


def visible_apps(user) -> QuerySet[App]:
    return App.objects.filter(access.resolve(user).app_q(roles.VIEW))


def visible_scans(user) -> QuerySet[Scan]:
    return Scan.objects.filter(access.scan_q(user)).distinct()


def filter_findings(qs: QuerySet[Finding], params) -> QuerySet[Finding]:
    """Filters from query parameters: exact check/severity/…, ``cwe`` number, ``masvs``
    id, ``organisation`` and ``app`` public ids, ``check_prefix``."""
    for name in FILTERS:
        value = params.get(name)
        if value:
            qs = qs.filter(**{name: value[:200]})
    if params.get("check_prefix"):
        qs = qs.filter(check_id__startswith=params["check_prefix"][:120])
    if params.get("organisation"):
        qs = qs.filter(organisation__public_id=params["organisation"][:40])
    if params.get("app"):
        qs = qs.filter(app__public_id=params["app"][:40])
    if params.get("package_name"):
        qs = qs.filter(app__package_name=params["package_name"][:255])
    cwe = (params.get("cwe") or "").upper().removeprefix("CWE-")
    if cwe.isdigit() and len(cwe) < 7:
        qs = qs.filter(cwe__contains=f",{int(cwe)},")
    masvs = params.get("masvs")
    if masvs:
        qs = qs.filter(masvs__contains=f",{masvs[:60].replace(',', ' ')},")
    if params.get("latest") in ("1", "true"):
        qs = qs.filter(version_id__in=latest_version_ids(qs))
    return qs


def _postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def latest_version_ids(qs: QuerySet[Finding]):
    """Each app's newest version (by upload time): "what apps have now", not history."""
    from mobsec.platform.registry.models import Version

    return (
        Version.objects.filter(app_id__in=qs.values("app_id"))
        .order_by("app_id", "-uploaded_at")
        .distinct("app_id")
        .values("id")
        if _postgres()
        else _latest_portable(qs)
    )


def _latest_portable(qs):
    from django.db.models import OuterRef, Subquery

    from mobsec.platform.registry.models import Version

    newest = Version.objects.filter(app_id=OuterRef("app_id")).order_by("-uploaded_at")
    return (
        Version.objects.filter(app_id__in=qs.values("app_id"))
        .filter(id=Subquery(newest.values("id")[:1]))
        .values("id")
    )


def statistics(user, params=None) -> dict:
    """Counts for the dashboard: by severity, check, SDK, organisation and month. Without
    filters and for organisation-wide reach they come from the per-organisation counters
    (counts.py); filtered or vendor-scoped questions aggregate the finding rows."""
    reach = access.resolve(user)
    filtered = any(v for k, v in (params or {}).items() if k not in ("limit", "offset"))
    if filtered or reach.owned.get(roles.VIEW):
        return _statistics_from_rows(user, params or {})
    orgs = None if roles.VIEW in reach.everything else reach.org_ids(roles.VIEW)
    by_sev = dict(counts.totals(orgs, "severity"))
    return {
        "apps": visible_apps(user).count(),
        "findings": sum(by_sev.values()),
        "by_severity": {s: by_sev.get(s, 0) for s in SEVERITIES},
        "by_check": [{"check_id": k, "count": n} for k, n in counts.totals(orgs, "check", 15)],
        "by_sdk": [{"sdk_id": k, "count": n} for k, n in counts.totals(orgs, "sdk", 15)],
        "by_organisation": [
            {"organisation": k, "count": n} for k, n in counts.by_organisation(orgs)
        ],
        "by_month": sorted(
            ({"month": k, "count": n} for k, n in counts.totals(orgs, "month")),
            key=lambda r: r["month"],
        )[-24:],
    }


def _statistics_from_rows(user, params) -> dict:
    qs = filter_findings(visible_findings(user), params)
    by_sev = dict(qs.values_list("severity").annotate(n=Count("id")).order_by())
    return {
        "apps": visible_apps(user).count(),
        "findings": sum(by_sev.values()),
        "by_severity": {s: by_sev.get(s, 0) for s in SEVERITIES},
        "by_check": [
            {"check_id": c, "count": n}
            for c, n in qs.values_list("check_id").annotate(n=Count("id")).order_by("-n")[:15]
        ],
        "by_sdk": [
            {"sdk_id": s, "count": n}
            for s, n in qs.exclude(sdk_id="")
            .values_list("sdk_id")
            .annotate(n=Count("id"))
            .order_by("-n")[:15]
        ],
        "by_organisation": [
            {"organisation": name, "count": n}
            for name, n in qs.values_list("organisation__name")
            .annotate(n=Count("id"))
            .order_by("-n")[:15]
        ],
        "by_month": [
            {"month": m.strftime("%Y-%m") if m else "", "count": n}
            for m, n in qs.annotate(month=TruncMonth("created_at"))
            .values_list("month")
            .annotate(n=Count("id"))
            .order_by("month")
        ][-24:],
    }
