"""The re-scan child: :func:`run`, started by the jobs sandbox (``run_scan_sandboxed(...,
child=...)``) in a child of its fork server, or ``python -m
mobsec.platform.incidents.rescan_child`` with the scan child's protocol and limits.

Runs a rule pack over one package with :func:`mobsec.rules.stored.rules_only`: on the
stored facts when they exist for this engine build and every rule can run on them, by a
full scan otherwise (which stores the facts for the next time). Writes the rule results
document to the file the parent named.
"""

from __future__ import annotations

import sys

from mobsec.platform.jobs.child_protocol import standalone, write_diagnostic, write_result
from mobsec.platform.jobs.sandbox import EXIT_MEMORY


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
        return write_diagnostic(out, d.code, d.file, d.en, d.zh)
    write_result(out, doc)
    return 0


if __name__ == "__main__":
    standalone(run)
