"""Who collects what, and where it goes: taint flows attached to the PI reads in the report."""

from __future__ import annotations

from pathlib import Path

from mobsec import ScanOptions, scan


def _accesses(doc: dict) -> list[dict]:
    out = []
    for use in doc["privacy"]["collection"]["pi_types"]:
        out.extend(use["accesses"])
    return out


def test_device_id_read_shows_its_sink(corpus_apks: Path) -> None:
    # DroidBench DirectLeak1: getDeviceId() -> SmsManager.sendTextMessage in onCreate.
    doc = scan(
        corpus_apks / "droidbench" / "AndroidSpecific__DirectLeak1.apk", ScanOptions()
    ).to_json()
    flows = [f for a in _accesses(doc) for f in a["flows"]]
    assert any(f["sink"]["kind"] == "sms" for f in flows), flows
    assert "facts.taint" in doc["timings"]


def test_read_without_a_leak_has_no_flow(corpus_apks: Path) -> None:
    # DroidBench LogNoLeak: the device id is read, nothing PI reaches the log.
    doc = scan(
        corpus_apks / "droidbench" / "AndroidSpecific__LogNoLeak.apk", ScanOptions()
    ).to_json()
    assert all(not a["flows"] for a in _accesses(doc))
