"""What every sandboxed job child shares (scan, fingerprint, rule re-scan): the standalone
entry (one JSON request on stdin, limits set first), dying with the parent, the result and
diagnostic files, and telling an out-of-memory end from a crash.

A child module defines ``run(request) -> exit code`` and ends with
``if __name__ == "__main__": standalone(run)``; the fork server calls its ``run`` directly.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
import traceback
from collections.abc import Callable

from mobsec.platform.jobs.sandbox import EXIT_CRASH, EXIT_INPUT_ERROR, EXIT_MEMORY, self_rlimits

PR_SET_PDEATHSIG = 1
MAX_REQUEST = 1 << 20


def die_with_parent(parent_pid: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(EXIT_CRASH)


def write_result(path: str, doc: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)


def write_diagnostic(path: str, code: str, file: str, en: str, zh: str) -> int:
    """The unreadable-input answer the parent shows the user; returns the exit code."""
    write_result(path, {"code": code, "file": file, "en": en, "zh": zh})
    return EXIT_INPUT_ERROR


def out_of_memory(exc: BaseException) -> bool:
    """Under the address-space limit, loading a shared library fails as an ImportError."""
    text = str(exc)
    return isinstance(exc, MemoryError) or (
        isinstance(exc, (ImportError, OSError))
        and ("failed to map segment" in text or "Cannot allocate memory" in text)
    )


def standalone(run: Callable[[dict], int]) -> None:
    """``python -m <child>``: read the request, limit ourselves, run, exit with its code."""
    try:
        request = json.loads(sys.stdin.read(MAX_REQUEST))
        die_with_parent(int(request["parent_pid"]))
        self_rlimits(int(request["cpu_seconds"]), int(request["memory_mb"]))
        code = run(request)
    except Exception as e:  # noqa: BLE001 - the parent turns this into a job error with the traceback
        traceback.print_exc()
        if out_of_memory(e):
            sys.stderr.write("MemoryError: the job exceeded its memory limit\n")
            sys.exit(EXIT_MEMORY)
        sys.exit(EXIT_CRASH)
    sys.exit(code)
