"""Timing and containment of scan phases.

Each phase is timed into the report. A phase that hits a bug of ours (an exception that is
not a FormatError/InputError) must not take the rest of the scan down with it: the error is
recorded as an ``internal.error`` diagnostic with its traceback, so nothing is lost and the
bug is visible in the report, and the scan goes on with what the other phases produce.
"""

from __future__ import annotations

import dataclasses
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from mobsec.diagnostics import Diagnostics, FormatError, InputError
from mobsec.options import ProgressCallback


class PhaseRunner:
    def __init__(self, diags: Diagnostics, progress: ProgressCallback | None) -> None:
        self.diags = diags
        self.progress = progress
        self.timings: dict[str, float] = {}
        self.peak_rss_mb: dict[str, float] = {}  # process high-water mark after each phase
        self.failed: set[str] = set()

    @contextmanager
    def phase(self, name: str, file: str = "") -> Iterator[None]:
        if self.progress:
            self.progress(name, 0, 0)
        start = time.perf_counter()
        try:
            yield
        except InputError as e:
            self.failed.add(name)
            d = e.diagnostic
            self.diags.add_diagnostic(dataclasses.replace(d, file=d.file or file))
        except FormatError as e:
            self.failed.add(name)
            self.diags.error(e.code, file, e.en, e.zh, **e.detail)
        except (MemoryError, RecursionError, Exception) as e:  # noqa: BLE001 - see module doc
            self.failed.add(name)
            self.diags.error(
                "internal.error",
                file,
                f"Internal error in phase {name}: {type(e).__name__}: {e}",
                f"阶段 {name} 内部错误:{type(e).__name__}: {e}",
                phase=name,
                traceback=traceback.format_exc(limit=8),
            )
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start
            self.peak_rss_mb[name] = peak_rss_mb()


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux: VmHWM)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
