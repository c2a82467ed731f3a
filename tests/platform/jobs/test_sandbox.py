"""The scan sandbox: a child process with CPU, memory and wall-clock limits (no Django)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import mobsec
from mobsec.platform.jobs.errors import SandboxError
from mobsec.platform.jobs.sandbox import SandboxLimits, run_scan_sandboxed
from tests.platform.jobs.hostile import memory_bomb
from tests.platform.jobs.processes import alive, children, wait_for

# Several seconds of CPU (its taint analysis runs up to its 10 s budget): long enough to hit
# a 1 s CPU limit, a 1 s wall limit or a cancel for sure.
SLOW_APK = "vulnapps/UnCrackable-Level4_r2pay-v0.9.apk"


@pytest.fixture(scope="module")
def slow_apk(corpus_apks: Path) -> Path:
    return corpus_apks / SLOW_APK


def test_sandboxed_scan_is_the_engine_scan(fixture_apk):
    apk = fixture_apk("java-basic")
    seen: list[str] = []
    doc = run_scan_sandboxed(
        apk, {"file_name": "upload.apk"}, progress=lambda p, d, t: seen.append(p)
    )
    direct = mobsec.scan(apk).to_json()
    assert doc["package"]["file_name"] == "upload.apk"
    assert doc["package"]["hashes"] == direct["package"]["hashes"]
    assert sorted(f["fingerprint"] for f in doc["findings"]) == sorted(
        f["fingerprint"] for f in direct["findings"]
    )
    assert "ingest.dex" in seen and "checks" in seen  # progress came through the pipe


def test_memory_bomb_is_held_to_the_memory_limit(tmp_path):
    bomb = memory_bomb(tmp_path / "bomb.apk", dex_mb=120)
    limited = run_scan_sandboxed(bomb, {}, SandboxLimits(memory_mb=256, wall_seconds=60))
    # The engine survives the refused allocation as a diagnostic; the process stayed small.
    errors = [d for d in limited["diagnostics"] if d["code"] == "internal.error"]
    assert any("MemoryError" in d["message"]["en"] for d in errors), limited["diagnostics"]
    assert limited["memory"]["ingest.dex"] < 256
    # The same package without that limit really does take the memory.
    free = run_scan_sandboxed(bomb, {}, SandboxLimits(memory_mb=2048, wall_seconds=60))
    assert free["memory"]["ingest.dex"] > 256


def test_too_little_memory_to_start_is_a_memory_error(fixture_apk):
    with pytest.raises(SandboxError) as e:
        run_scan_sandboxed(fixture_apk("java-basic"), {}, SandboxLimits(memory_mb=40))
    assert e.value.code == "sandbox.memory"
    assert "40 MB" in e.value.en and "40 MB" in e.value.zh


def test_cpu_time_limit_kills_the_scan(slow_apk):
    with pytest.raises(SandboxError) as e:
        run_scan_sandboxed(slow_apk, {}, SandboxLimits(cpu_seconds=1, wall_seconds=60))
    err = e.value
    assert err.code == "sandbox.cpu-time"
    assert err.details["signal"] == "SIGXCPU"
    # The kernel checks the limit on its ticks and rusage rounds: near 1 s, not exactly.
    assert 0.5 <= err.details["cpu_seconds"] < 7, err.details
    assert "CPU" in err.zh and err.details["package"] == slow_apk.name


def test_wall_clock_limit_kills_the_whole_group(slow_apk):
    t0 = time.monotonic()
    with pytest.raises(SandboxError) as e:
        run_scan_sandboxed(slow_apk, {}, SandboxLimits(wall_seconds=1))
    assert e.value.code == "sandbox.wall-time"
    assert time.monotonic() - t0 < 10  # hang guard: killed, not waited for


def test_keep_going_false_cancels(slow_apk):
    t0 = time.monotonic()
    with pytest.raises(SandboxError) as e:
        run_scan_sandboxed(slow_apk, {}, keep_going=lambda: time.monotonic() - t0 < 0.3)
    assert e.value.code == "sandbox.cancelled"


def test_unreadable_input_is_a_clear_error(tmp_path):
    with pytest.raises(SandboxError) as e:
        run_scan_sandboxed(tmp_path / "missing.apk", {})
    assert e.value.code.startswith("input.")
    assert e.value.details["file"].endswith("missing.apk")
    assert e.value.zh


def test_scan_child_dies_with_its_worker(slow_apk, tmp_path):
    """A worker killed with SIGKILL (only the worker, not its group) leaves no orphan
    scan: the child asked the kernel to kill it when its parent dies (PR_SET_PDEATHSIG;
    its next progress line into the closed pipe would end it too, but maybe much later)."""
    script = (
        "import sys\n"
        "from mobsec.platform.jobs.sandbox import run_scan_sandboxed\n"
        "run_scan_sandboxed(sys.argv[1], {})\n"
    )
    worker = subprocess.Popen([sys.executable, "-c", script, str(slow_apk)])
    try:
        child = wait_for(lambda: children(worker.pid), 30, "the scan child to start")[0]
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        wait_for(lambda: not alive(child), 10, "the orphaned scan child to die")
    finally:
        if worker.poll() is None:
            worker.kill()
