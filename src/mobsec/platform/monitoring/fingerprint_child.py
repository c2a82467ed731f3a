"""The fingerprint child: :func:`run`, started by the jobs sandbox
(``run_scan_sandboxed(..., child=...)``) in a child of its fork server, or
``python -m mobsec.platform.monitoring.fingerprint_child`` with the scan child's protocol:
a JSON request on stdin, limits set first, the fingerprint JSON written to the out file,
exit 3 with the diagnostic when the package cannot be read."""

from __future__ import annotations

from mobsec.platform.jobs.child_protocol import standalone, write_diagnostic, write_result


def run(request: dict) -> int:
    """The fingerprint, limits already set (the jobs fork server's children start here)."""
    from mobsec.diagnostics import FormatError, InputError
    from mobsec.platform.monitoring import engine

    try:
        doc = engine.fingerprint_json(request["package"])
    except InputError as e:
        d = e.diagnostic
        return write_diagnostic(request["out"], d.code, d.file, d.en, d.zh)
    except FormatError as e:  # the engine's FingerprintError is one
        return write_diagnostic(request["out"], e.code, "", e.en, e.zh)
    write_result(request["out"], doc)
    return 0


if __name__ == "__main__":
    standalone(run)
