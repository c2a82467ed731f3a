"""What a handler gets besides the job: progress reporting and a stop signal."""

from __future__ import annotations

import threading
import time

from .models import Job, State

MIN_WRITE_INTERVAL_S = 0.5


class LeaseLost(Exception):
    """The job was cancelled or taken over after this worker's lease ran out: stop now."""


class JobProgress:
    """``progress(percent, phase)`` records progress on the row (at most twice a second).
    ``keep_going()`` turns False once the heartbeat finds the lease gone; the sandbox polls it
    and kills the scan, and ``progress`` raises :class:`LeaseLost`."""

    def __init__(self, job: Job, owner: str) -> None:
        self.job = job
        self.owner = owner
        self.lost = threading.Event()
        self.stop_requested = threading.Event()  # worker shutting down: release the job
        self._last_write = 0.0
        self._last = (-1, "")

    def keep_going(self) -> bool:
        return not (self.lost.is_set() or self.stop_requested.is_set())

    def __call__(self, percent: int, phase: str = "") -> None:
        if not self.keep_going():
            raise LeaseLost(self.job.public_id)
        percent = max(0, min(99, int(percent)))  # 100 is written with the result
        now = time.monotonic()
        if (percent, phase) == self._last or now - self._last_write < MIN_WRITE_INTERVAL_S:
            return
        self._last, self._last_write = (percent, phase), now
        n = Job.objects.filter(pk=self.job.pk, state=State.RUNNING, lease_owner=self.owner).update(
            progress=percent, phase=phase[:200]
        )
        if n == 0:
            self.lost.set()
            raise LeaseLost(self.job.public_id)
