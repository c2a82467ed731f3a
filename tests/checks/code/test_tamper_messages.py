"""The tamper-detection protection says what the code checks: the signing certificate, or
the CRC of an entry of the app's own APK (named when the code names it), in words of the
message's language (zh-CN has no English template words, en no Chinese)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.fixtures.build import build_apk, missing_tools
from tests.report.test_zh_messages import template_english

from mobsec import ScanOptions, scan

FIXTURE = Path(__file__).parent / "code-loading-and-protections"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module")
def tamper() -> dict[str, dict]:
    missing = missing_tools(FIXTURE)
    if missing:
        pytest.skip("Android fixture toolchain missing: " + ", ".join(missing))
    doc = scan(build_apk(FIXTURE), ScanOptions()).to_json()
    return {
        p["location"]["method"].split("(")[0]: p
        for p in doc["protections"]
        if p["check_id"] == "android.code.tamper-detection"
    }


def test_crc_compare_is_named_as_a_crc_check_of_the_entry(tamper: dict[str, dict]) -> None:
    crc = tamper["dexUnchanged"]["message"]
    assert "CRC" in crc["en"] and '"classes.dex"' in crc["en"]
    assert "signature" not in crc["en"].lower()
    assert "CRC" in crc["zh-CN"] and '"classes.dex"' in crc["zh-CN"]
    assert "签名" not in crc["zh-CN"]


def test_signature_read_is_named_as_a_signature_check(tamper: dict[str, dict]) -> None:
    sig = tamper["genuine"]["message"]
    assert sig["en"].startswith("signature check") and "CRC" not in sig["en"]
    assert sig["zh-CN"].startswith("签名校验")


def test_messages_are_pure_in_their_language(tamper: dict[str, dict]) -> None:
    assert {"dexUnchanged", "genuine"} <= set(tamper)
    for p in tamper.values():
        assert not CJK.search(p["message"]["en"]), p["message"]["en"]
        assert CJK.search(p["message"]["zh-CN"]), p["message"]["zh-CN"]
        assert template_english({**p, "evidence": ""}) == [], p["message"]["zh-CN"]
