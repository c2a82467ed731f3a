"""A scan paces the cycle collector and gives the host its thresholds back."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from mobsec import scan
from mobsec.diagnostics import InputError
from mobsec.gc_pacing import SCAN_THRESHOLD, scan_gc_pacing


@pytest.fixture
def host_thresholds() -> Iterator[tuple[int, int, int]]:
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*saved)


def test_a_scan_restores_the_hosts_thresholds(
    host_thresholds: tuple[int, int, int], corpus_apks: Path
) -> None:
    apk = corpus_apks / "droidbench" / "AndroidSpecific__DirectLeak1.apk"
    report = scan(apk)
    assert report.package.format == "apk"
    assert gc.get_threshold() == host_thresholds


def test_a_failing_scan_restores_them_too(
    host_thresholds: tuple[int, int, int], tmp_path: Path
) -> None:
    with pytest.raises(InputError):
        scan(tmp_path / "missing.apk")
    assert gc.get_threshold() == host_thresholds


def test_concurrent_scans_restore_when_the_last_one_ends(
    host_thresholds: tuple[int, int, int],
) -> None:
    first, second = scan_gc_pacing(), scan_gc_pacing()
    first.__enter__()
    assert gc.get_threshold()[0] == SCAN_THRESHOLD
    second.__enter__()
    first.__exit__(None, None, None)  # the first scan ends while the second still runs
    assert gc.get_threshold()[0] == SCAN_THRESHOLD
    second.__exit__(None, None, None)
    assert gc.get_threshold() == host_thresholds


def test_a_host_that_disabled_collection_keeps_it_disabled(
    host_thresholds: tuple[int, int, int],
) -> None:
    gc.set_threshold(0, 10, 10)
    with scan_gc_pacing():
        assert gc.get_threshold()[0] == 0
    assert gc.get_threshold() == (0, 10, 10)
