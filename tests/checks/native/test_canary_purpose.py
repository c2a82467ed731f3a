"""No stack canary matters where a libc call can overflow a stack buffer: a finding for the
library that imports memcpy, an info note for its twin that imports no buffer writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.checks.fixture_scan import findings_by_name

FIXTURE = Path(__file__).resolve().parent / "native-canary-purpose"


@pytest.mark.toolchain
def test_canary_severity_follows_buffer_writers() -> None:
    by_lib = findings_by_name(
        FIXTURE, "android.native.no-stack-canary", ("libcopier.so", "liblookup.so")
    )
    assert by_lib["libcopier.so"]["severity"] == "medium"
    assert "writes into a buffer" not in by_lib["libcopier.so"]["message"]["en"]
    assert by_lib["liblookup.so"]["severity"] == "info"
    assert (
        "imports no C function that writes into a buffer"
        in (by_lib["liblookup.so"]["message"]["en"])
    )
