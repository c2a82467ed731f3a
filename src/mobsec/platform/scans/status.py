"""A scan's live status: the job row is the truth while it runs, the scan row after."""

from __future__ import annotations

from typing import Any

from .models import Scan


def _job(scan: Scan):
    if not scan.job_id:
        return None
    try:
        from mobsec.platform.jobs.models import Job
    except ImportError:
        return None
    return Job.objects.filter(public_id=scan.job_id).first()


def live_status(scan: Scan) -> dict[str, Any]:
    """``state`` (queued, running, done, failed, cancelled), progress 0..1, phase, attempts,
    timings and the error (code, en, zh) of a failed scan."""
    out: dict[str, Any] = {
        "state": scan.state,
        "progress": 1.0 if scan.state == Scan.State.DONE else 0.0,
        "phase": "",
        "attempts": 0,
        "error": scan.error,
        "started_at": None,
        "finished_at": scan.finished_at,
    }
    if scan.state == Scan.State.DONE:
        return out
    job = _job(scan)
    if job is not None:
        state = job.state if job.state != "done" else scan.state  # done only once stored
        out.update(
            state=state,
            progress=(job.progress or 0) / 100,  # the job row counts 0..100
            phase=job.phase or "",
            attempts=job.attempts,
            started_at=job.started_at,
            finished_at=job.finished_at if state in ("failed", "cancelled") else None,
        )
        if job.state in ("failed", "cancelled") and not out["error"]:
            out["error"] = job.error
    return out
