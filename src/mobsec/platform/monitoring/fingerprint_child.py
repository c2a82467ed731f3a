"""The fingerprint child: :func:`run`, started by the jobs sandbox
(``run_scan_sandboxed(..., child=...)``) in a child of its fork server, or
``python -m mobsec.platform.monitoring.fingerprint_child`` with the scan child's protocol:
a JSON request on stdin, limits set first, the fingerprint JSON written to the out file,
exit 3 with the diagnostic when the package cannot be read."""

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
    """The fingerprint, limits already set (the jobs fork server's children start here)."""
    from mobsec.diagnostics import FormatError, InputError
    from mobsec.platform.monitoring import engine

    try:
        doc = engine.fingerprint_json(request["package"])
    except InputError as e:
        d = e.diagnostic
        _write(request["out"], {"code": d.code, "file": d.file, "en": d.en, "zh": d.zh})
        return EXIT_INPUT_ERROR
    except FormatError as e:  # the engine's FingerprintError is one
        _write(request["out"], {"code": e.code, "file": "", "en": e.en, "zh": e.zh})
        return EXIT_INPUT_ERROR
    _write(request["out"], doc)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # noqa: BLE001 - the parent turns this into a job error
        traceback.print_exc()
        sys.exit(EXIT_MEMORY if _out_of_memory(e) else EXIT_CRASH)
