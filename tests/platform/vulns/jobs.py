"""Running the queued jobs in the test process, as a worker does (claim, run, record)."""

from __future__ import annotations

from django.utils import timezone

from mobsec.platform.jobs.dispatch import claim_next
from mobsec.platform.jobs.runner import run_claimed


def run_jobs(kinds: set[str] | None = None) -> list[tuple[str, str]]:
    """Run every job due now; returns (kind, outcome) in order."""
    ran = []
    while (job := claim_next("vulns-test", now=timezone.now(), capacity=0)) is not None:
        ran.append((job.kind, run_claimed(job, "vulns-test")))
    return [r for r in ran if kinds is None or r[0] in kinds]
