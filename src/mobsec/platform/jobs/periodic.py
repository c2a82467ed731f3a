"""Periodic tasks (reaper now; deadlines, reminders, re-scans later), one registry for both
modes: the local pool's scheduler thread runs them, and Celery beat gets them as its
schedule (``celery_app.py``). Apps register theirs in ``AppConfig.ready``.

A task must be safe to run twice at once (two schedulers, a slow run overlapping the
next): do its work with conditional updates, as the reaper does.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections, connection

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Periodic:
    name: str
    every: float | Callable[[], float]  # seconds, or read each time (from settings)
    func: Callable[[], object]

    @property
    def every_seconds(self) -> float:
        return float(self.every() if callable(self.every) else self.every)


_TASKS: dict[str, Periodic] = {}


def register(name: str, every: float | Callable[[], float], func: Callable[[], object]) -> None:
    _TASKS[name] = Periodic(name, every, func)


def tasks() -> list[Periodic]:
    return list(_TASKS.values())


def run(name: str) -> None:
    _TASKS[name].func()


class LocalScheduler(threading.Thread):
    """Runs every registered task when due, in a thread of the process that owns the pool."""

    def __init__(self, tick_seconds: float = 1.0) -> None:
        super().__init__(name="mobsec-scheduler", daemon=True)
        self.tick = tick_seconds
        self.stopped = threading.Event()
        self._next: dict[str, float] = {}

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.tick):
                close_old_connections()  # a long-lived thread: drop a broken connection
                self.run_due(time.monotonic())
        finally:
            connection.close()

    def run_due(self, now: float) -> list[str]:
        ran = []
        for task in tasks():
            if now < self._next.get(task.name, 0.0):
                continue
            self._next[task.name] = now + task.every_seconds
            try:
                run(task.name)
            except Exception:
                log.exception("periodic task %s failed", task.name)
            ran.append(task.name)
        return ran

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)
