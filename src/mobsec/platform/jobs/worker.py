"""A worker: claim from the rows, run, repeat. Each local pool process runs one
(``pool_process.py``); each Celery task runs one over the jobs it can claim."""

from __future__ import annotations

import os
import secrets
import socket
import threading

from django.db import close_old_connections

from . import dispatch, kinds
from .progress import JobProgress
from .runner import run_claimed


def worker_name(label: str = "w") -> str:
    """Unique per process (host, pid, random): the lease owner of the jobs it claims."""
    return f"{label}@{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class Worker:
    def __init__(self, name: str) -> None:
        self.name = name
        self.stopping = threading.Event()
        self.current: JobProgress | None = None

    def run_available(self, max_jobs: int | None = None) -> int:
        """Run claimable jobs one after another until none is left (or ``max_jobs``)."""
        kinds.import_extra_modules()
        ran = 0
        while not self.stopping.is_set() and (max_jobs is None or ran < max_jobs):
            close_old_connections()  # long-lived process: drop a broken connection between jobs
            job = dispatch.claim_next(self.name)
            if job is None:
                break
            self.current = JobProgress(job, self.name)
            try:
                run_claimed(job, self.name, self.current)
            finally:
                self.current = None
            ran += 1
        return ran

    def stop(self) -> None:
        """Stop claiming; the running job (if any) is killed and released to the queue."""
        self.stopping.set()
        if self.current is not None:
            self.current.stop_requested.set()

    def loop(self, poll_seconds: float) -> None:
        while not self.stopping.is_set():
            if self.run_available() == 0:
                self.stopping.wait(poll_seconds)
