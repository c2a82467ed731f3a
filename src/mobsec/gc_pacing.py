"""Fewer cycle-collector passes while a scan runs.

A scan allocates millions of small objects (decoded DEX records, CFG instructions, dataflow
states) that are almost never part of reference cycles. With CPython's default first-
generation threshold (700 allocations) the cycle collector runs ~800 times on a large APK
and finds next to nothing; at 50,000 it runs ~20 times, which saves about a tenth of the
scan's CPU with the same peak memory (bench/RESULTS.md, "GC pacing"). The host's own
thresholds come back when the last concurrent scan of the process ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SCAN_THRESHOLD = 50_000

_lock = threading.Lock()
_active = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def scan_gc_pacing() -> Iterator[None]:
    global _active, _saved
    with _lock:
        if _active == 0:
            _saved = gc.get_threshold()
            if _saved[0] and _saved[0] < SCAN_THRESHOLD:  # 0 = collection disabled: keep it
                gc.set_threshold(SCAN_THRESHOLD, _saved[1], _saved[2])
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
