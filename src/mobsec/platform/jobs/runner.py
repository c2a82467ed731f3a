"""Run one claimed job: heartbeat, handler, and a result written at most once.

Every write a worker makes to the row is conditional on ``state='running'`` and on this
claim (``lease_owner`` and ``attempts``). A worker whose lease ran out (and whose job the
reaper requeued or another worker now runs) or whose job was cancelled therefore cannot
overwrite anything: its completion updates no row, and its ``on_success`` never runs.
"""

from __future__ import annotations

import logging
import threading
import traceback
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from . import conf, kinds
from .errors import JobFailed, SandboxError
from .models import Job, JobAttempt, Outcome, State
from .progress import JobProgress, LeaseLost

log = logging.getLogger(__name__)

TRACEBACK_TAIL = 4000


class Heartbeat(threading.Thread):
    """Renews the lease every third of its length; flags the job lost when it cannot."""

    def __init__(self, job: Job, progress: JobProgress) -> None:
        super().__init__(name=f"heartbeat-{job.public_id}", daemon=True)
        self.job = job
        self.progress = progress
        self.done = threading.Event()

    def run(self) -> None:
        lease = conf.lease_seconds()
        try:
            while not self.done.wait(lease / 3):
                n = _this_claim(self.job, self.progress.owner).update(
                    lease_expires_at=timezone.now() + timedelta(seconds=lease)
                )
                if n == 0:
                    self.progress.lost.set()
                    return
        finally:
            connection.close()  # this thread's own connection


def _this_claim(job: Job, owner: str):
    return Job.objects.filter(
        pk=job.pk, state=State.RUNNING, lease_owner=owner, attempts=job.attempts
    )


def _attempt(job: Job, owned: bool = True):
    """This claim's attempt row. Without the lease, only a row still marked running is
    ours to close: the reaper's 'lost' and a later 'done' stay as they are."""
    rows = JobAttempt.objects.filter(job_id=job.pk, number=job.attempts)
    return rows if owned else rows.filter(outcome=Outcome.RUNNING)


def run_claimed(job: Job, owner: str, progress: JobProgress | None = None) -> str:
    """Run ``job`` (claimed by ``owner``) to an end; returns the attempt's outcome."""
    progress = progress or JobProgress(job, owner)
    beat = Heartbeat(job, progress)
    beat.start()
    try:
        kind = kinds.get(job.kind)
        if kind is None:
            raise JobFailed(
                f"no handler for jobs of kind {job.kind!r} on this worker",
                f"此工作进程没有 {job.kind!r} 类任务的处理程序",
                code="job.unknown-kind",
            )
        result = kind.handler(job, progress)
    except LeaseLost:
        return _stopped(job, owner, progress)
    except SandboxError as e:
        if e.code == "sandbox.cancelled" and not progress.keep_going():
            return _stopped(job, owner, progress)
        return _fail(job, owner, e.to_json())
    except JobFailed as e:
        return _fail(job, owner, e.to_json())
    except Exception as e:
        log.exception("job %s (%s) failed unexpectedly", job.public_id, job.kind)
        return _retry_or_fail(job, owner, e, kind.backoff_seconds if kind else 10.0)
    else:
        if not isinstance(result, dict):
            return _fail(job, owner, _internal(TypeError(f"handler returned {type(result)}")))
        return complete(job, owner, result, kind.on_success)
    finally:
        beat.done.set()
        beat.join(timeout=5)


def complete(job: Job, owner: str, result: dict[str, Any], on_success=None) -> str:
    now = timezone.now()
    with transaction.atomic():
        n = _this_claim(job, owner).update(
            state=State.DONE,
            result=result,
            error=None,
            progress=100,
            phase="",
            finished_at=now,
            lease_owner="",
            lease_expires_at=None,
        )
        if n == 0:  # cancelled, or the lease was lost and someone else owns the job now
            _attempt(job, owned=False).update(outcome=Outcome.STOPPED, finished_at=now)
            return Outcome.STOPPED
        _attempt(job).update(outcome=Outcome.DONE, finished_at=now)
        if on_success is not None:
            job.refresh_from_db()
            on_success(job, result)
    return Outcome.DONE


def _fail(job: Job, owner: str, error: dict[str, Any]) -> str:
    now = timezone.now()
    with transaction.atomic():
        n = _this_claim(job, owner).update(
            state=State.FAILED, error=error, finished_at=now, lease_owner="", lease_expires_at=None
        )
        outcome = Outcome.FAILED if n else Outcome.STOPPED
        _attempt(job, owned=bool(n)).update(outcome=outcome, finished_at=now, error=error)
        if n:
            failed(job, error)
    return outcome


def failed(job: Job, error: dict[str, Any]) -> None:
    """The job has just been marked failed for good: its kind's ``on_failure``, if any."""
    kind = kinds.get(job.kind)
    if kind is not None and kind.on_failure is not None:
        job.refresh_from_db()
        kind.on_failure(job, error)


def _retry_or_fail(job: Job, owner: str, exc: BaseException, backoff: float) -> str:
    error = _internal(exc)
    if job.attempts >= job.max_attempts:
        return _fail(job, owner, error)
    now = timezone.now()
    with transaction.atomic():
        n = _this_claim(job, owner).update(
            state=State.QUEUED,
            error=error,
            lease_owner="",
            lease_expires_at=None,
            run_after=now + timedelta(seconds=backoff * 2 ** (job.attempts - 1)),
        )
        outcome = Outcome.RETRY if n else Outcome.STOPPED
        _attempt(job, owned=bool(n)).update(outcome=outcome, finished_at=now, error=error)
    return outcome


def _stopped(job: Job, owner: str, progress: JobProgress) -> str:
    """The lease is gone (cancelled / reaped), or the worker is shutting down: in the
    latter case the job goes back to the queue and this attempt does not count against
    ``max_attempts``."""
    now = timezone.now()
    with transaction.atomic():
        if progress.stop_requested.is_set() and not progress.lost.is_set():
            n = _this_claim(job, owner).update(
                state=State.QUEUED,
                lease_owner="",
                lease_expires_at=None,
                max_attempts=F("max_attempts") + 1,
            )
            if n:
                _attempt(job).update(outcome=Outcome.RELEASED, finished_at=now)
                return Outcome.RELEASED
        _attempt(job, owned=False).update(outcome=Outcome.STOPPED, finished_at=now)
    return Outcome.STOPPED


def _internal(exc: BaseException) -> dict[str, Any]:
    tb = "".join(traceback.format_exception(exc))[-TRACEBACK_TAIL:]
    return {
        "code": "job.internal",
        "en": f"internal error: {type(exc).__name__}: {exc}",
        "zh": f"内部错误：{type(exc).__name__}: {exc}",
        "details": {"traceback": tb},
    }
