"""Process-tree helpers for the kill tests (Linux /proc)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, parents first."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children(p)
    return found


def kill_tree(pid: int) -> list[int]:
    """SIGKILL the whole tree at once (stop it first so no child is re-parented and missed)."""
    pids = tree(pid)
    for p in pids:
        os.kill(p, signal.SIGSTOP)
    pids = tree(pid)
    for p in pids:
        os.kill(p, signal.SIGKILL)
    return pids


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(predicate, timeout: float, what: str, step: float = 0.1):
    """Poll ``predicate`` until it returns something truthy; fail with ``what`` after
    ``timeout`` seconds (a hang guard, not a timing assertion)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
