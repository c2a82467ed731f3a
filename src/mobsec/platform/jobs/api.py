"""What the rest of the platform calls::

    from mobsec.platform.jobs import api as jobs
    jobs.register("scan", handler, on_success=store_report)   # in AppConfig.ready
    job = jobs.submit("scan", organisation=org, payload={...}, priority="interactive",
                      created_by=user, upload_bytes=size)        # may raise QuotaExceeded
    jobs.cancel(job)

``handler(job, progress) -> dict`` runs in a worker process; ``progress(percent, phase)``
reports, ``progress.keep_going()`` says whether to go on. It raises :class:`JobFailed`
(en, zh) for a failure that a retry cannot fix; any other exception is retried with
back-off up to ``max_attempts``. ``on_success(job, result)`` runs in the transaction that
records the result, exactly once per job; ``on_failure(job, error)`` likewise when the job
fails for good (refused, out of retries, or its worker lost ``max_attempts`` times).
Scans go through :func:`run_scan_sandboxed`.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import local, quotas, wake
from .errors import JobFailed, QuotaExceeded, SandboxError
from .kinds import register
from .models import FINAL_STATES, Job, Priority, State
from .progress import JobProgress, LeaseLost
from .sandbox import SandboxLimits
from .sandbox import run_scan_sandboxed as _run_sandboxed

__all__ = [
    "Job",
    "JobFailed",
    "LeaseLost",
    "Priority",
    "QuotaExceeded",
    "SandboxError",
    "SandboxLimits",
    "State",
    "cancel",
    "local",
    "register",
    "run_scan_sandboxed",
    "sandbox_limits",
    "submit",
]


def submit(
    kind: str,
    *,
    organisation=None,
    payload: dict[str, Any] | None = None,
    priority: str | int = "normal",
    created_by=None,
    upload_bytes: int | None = None,
    max_attempts: int | None = None,
    now: datetime | None = None,
) -> Job:
    """Queue a job. ``upload_bytes`` marks it as an upload of that size: it then counts
    against the organisation's quotas, checked here (:class:`QuotaExceeded`)."""
    from . import kinds

    spec = kinds.get(kind)
    if spec is None:
        raise ValueError(f"unknown job kind {kind!r}: register it first")
    now = now or timezone.now()
    with transaction.atomic():
        if upload_bytes is not None and organisation is not None:
            quotas.check_upload(organisation, upload_bytes, now)
        job = Job.objects.create(
            kind=kind,
            organisation=organisation,
            created_by=created_by,
            payload=payload or {},
            priority=Priority.parse(priority),
            max_attempts=max_attempts or spec.max_attempts,
            created_at=now,
            is_upload=upload_bytes is not None,
            upload_bytes=upload_bytes or 0,
        )
        wake.job_queued(job.pk)
    return job


def cancel(job: Job) -> bool:
    """Cancel a queued or running job (a running scan is killed within a heartbeat).
    Returns False when it had already ended."""
    n = (
        Job.objects.filter(pk=job.pk)
        .exclude(state__in=FINAL_STATES)
        .update(
            state=State.CANCELLED, finished_at=timezone.now(), lease_owner="", lease_expires_at=None
        )
    )
    job.refresh_from_db()
    return bool(n)


def sandbox_limits() -> SandboxLimits:
    """The per-scan limits: settings MOBSEC_SCAN_* first, then the environment."""
    env = SandboxLimits.from_env()
    return SandboxLimits(
        cpu_seconds=getattr(settings, "MOBSEC_SCAN_CPU_SECONDS", env.cpu_seconds),
        memory_mb=getattr(settings, "MOBSEC_SCAN_MEMORY_MB", env.memory_mb),
        wall_seconds=getattr(settings, "MOBSEC_SCAN_WALL_SECONDS", env.wall_seconds),
    )


# The engine's phases in the order they run: progress percent is the share of them done.
SCAN_PHASES = (
    "ingest.archive", "ingest.manifest", "ingest.resources", "ingest.signing", "ingest.dex",
    "ingest.native", "ingest.nested", "facts.manifest", "facts.code", "facts.sdks", "checks",
    "facts.taint", "facts.privacy",
)  # fmt: skip


def run_scan_sandboxed(
    package_path: str | Path,
    options_json: dict[str, Any] | None = None,
    limits: SandboxLimits | None = None,
    progress: JobProgress | None = None,
) -> dict[str, Any]:
    """Scan in a limited child process (see ``sandbox.py``) and return the Report JSON.
    With a job's ``progress``, the scan reports into the job row and is killed as soon as
    the job is cancelled or its lease lost. Over a limit: :class:`SandboxError`."""

    def on_phase(phase: str, done: int, total: int) -> None:
        if progress is None:
            return
        i = SCAN_PHASES.index(phase) if phase in SCAN_PHASES else 0
        with contextlib.suppress(LeaseLost):  # keep_going() now says stop: the child is killed
            progress(5 + 90 * i // len(SCAN_PHASES), phase)

    return _run_sandboxed(
        package_path,
        options_json,
        limits or sandbox_limits(),
        progress=on_phase,
        keep_going=progress.keep_going if progress is not None else None,
    )
