"""The local backend: a pool of worker processes beside ``mobsec serve``, plus the periodic
scheduler (reaper, ...) in a thread of the serving process. No broker: workers poll the
job rows. A worker that dies is restarted; its job is requeued by the reaper.

    pool = jobs.local.start_pool(2)   # after django.setup() and migrate
    ...
    pool.stop()
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

from .periodic import LocalScheduler

RESTART_DELAY_S = 1.0


class LocalPool:
    def __init__(
        self, size: int, env: dict[str, str] | None = None, scheduler: bool = True
    ) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.size = size
        self.env = {**os.environ, "MOBSEC_WORKER_CAPACITY": str(size), **(env or {})}
        self.env.setdefault("DJANGO_SETTINGS_MODULE", "mobsec.platform.settings.local")
        self.procs: list[subprocess.Popen[bytes] | None] = [None] * size
        self.scheduler = LocalScheduler() if scheduler else None
        self._stopping = threading.Event()
        self._supervisor = threading.Thread(target=self._supervise, name="mobsec-pool", daemon=True)

    def start(self) -> LocalPool:
        for i in range(self.size):
            self._spawn(i)
        self._supervisor.start()
        if self.scheduler is not None:
            self.scheduler.start()
        return self

    def _spawn(self, i: int) -> None:
        self.procs[i] = subprocess.Popen(
            [sys.executable, "-m", "mobsec.platform.jobs.pool_process", "--label", f"local{i}"],
            env=self.env,
        )

    def _supervise(self) -> None:
        while not self._stopping.wait(RESTART_DELAY_S):
            for i, proc in enumerate(self.procs):
                if proc is not None and proc.poll() is not None and not self._stopping.is_set():
                    self._spawn(i)  # died (killed, crashed): a fresh one takes its place

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs if p is not None and p.poll() is None]

    def stop(self, timeout: float = 15.0) -> None:
        """Ask every worker to stop (running jobs are released to the queue), then kill
        any that has not exited within ``timeout``."""
        self._stopping.set()
        if self.scheduler is not None:
            self.scheduler.stop()
        for proc in self.procs:
            if proc is not None and proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + timeout
        for proc in self.procs:
            if proc is None:
                continue
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self._supervisor.join(timeout=5)


def start_pool(size: int, env: dict[str, str] | None = None, scheduler: bool = True) -> LocalPool:
    """Start ``size`` worker processes (and the periodic scheduler unless ``scheduler`` is
    False). They inherit this process's environment (settings module, data directory);
    ``env`` adds to it."""
    return LocalPool(size, env, scheduler).start()
