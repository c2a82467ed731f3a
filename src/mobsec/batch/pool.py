"""Worker processes for a batch: ``--jobs N`` forked workers, one package at a time each,
with a wall-clock limit and an address-space limit per package.

Workers are forked from the CLI after the engine, the check registry and the rule packs are
loaded, so a package costs its scan, not an interpreter start. Each worker sets its own
``RLIMIT_AS`` (a runaway allocation is a MemoryError the engine reports, not a machine out of
memory). The parent kills a worker whose package is over the time limit and starts a new
one; a worker that dies (a crash, the kernel's OOM killer) is reported on its package and
replaced too. A worker that saw a MemoryError is replaced as well: its heap is suspect.
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any

POLL_S = 0.2
RECYCLE_AFTER = 200  # packages per worker: a slow leak in a long batch stays bounded


def _worker_main(conn: Connection, memory_mb: int | None, fn: Callable[[Any], dict]) -> None:
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        conn.send(fn(task))


class _Worker:
    def __init__(self, ctx: Any, memory_mb: int | None, fn: Callable[[Any], dict]) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, memory_mb, fn), daemon=True)
        self.proc.start()
        child.close()
        self.task: Any = None
        self.started = 0.0
        self.done = 0

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.proc.kill()
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def run_pool(
    tasks: list[Any],
    fn: Callable[[Any], dict],
    on_done: Callable[[Any, dict], None],
    failed_row: Callable[[Any, str, str], dict],
    jobs: int,
    time_limit: float | None,
    memory_mb: int | None,
) -> None:
    """Run ``fn(task)`` for every task on ``jobs`` workers; ``on_done(task, row)`` each.

    ``failed_row(task, status, message)`` makes the row of a task whose worker was killed
    (status "timeout") or died ("crashed")."""
    if not tasks:
        return
    ctx = multiprocessing.get_context("fork")
    pending = deque(tasks)
    workers = [_Worker(ctx, memory_mb, fn) for _ in range(max(1, min(jobs, len(tasks))))]
    try:
        while pending or any(w.task is not None for w in workers):
            for i, w in enumerate(workers):
                if w.task is None and pending:
                    if w.done >= RECYCLE_AFTER:
                        w.stop()
                        w = workers[i] = _Worker(ctx, memory_mb, fn)
                    w.task, w.started = pending.popleft(), time.monotonic()
                    w.conn.send(w.task)
            busy = [w for w in workers if w.task is not None]
            ready = wait([w.conn for w in busy], timeout=POLL_S)
            now = time.monotonic()
            for i, w in enumerate(workers):
                if w.task is None:
                    continue
                row = None
                if w.conn in ready:
                    try:
                        row = w.conn.recv()
                    except (EOFError, OSError):
                        code = w.proc.exitcode
                        row = failed_row(w.task, "crashed", f"worker ended (exit {code})")
                elif time_limit and now - w.started > time_limit:
                    row = failed_row(w.task, "timeout", f"over the {time_limit:g} s time limit")
                if row is None:
                    continue
                if row["status"] in ("crashed", "timeout"):
                    row["seconds"] = round(now - w.started, 3)
                task, w.task = w.task, None
                w.done += 1
                if row["status"] in ("crashed", "timeout", "memory"):
                    w.stop(kill=True)
                    workers[i] = _Worker(ctx, memory_mb, fn)
                on_done(task, row)
    finally:
        for w in workers:
            w.stop(kill=w.task is not None)
