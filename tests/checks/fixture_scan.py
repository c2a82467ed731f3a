"""Scan one check fixture as a user would (skipped without the toolchain) and pick the
findings of one check by a name their message carries: for what the marks cannot say
(severity, wording)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from mobsec import ScanOptions, scan
from tests.fixtures.build import build_apk, missing_tools


def findings_by_name(fixture: Path, check_id: str, names: Iterable[str]) -> dict[str, dict]:
    """{name: finding} for the findings of ``check_id`` whose English message names it."""
    missing = missing_tools(fixture)
    if missing:
        pytest.skip("Android fixture toolchain missing: " + ", ".join(missing))
    doc = scan(build_apk(fixture), ScanOptions()).to_json()
    return {
        name: f
        for f in doc["findings"]
        if f["check_id"] == check_id
        for name in names
        if name in f["message"]["en"]
    }
