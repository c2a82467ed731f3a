"""The cleartext-policy finding says what cleartext the app's own code uses, and is an info
note when all of it stays on the loopback interface."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.checks.fixture_scan import findings_by_name

HERE = Path(__file__).parent
CHECK = "android.manifest.cleartext-traffic"
DECLARED = "usesCleartextTraffic"


def _policy(fixture: str) -> dict:
    return findings_by_name(HERE / fixture, CHECK, [DECLARED])[DECLARED]


@pytest.mark.toolchain
def test_loopback_only_is_info() -> None:
    f = _policy("net-cleartext-loopback")
    assert f["severity"] == "info"
    assert "http://127.0.0.1:7912/info" in f["message"]["en"]


@pytest.mark.toolchain
def test_remote_constant_keeps_it_a_risk() -> None:
    f = _policy("net-cleartext-remote")
    assert f["severity"] == "medium"
    assert "http://api.example.com/report" in f["message"]["en"]


@pytest.mark.toolchain
def test_webview_runtime_url_keeps_it_a_risk() -> None:
    f = _policy("net-cleartext-webview")
    assert f["severity"] == "medium"


@pytest.mark.toolchain
def test_same_fingerprint_either_way() -> None:
    assert (
        _policy("net-cleartext-loopback")["fingerprint"]
        == (_policy("net-cleartext-remote")["fingerprint"])
    )


@pytest.mark.toolchain
def test_nsc_base_config_loopback_only_is_info_and_its_twin_stays() -> None:
    check, base = "android.network.nsc-cleartext-permitted", "<base-config>"
    note = findings_by_name(HERE / "net-nsc-loopback", check, [base])[base]
    assert note["severity"] == "info"
    assert "loopback" in note["message"]["en"]
    weak = findings_by_name(HERE / "net-nsc-weak", check, [base])[base]
    assert weak["severity"] == "medium"
