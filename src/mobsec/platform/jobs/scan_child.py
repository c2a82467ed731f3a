"""The scan child: :func:`run` in a child of the fork server (``forkserver.py``), or
``python -m mobsec.platform.jobs.scan_child`` on its own.

Standalone, it reads one JSON request on stdin, limits itself, then imports the engine and
scans. Progress
goes to stdout as JSON lines ``[phase, done, total]``; the report is written to the file the
parent named. Exit codes: 0 done, 3 unreadable input (its diagnostic in the out file),
4 out of memory, 5 anything else (traceback on stderr).
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
import traceback

from mobsec.platform.jobs.sandbox import (
    EXIT_CRASH,
    EXIT_INPUT_ERROR,
    EXIT_MEMORY,
    self_rlimits,
)

PR_SET_PDEATHSIG = 1
MAX_REQUEST = 1 << 20


def _die_with_parent(parent_pid: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(EXIT_CRASH)


def main() -> int:
    request = json.loads(sys.stdin.read(MAX_REQUEST))
    _die_with_parent(int(request["parent_pid"]))
    self_rlimits(int(request["cpu_seconds"]), int(request["memory_mb"]))
    return run(request)


def run(request: dict) -> int:
    """The scan itself, limits already set (the fork server's children start here)."""
    out = request["out"]
    try:
        return _scan(request["package"], request.get("options") or {}, out)
    except MemoryError:
        # Free what we can before writing anything: the traceback alone may not fit.
        sys.stderr.write("MemoryError: the scan exceeded its memory limit\n")
        return EXIT_MEMORY


def _scan(package: str, opts: dict, out: str) -> int:
    from pathlib import Path

    from mobsec.diagnostics import InputError
    from mobsec.engine import scan
    from mobsec.options import ScanOptions

    def progress(phase: str, done: int, total: int) -> None:
        sys.stdout.write(json.dumps([phase, done, total]) + "\n")
        sys.stdout.flush()

    options = ScanOptions(
        threads=int(opts.get("threads") or 0),
        progress=progress,
        app_type=opts.get("app_type"),
        privacy_policy=Path(opts["privacy_policy"]) if opts.get("privacy_policy") else None,
        taint_seconds=float(opts.get("taint_seconds", 10.0)),
    )
    try:
        report = scan(package, options)
    except InputError as e:
        d = e.diagnostic
        _write(out, {"code": d.code, "file": d.file, "en": d.en, "zh": d.zh})
        return EXIT_INPUT_ERROR
    doc = report.to_json()
    if opts.get("file_name"):
        doc["package"]["file_name"] = str(opts["file_name"])
    _write(out, doc)
    return 0


def _write(path: str, doc: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)


def _out_of_memory(exc: BaseException) -> bool:
    """Under the address-space limit, loading a shared library fails as an ImportError."""
    text = str(exc)
    return isinstance(exc, MemoryError) or (
        isinstance(exc, (ImportError, OSError))
        and ("failed to map segment" in text or "Cannot allocate memory" in text)
    )


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # noqa: BLE001 - the parent turns this into a job error with the traceback
        traceback.print_exc()
        if _out_of_memory(e):
            sys.stderr.write("MemoryError: the scan exceeded its memory limit\n")
            sys.exit(EXIT_MEMORY)
        sys.exit(EXIT_CRASH)
