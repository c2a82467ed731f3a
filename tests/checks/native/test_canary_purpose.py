"""No stack canary matters where a libc call can overflow a stack buffer: a finding for the
library that imports memcpy, an info note for its twin that imports no buffer writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from mobsec import ScanOptions, scan
from tests.fixtures.build import build_apk, missing_tools

FIXTURE = Path(__file__).resolve().parent / "native-canary-purpose"


@pytest.mark.toolchain
def test_canary_severity_follows_buffer_writers() -> None:
    missing = missing_tools(FIXTURE)
    if missing:
        pytest.skip("Android fixture toolchain missing: " + ", ".join(missing))
    doc = scan(build_apk(FIXTURE), ScanOptions()).to_json()
    by_lib = {
        lib: f
        for f in doc["findings"]
        if f["check_id"] == "android.native.no-stack-canary"
        for lib in ("libcopier.so", "liblookup.so")
        if lib in f["message"]["en"]
    }
    assert by_lib["libcopier.so"]["severity"] == "medium"
    assert "writes into a buffer" not in by_lib["libcopier.so"]["message"]["en"]
    assert by_lib["liblookup.so"]["severity"] == "info"
    assert (
        "imports no C function that writes into a buffer"
        in (by_lib["liblookup.so"]["message"]["en"])
    )
