"""The scan child: :func:`run` in a child of the fork server (``forkserver.py``), or
``python -m mobsec.platform.jobs.scan_child`` on its own.

Standalone, it reads one JSON request on stdin, limits itself, then imports the engine and
scans. Progress
goes to stdout as JSON lines ``[phase, done, total]``; the report is written to the file the
parent named. Exit codes: 0 done, 3 unreadable input (its diagnostic in the out file),
4 out of memory, 5 anything else (traceback on stderr).
"""

from __future__ import annotations

import json
import sys

from mobsec.platform.jobs.child_protocol import standalone, write_diagnostic, write_result
from mobsec.platform.jobs.sandbox import EXIT_MEMORY


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
        facts_dir=Path(opts["facts_dir"]) if opts.get("facts_dir") else None,
    )
    try:
        report = scan(package, options)
    except InputError as e:
        d = e.diagnostic
        return write_diagnostic(out, d.code, d.file, d.en, d.zh)
    doc = report.to_json()
    if opts.get("file_name"):
        doc["package"]["file_name"] = str(opts["file_name"])
    write_result(out, doc)
    return 0


if __name__ == "__main__":
    standalone(run)
