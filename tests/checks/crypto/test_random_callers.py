"""The heuristic insecure-random finding in a helper that returns a value names the helper's
callers (pivaa's Encryption.rng() is called by the activity that shows the number), in both
languages; a helper nothing calls names none."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.fixtures.build import build_apk, missing_tools

from mobsec import ScanOptions, scan

FIXTURE = Path(__file__).parent / "crypto-random"


@pytest.fixture(scope="module")
def heuristic() -> dict[str, dict]:
    missing = missing_tools(FIXTURE)
    if missing:
        pytest.skip("Android fixture toolchain missing: " + ", ".join(missing))
    doc = scan(build_apk(FIXTURE), ScanOptions(include_unreachable=True)).to_json()
    return {
        f["location"]["method"].split("(")[0]: f["message"]
        for f in doc["findings"]
        if f["check_id"] == "android.crypto.insecure-random" and "heuristic" in f["message"]["en"]
    }


def test_a_called_helper_names_its_caller(heuristic: dict[str, dict]) -> None:
    otp = heuristic["otp"]
    assert (
        "com.example.random.Tokens.otp is called by com.example.random.MainActivity.showOtp"
        in (otp["en"])
    )
    assert "com.example.random.MainActivity.showOtp" in otp["zh-CN"]
    assert "called" not in otp["zh-CN"]


def test_an_uncalled_helper_names_no_caller(heuristic: dict[str, dict]) -> None:
    uncalled = [m for name, m in heuristic.items() if name != "otp"]
    assert uncalled, sorted(heuristic)
    assert all("called by" not in m["en"] for m in uncalled)
