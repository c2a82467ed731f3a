"""The re-scan child: :func:`run`, started by the jobs sandbox (``run_scan_sandboxed(...,
child=...)``) in a child of its fork server, or ``python -m
mobsec.platform.incidents.rescan_child`` with the scan child's protocol and limits.

Runs a rule pack over one package with :func:`mobsec.rules.stored.rules_only`: on the
stored facts when they exist for this engine build and every rule can run on them, by a
full scan otherwise (which stores the facts for the next time). Writes the rule results
document to the file the parent named.
"""

from __future__ import annotations

import json
import sys
import traceback

from mobsec.platform.jobs.sandbox import EXIT_CRASH, EXIT_INPUT_ERROR, EXIT_MEMORY, self_rlimits
from mobsec.platform.jobs.scan_child import MAX_REQUEST, _die_with_parent, _out_of_memory, _write


def main() -> int:
    request = json.loads(sys.stdin.read(MAX_REQUEST))
    _die_with_parent(int(request["parent_pid"]))
    self_rlimits(int(request["cpu_seconds"]), int(request["memory_mb"]))
    return run(request)


def run(request: dict) -> int:
    """The rules over one package, limits already set (the fork server's children start
    here)."""
    opts = request.get("options") or {}
    try:
        return _run(request["package"], opts, request["out"])
    except MemoryError:
        sys.stderr.write("MemoryError: the scan exceeded its memory limit\n")
        return EXIT_MEMORY


def _run(package: str, opts: dict, out: str) -> int:
    from pathlib import Path

    from mobsec.diagnostics import InputError
    from mobsec.rules.loader import load_pack
    from mobsec.rules.stored import rules_only

    packs = tuple(load_pack(Path(p)) for p in opts["packs"])
    facts_dir = Path(opts["facts_dir"])
    facts_dir.mkdir(parents=True, exist_ok=True)
    try:
        doc = rules_only(Path(package), packs, facts_dir, threads=int(opts.get("threads") or 1))
    except InputError as e:
        d = e.diagnostic
        _write(out, {"code": d.code, "file": d.file, "en": d.en, "zh": d.zh})
        return EXIT_INPUT_ERROR
    _write(out, doc)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # noqa: BLE001 - the parent turns this into a job error
        traceback.print_exc()
        sys.exit(EXIT_MEMORY if _out_of_memory(e) else EXIT_CRASH)
