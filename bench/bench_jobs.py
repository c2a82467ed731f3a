#!/usr/bin/env python3
"""Benchmark: the platform's job path against the CLI.

1. CLI: wall time of ``mobsec scan demo.apk`` (fresh process each run) on the demo app
   built from examples/demo-app.
2. Upload-to-report latency through the platform (``mobsec serve --workers 1``, local pool,
   SQLite): POST /api/v1/scans/ with the demo app, poll GET /api/v1/scans/{id}/ every
   50 ms until ``done``. Each upload gets distinct bytes (a different ZIP comment), because
   identical bytes reuse the stored report; the reuse latency is measured separately.
3. Throughput: a deterministic sample of the shared corpus APKs submitted at once to a
   platform with 1, then 2 workers; apps per minute from the first job's creation to the
   last job's end (read from the job rows).

    .venv/bin/python bench/bench_jobs.py [--runs 10] [--sample 30] [--out bench/results/jobs.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
import zipfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MOBSEC_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
MOBSEC = [sys.executable, "-m", "mobsec.cli"]
POLL_S = 0.05


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


def build_demo(out: Path) -> Path:
    cmd = [sys.executable, "tests/fixtures/build.py", "examples/demo-app", "-o", str(out)]
    path = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return Path(path.strip().splitlines()[-1])


def variant(apk: Path, tag: str, out_dir: Path) -> Path:
    """The same app with a different ZIP comment: other bytes, the same scan work."""
    dst = out_dir / f"{apk.stem}-{tag}.apk"
    shutil.copyfile(apk, dst)
    with zipfile.ZipFile(dst, "a") as z:
        z.comment = f"bench {tag}".encode()
    return dst


def cli_times(apk: Path, runs: int, tmp: Path) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([*MOBSEC, "scan", "-q", str(apk), "-o", str(tmp / "r.json")], check=True)
        times.append(time.perf_counter() - t0)
    return times


class Platform:
    """``mobsec serve`` in a fresh data directory, with a tester's API token."""

    def __init__(self, workers: int, base: Path) -> None:
        self.data = base / f"data-{workers}w-{uuid.uuid4().hex[:8]}"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mobsec.platform.settings.local"}
        out = subprocess.run(
            [*MOBSEC, "platform", "create-user", "bench", "--org", "Bench", "--role", "tester",
             "--token", "--data", str(self.data)],
            check=True, capture_output=True, text=True, env=env,
        ).stdout  # fmt: skip
        self.token = out.strip().splitlines()[-1]
        self.proc = subprocess.Popen(
            [*MOBSEC, "serve", "--data", str(self.data), "--port", "0", "--workers", str(workers)],
            stdout=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            m = re.search(r"(http://\S+/)", line)
            if m:
                self.url = m.group(1)
                break
        else:
            raise RuntimeError("mobsec serve did not print its URL")

    def call(self, path: str, body: bytes | None = None, ctype: str | None = None) -> dict:
        req = urllib.request.Request(self.url + path.lstrip("/"), data=body)
        req.add_header("Authorization", f"Token {self.token}")
        if ctype:
            req.add_header("Content-Type", ctype)
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())

    def upload(self, apk: Path) -> str:
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{apk.name}"'
                f"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + apk.read_bytes()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.call("api/v1/scans/", body, f"multipart/form-data; boundary={boundary}")["id"]

    def wait(self, scan_id: str, timeout: float = 600) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            doc = self.call(f"api/v1/scans/{scan_id}/")
            if doc["status"] in ("done", "failed", "cancelled"):
                return doc
            time.sleep(POLL_S)
        raise TimeoutError(scan_id)

    def job_span(self) -> tuple[float, int, int]:
        """(seconds from the first job's creation to the last job's end, done, failed)."""
        db = sqlite3.connect(self.data / "mobsec.sqlite3")
        first, last = db.execute(
            "SELECT min(created_at), max(finished_at) FROM jobs_job"
        ).fetchone()
        counts = dict(db.execute("SELECT state, count(*) FROM jobs_job GROUP BY state").fetchall())
        db.close()
        span = datetime.fromisoformat(last) - datetime.fromisoformat(first)
        return span.total_seconds(), counts.get("done", 0), counts.get("failed", 0)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def upload_latency(apk: Path, runs: int, tmp: Path) -> dict:
    p = Platform(1, tmp)
    try:
        fresh, reused = [], []
        for i in range(runs):
            copy = variant(apk, str(i), tmp)
            t0 = time.perf_counter()
            doc = p.wait(p.upload(copy))
            fresh.append(time.perf_counter() - t0)
            assert doc["status"] == "done", doc
            t0 = time.perf_counter()
            doc = p.wait(p.upload(copy))  # same bytes again: the stored report is reused
            reused.append(time.perf_counter() - t0)
            assert doc["status"] == "done", doc
        return {"fresh": fresh, "reused": reused}
    finally:
        p.stop()


def corpus_sample(n: int) -> list[Path]:
    rows = (CORPUS / "MANIFEST.tsv").read_text().splitlines()[1:]
    apks = sorted(r.split("\t")[0] for r in rows if r.split("\t")[0].endswith(".apk"))
    step = max(1, len(apks) // n)
    return [CORPUS / a for a in apks[::step][:n]]


def throughput(apks: list[Path], workers: int, tmp: Path) -> dict:
    p = Platform(workers, tmp)
    try:
        ids = [p.upload(a) for a in apks]
        for i in ids:
            p.wait(i, timeout=1800)
        span, done, failed = p.job_span()
    finally:
        p.stop()
    return {
        "workers": workers,
        "apps": len(apks),
        "seconds": span,
        "done": done,
        "failed": failed,
        "apps_per_minute": 60 * len(apks) / span,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--sample", type=int, default=30, help="corpus APKs for the throughput runs")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "jobs.json")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="mobsec-bench-jobs-"))
    try:
        demo = build_demo(tmp / "demo")
        print(f"demo app: {demo} ({demo.stat().st_size} bytes)")
        cli = cli_times(demo, args.runs, tmp)
        print(f"CLI scan (fresh process)      p50 {pct(cli, 50):.2f} s  p95 {pct(cli, 95):.2f} s")
        lat = upload_latency(demo, args.runs, tmp)
        for k in ("fresh", "reused"):
            v = lat[k]
            print(f"upload→report ({k:6})         p50 {pct(v, 50):.2f} s  p95 {pct(v, 95):.2f} s")
        apks = corpus_sample(args.sample)
        tp = [throughput(apks, w, tmp) for w in (1, 2)]
        for t in tp:
            print(
                f"throughput {t['workers']} worker(s): {t['apps']} apps in {t['seconds']:.1f} s = "
                f"{t['apps_per_minute']:.1f} apps/min ({t['done']} done, {t['failed']} failed)"
            )
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(
            json.dumps(
                {
                    "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                    "load_before": os.getloadavg(),
                    "demo_bytes": demo.stat().st_size,
                    "cli_seconds": cli,
                    "upload_to_report_seconds": lat,
                    "throughput": tp,
                    "sample": [str(a.relative_to(CORPUS)) for a in apks],
                },
                indent=1,
            )
        )
        print(f"raw numbers: {args.out}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
