"""Per-organisation finding counts for the dashboard (see models.FindingCount)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F, Sum

from .models import Finding, FindingCount

DIMENSIONS = ("severity", "check", "sdk", "month")


def _keys(f: Finding) -> list[tuple[str, str]]:
    keys = [("severity", f.severity), ("check", f.check_id),
            ("month", f.created_at.strftime("%Y-%m"))]  # fmt: skip
    if f.sdk_id:
        keys.append(("sdk", f.sdk_id))
    return keys


def add(organisation_id: int, findings: Iterable[Finding]) -> None:
    """Count new finding rows (call in the transaction that inserts them)."""
    counter = Counter(k for f in findings for k in _keys(f))
    for (dimension, key), n in counter.items():
        updated = FindingCount.objects.filter(
            organisation_id=organisation_id, dimension=dimension, key=key
        ).update(n=F("n") + n)
        if not updated:
            with transaction.atomic():  # a concurrent insert of the same key: add to it
                obj, created = FindingCount.objects.get_or_create(
                    organisation_id=organisation_id, dimension=dimension, key=key,
                    defaults={"n": n},
                )  # fmt: skip
                if not created:
                    FindingCount.objects.filter(pk=obj.pk).update(n=F("n") + n)


def rebuild() -> None:
    """Recount everything from the finding rows (after a bulk load or a repair)."""
    month = (
        "to_char(created_at, 'YYYY-MM')" if connection.vendor == "postgresql"
        else "strftime('%Y-%m', created_at)"
    )  # fmt: skip
    with transaction.atomic(), connection.cursor() as cur:
        FindingCount.objects.all().delete()
        t, f = FindingCount._meta.db_table, Finding._meta.db_table
        for dimension, expr, where in (
            ("severity", "severity", ""), ("check", "check_id", ""),
            ("sdk", "sdk_id", "WHERE sdk_id <> ''"), ("month", month, ""),
        ):  # fmt: skip
            cur.execute(
                f"INSERT INTO {t} (organisation_id, dimension, key, n) "
                f"SELECT organisation_id, %s, {expr}, COUNT(*) FROM {f} {where} "
                f"GROUP BY organisation_id, {expr}",
                [dimension],
            )


def totals(organisation_ids, dimension: str, limit: int | None = None) -> list[tuple[str, int]]:
    qs = (
        FindingCount.objects.filter(dimension=dimension)
        .values_list("key")
        .annotate(total=Sum("n"))
        .order_by("-total", "key")
    )
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return list(qs[:limit] if limit else qs)


def by_organisation(organisation_ids) -> list[tuple[str, int]]:
    qs = (
        FindingCount.objects.filter(dimension="severity")
        .values_list("organisation__name")
        .annotate(total=Sum("n"))
        .order_by("-total")
    )
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return list(qs[:15])
