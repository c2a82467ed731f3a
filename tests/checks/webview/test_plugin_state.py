"""setPluginState by minSdk: a finding where plugins can still run, an info note where every
device the app supports ignores the call (API 18+)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.fixtures.build import build_apk, missing_tools

from mobsec import ScanOptions, scan

HERE = Path(__file__).resolve().parent


def _plugin_findings(name: str) -> list[dict]:
    src = HERE / name
    missing = missing_tools(src)
    if missing:
        pytest.skip("Android fixture toolchain missing: " + ", ".join(missing))
    doc = scan(build_apk(src), ScanOptions(include_unreachable=True)).to_json()
    return [f for f in doc["findings"] if f["check_id"] == "android.webview.plugin-state"]


@pytest.mark.toolchain
def test_min_sdk_21_is_an_info_note() -> None:
    found = _plugin_findings("webview-settings")
    assert found and all(f["severity"] == "info" for f in found)
    assert all("no effect: minSdk 21" in f["message"]["en"] for f in found)


@pytest.mark.toolchain
def test_min_sdk_16_is_a_finding() -> None:
    found = _plugin_findings("webview-bridge-legacy")
    assert [f["severity"] for f in found] == ["medium"]
    assert "no effect" not in found[0]["message"]["en"]
