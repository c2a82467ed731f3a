"""Requeue jobs whose worker stopped renewing its lease (killed, machine gone).

Runs every 15 s (``MOBSEC_JOBS_REAP_SECONDS``); leases last 30 s and are renewed every 10 s, so a dead worker's job is
queued again within 45 s of the last heartbeat (the target is 60 s). A job that lost its
worker ``max_attempts`` times fails instead: a package that kills every worker that
touches it must not go round for ever.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import conf, runner, wake
from .models import Job, JobAttempt, Outcome, State

KICK_EVERY_S = 10


def reap(now: datetime | None = None) -> list[Job]:
    """Requeue (or fail) every running job whose lease expired before ``now``."""
    now = now or timezone.now()
    changed = []
    expired = Job.objects.filter(state=State.RUNNING, lease_expires_at__lt=now)
    for job in expired:
        with transaction.atomic():
            claim = Job.objects.filter(
                pk=job.pk,
                state=State.RUNNING,
                lease_owner=job.lease_owner,
                attempts=job.attempts,
                lease_expires_at__lt=now,  # a heartbeat since our read wins
            )
            if job.attempts >= job.max_attempts:
                error = {
                    "code": "job.worker-lost",
                    "en": f"the worker running this job was lost {job.attempts} times; giving up",
                    "zh": f"运行此任务的工作进程已丢失 {job.attempts} 次，不再重试",
                }
                n = claim.update(
                    state=State.FAILED,
                    error=error,
                    finished_at=now,
                    lease_owner="",
                    lease_expires_at=None,
                )
            else:
                n = claim.update(state=State.QUEUED, lease_owner="", lease_expires_at=None)
            if n:
                JobAttempt.objects.filter(
                    job_id=job.pk, number=job.attempts, outcome=Outcome.RUNNING
                ).update(outcome=Outcome.LOST, finished_at=now)
                if job.attempts >= job.max_attempts:
                    runner.failed(job, error)
                else:
                    wake.job_queued(job.pk)
                changed.append(job)
    return changed


def kick(now: datetime | None = None) -> int:
    """Celery only: when claimable jobs wait and fewer tokens than worker slots sit in the
    broker, send the difference (a token can be lost: a broker restart, a worker killed
    before it acknowledged). Each token drains the queue until it finds nothing, so a few
    suffice; extra ones are harmless no-ops."""
    if conf.backend() != "celery":
        return 0
    now = now or timezone.now()
    waiting = Job.objects.filter(state=State.QUEUED).filter(
        Q(run_after__isnull=True) | Q(run_after__lte=now)
    )
    first = waiting.order_by("priority", "created_at").values_list("pk", flat=True).first()
    if first is None:
        return 0
    from .celery_app import pending_tokens, send_token

    missing = max(conf.capacity(), 2) - pending_tokens()
    for _ in range(max(missing, 0)):
        send_token(first)
    return max(missing, 0)
