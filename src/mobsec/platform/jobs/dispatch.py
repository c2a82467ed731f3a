"""Which queued job a free worker takes next, and taking it atomically.

Order: priority class first (emergency, interactive, normal, batch); inside the class the
organisation with the fewest running jobs, then the one served least recently, so one
member's 500 uploads do not starve another's one; inside the organisation, oldest first.
When the capacity is known, ``interactive_reserve`` slots only ever run interactive jobs.

Claiming: ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL (concurrent workers skip each
other's rows instead of waiting), an atomic conditional ``UPDATE ... WHERE state='queued'``
elsewhere (SQLite serialises writers; the condition makes a double claim impossible).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from . import conf
from .models import Job, JobAttempt, Priority, State


def claim_next(
    worker: str,
    *,
    now: datetime | None = None,
    capacity: int | None = None,
    reserve: int | None = None,
) -> Job | None:
    """Claim the next job for ``worker`` (its lease owner name), or None when there is none
    this worker may take now."""
    now = now or timezone.now()
    capacity = conf.capacity() if capacity is None else capacity
    reserve = conf.interactive_reserve(capacity) if reserve is None else reserve
    queued = Job.objects.filter(state=State.QUEUED).filter(
        Q(run_after__isnull=True) | Q(run_after__lte=now)
    )
    if capacity and reserve:
        busy = Job.objects.filter(state=State.RUNNING).exclude(priority=Priority.INTERACTIVE)
        if busy.count() >= capacity - reserve:
            queued = queued.filter(priority=Priority.INTERACTIVE)
    # Classes in order, organisations in fair order; a row another worker locked is skipped.
    for _ in range(3):  # the queue moved under us: look again, a few times
        top = queued.aggregate(p=Min("priority"))["p"]
        if top is None:
            return None
        for org_id in _fair_order(queued.filter(priority=top)):
            job = _claim_in(queued.filter(priority=top, organisation_id=org_id), worker, now)
            if job is not None:
                return job
    return None


def _fair_order(candidates) -> list[int | None]:
    """Organisations with queued candidates: fewest running first, then least recently
    started, then the one whose oldest candidate waited longest."""
    waiting = {
        row["organisation_id"]: row["oldest"]
        for row in candidates.values("organisation_id").annotate(oldest=Min("created_at"))
    }
    stats = {
        row["organisation_id"]: row
        for row in Job.objects.filter(organisation_id__in=[o for o in waiting if o is not None])
        .values("organisation_id")
        .annotate(
            running=Count("id", filter=Q(state=State.RUNNING)),
            last=Max("started_at"),
        )
    }
    epoch = timezone.make_aware(datetime(1970, 1, 1))

    def key(org_id):
        s = stats.get(org_id, {})
        return (s.get("running", 0), s.get("last") or epoch, waiting[org_id])

    return sorted(waiting, key=key)


def _claim_in(candidates, worker: str, now: datetime) -> Job | None:
    oldest = candidates.order_by("created_at", "id")
    running = {
        "state": State.RUNNING,
        "lease_owner": worker,
        "lease_expires_at": now + timedelta(seconds=conf.lease_seconds()),
        "attempts": F("attempts") + 1,
        "started_at": now,
        "progress": 0,
        "phase": "",
    }
    with transaction.atomic():
        if connection.vendor == "postgresql":
            row = oldest.select_for_update(skip_locked=True).only("pk").first()
            if row is None:
                return None
            Job.objects.filter(pk=row.pk).update(**running)
            pk = row.pk
        else:
            pk = oldest.values_list("pk", flat=True).first()
            if pk is None or not Job.objects.filter(pk=pk, state=State.QUEUED).update(**running):
                return None  # another worker took it between our read and our write
        job = Job.objects.get(pk=pk)
        JobAttempt.objects.create(job=job, number=job.attempts, worker=worker, started_at=now)
    return job


def claim_one(job: Job, worker: str, *, now: datetime | None = None) -> Job | None:
    """Claim this job if it is still queued (tests and tools; workers use claim_next)."""
    return _claim_in(
        Job.objects.filter(pk=job.pk, state=State.QUEUED), worker, now or timezone.now()
    )
