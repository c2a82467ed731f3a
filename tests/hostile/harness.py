"""Run one ``mobsec scan`` in a child process and measure it: wall time, peak RSS, exit code.

The scan runs as a grandchild: ``python -m tests.hostile.harness`` (small, just started)
starts it and reads its own child's rusage with ``os.wait4``. Measuring a direct child of
the test process would be wrong on Linux: a forked child starts with its parent's RSS
high-water mark, and the parent (which generated a 60 MB layout) may be large. A scan that
runs past the timeout is killed and reported as such (rc ``None``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass
class Run:
    rc: int | None  # None: killed at the timeout
    wall_s: float
    peak_mb: float
    report: Path
    stderr: bytes

    def line(self) -> str:
        rc = "TIMEOUT" if self.rc is None else f"exit {self.rc}"
        return f"{self.wall_s:7.1f} s  {self.peak_mb:7.0f} MB  {rc}"


def scan(
    apk: Path,
    out_dir: Path,
    timeout: float = 60.0,
    extra: list[str] = (),
    env: dict[str, str] | None = None,
) -> Run:
    report = out_dir / (apk.stem + ".json")
    err_path = out_dir / (apk.stem + ".stderr")
    argv = [sys.executable, "-c", "import sys; from mobsec.cli import main; sys.exit(main())"]
    argv += ["scan", str(apk), "-o", str(report), *extra]
    env = dict(env if env is not None else os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH"), str(ROOT)) if p)
    out = subprocess.run(
        [sys.executable, "-m", "tests.hostile.harness", str(timeout), str(err_path), *argv],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    m = json.loads(out.stdout)
    return Run(m["rc"], m["wall_s"], m["peak_mb"], report, err_path.read_bytes())


def _measure(timeout: float, err_path: str, argv: list[str]) -> dict:
    t0 = time.perf_counter()
    rc: int | None = None
    with open(err_path, "wb") as err:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                rc = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() - t0 > timeout:
                proc.send_signal(signal.SIGKILL)
                _, _, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        proc.returncode = rc if rc is not None else -9  # keep Popen from waiting again
    return {"rc": rc, "wall_s": time.perf_counter() - t0, "peak_mb": usage.ru_maxrss / 1024}


if __name__ == "__main__":
    print(json.dumps(_measure(float(sys.argv[1]), sys.argv[2], sys.argv[3:])))
