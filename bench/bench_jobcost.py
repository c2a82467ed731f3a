"""Core-seconds per app of a full scan through the platform's job system (issue 10's bar:
<= 1.4 core-s per average app), everything a worker spends on the job counted.

    .venv/bin/python bench/bench_jobcost.py [--out bench/results/jobcost.json]
        [--small 20] [--medium 20] [--no-synthetic] [--only NAME ...]

Each package is uploaded as a scan (``scans.actions.submit_upload``, local settings, SQLite
in a temporary data directory, so the database work runs in this process and is counted),
then one in-process :class:`Worker` runs the job: claim, heartbeat, the sandboxed scan,
storing the report, its findings and every ``scan_stored`` listener (inventory, ...).

Per job: this process's CPU (``RUSAGE_SELF``: the worker's share, its threads, SQLite) + its
reaped children's CPU (``RUSAGE_CHILDREN``: a per-job interpreter, when the sandbox starts
one) + the fork server's CPU and its reaped children's (``/proc/PID/stat`` utime, stime,
cutime, cstime: the per-job forked scan child, when the sandbox has a fork server). The fork
server's own start is reported once, not per job.

Packages: every realworld and vulnapps APK (the bar's median), samples of the corpus's size
classes (< 200 KB, 0.2-5 MB, > 5 MB; every k-th package so the sample spreads over the
corpus) and the synthetic 102,400-method app of ``bench_fleet.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MOBSEC_SHARED", ROOT.parent / "shared"))
APKS = SHARED / "corpus" / "apks"
sys.path.insert(0, str(ROOT))
TICK = os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def tree_cpu(pid: int | None) -> float:
    """A process's CPU and that of the children it has reaped (zero without a process)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / TICK


def fork_server_pid() -> int | None:
    try:
        from mobsec.platform.jobs.sandbox import FORK_SERVER
    except ImportError:  # the sandbox before the fork server: an interpreter per job
        return None
    FORK_SERVER.start()
    return FORK_SERVER.pid()


def settle(pid: int | None) -> float:
    """Wait until the fork server has finished its imports; its CPU then."""
    last = -1.0
    while pid is not None and tree_cpu(pid) != last:
        last = tree_cpu(pid)
        time.sleep(1.0)
    return max(last, 0.0)


def size_class(n: int) -> str:
    return "<200KB" if n < 200_000 else ("0.2-5MB" if n <= 5_000_000 else ">5MB")


def packages(small: int, medium: int, synthetic: Path | None) -> list[tuple[str, Path]]:
    named = sorted((APKS / "realworld").glob("*.apk")) + sorted((APKS / "vulnapps").glob("*.apk"))
    rest = [p for p in sorted(APKS.rglob("*.apk")) if p not in named]
    by_class: dict[str, list[Path]] = {}
    for p in rest:
        by_class.setdefault(size_class(p.stat().st_size), []).append(p)
    out = [("named", p) for p in named]
    for cls, n in (("<200KB", small), ("0.2-5MB", medium)):
        pool = by_class.get(cls, [])
        step = max(1, len(pool) // n) if n else 0
        out += [("sample", p) for p in pool[::step][:n]] if n else []
    out += [("sample", p) for p in by_class.get(">5MB", [])]
    if synthetic is not None:
        out.append(("synthetic", synthetic))
    return out


def setup_django(data: Path):
    os.environ["MOBSEC_DATA_DIR"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "mobsec.platform.settings.local"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from mobsec.platform.accounts import roles
    from mobsec.platform.accounts.models import Membership, Organisation, User

    org = Organisation.objects.create(name="Bench")
    user = User.objects.create_user("bench", password="bench-pw-1234")
    Membership.objects.create(user=user, organisation=org, role=roles.TESTER.id)
    return org, user


def run_one(org, user, apk: Path, server: int | None) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mobsec.platform.jobs.models import Job
    from mobsec.platform.jobs.worker import Worker
    from mobsec.platform.scans import actions
    from mobsec.platform.scans.models import Scan

    upload = SimpleUploadedFile(apk.name, apk.read_bytes())
    scan = actions.submit_upload(org, user, upload, {"threads": 1})
    c0, s0, t0 = own_cpu(), tree_cpu(server), time.perf_counter()
    ran = Worker("bench").run_available(max_jobs=1)
    worker, child = own_cpu() - c0, tree_cpu(server) - s0
    wall = time.perf_counter() - t0
    scan = Scan.objects.get(pk=scan.pk)
    job = Job.objects.get(public_id=scan.job_id)
    return {"package": str(apk.relative_to(APKS)) if apk.is_relative_to(APKS) else apk.name,
            "size": apk.stat().st_size, "state": job.state, "ran": ran,
            "core_seconds": round(worker + child, 3), "worker_core_seconds": round(worker, 3),
            "scan_child_core_seconds": round(child, 3), "wall_seconds": round(wall, 2),
            "error": (job.error or {}).get("code")}  # fmt: skip


def summary(rows: list[dict]) -> dict:
    done = [r for r in rows if r["state"] == "done"]
    named = [r["core_seconds"] for r in done if r["group"] == "named"]
    out: dict = {"median_realworld_vulnapps": round(statistics.median(named), 3) if named else None}
    for cls in ("<200KB", "0.2-5MB", ">5MB"):
        v = [r["core_seconds"] for r in done if size_class(r["size"]) == cls and
             r["group"] != "synthetic"]  # fmt: skip
        if v:
            out[cls] = {"n": len(v), "median": round(statistics.median(v), 3),
                        "mean": round(statistics.fmean(v), 3)}  # fmt: skip
    w = [r["worker_core_seconds"] for r in done]
    out["worker_share_median"] = round(statistics.median(w), 3) if w else None
    out["failed"] = [r["package"] for r in rows if r["state"] != "done"]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "jobcost.json")
    ap.add_argument("--small", type=int, default=20, help="packages sampled below 200 KB")
    ap.add_argument("--medium", type=int, default=20, help="packages sampled at 0.2-5 MB")
    ap.add_argument("--no-synthetic", action="store_true")
    ap.add_argument("--only", nargs="*", help="only the packages whose path contains one of these")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="mobsec-bench-jobcost-"))
    synthetic = None
    if not args.no_synthetic:
        from bench.bench_fleet import synthetic_app

        synthetic = synthetic_app(tmp / "synthetic")
    todo = packages(args.small, args.medium, synthetic)
    if args.only:
        todo = [(g, p) for g, p in todo if any(s in str(p) for s in args.only)]
    org, user = setup_django(tmp / "data")
    load0 = os.getloadavg()
    c0 = own_cpu()
    server = fork_server_pid()
    start = settle(server) + own_cpu() - c0
    print(f"fork server: pid {server}, start {start:.2f} core-s", flush=True)
    rows = []
    for group, apk in todo:
        row = {"group": group, **run_one(org, user, apk, server)}
        rows.append(row)
        print(f"{row['package'][:60]:60} {row['size'] / 1e6:6.2f} MB {row['core_seconds']:6.2f} "
              f"core-s (worker {row['worker_core_seconds']:.2f}) {row['state']}", flush=True)  # fmt: skip
    result = {"load_before": load0, "load_after": os.getloadavg(), "cpus": os.cpu_count(),
              "fork_server_start_core_seconds": round(start, 2) if server else None,
              "summary": summary(rows), "packages": rows}  # fmt: skip
    print(json.dumps(result["summary"], indent=1))
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
