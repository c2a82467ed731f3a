"""Fleet re-scan costs (issue 10): core-seconds per app, rule-only re-scans on stored facts,
and the batch CLI against one process per package.

    .venv/bin/python bench/bench_fleet.py [--out bench/results/fleet.json] [--skip-batch]

1. **Job path**: each realworld and vulnapps APK, and a synthetic app with 102,400 methods
   (generated smali, two DEX files), scanned as a platform job scans: a sandboxed child
   process (``mobsec.platform.jobs.sandbox``: interpreter start, imports, ingest, facts,
   checks, report JSON written and read back). Core-seconds = the child's user+system CPU.
2. **Whole corpus** (every APK under corpus/apks, once): ``mobsec scan corpus/apks -o DIR
   --jobs 2``; per-package core-seconds from the batch summary, by size class (< 200 KB,
   0.2-5 MB, > 5 MB), and the wall time.
3. **One process per package**: ``mobsec scan PKG -o FILE`` for every 5th package of the
   same list, sequentially (CPU of the children), against the same packages in the batch.
4. **Rule-only re-scan**: for the job-path APKs, a full scan storing facts, then the
   stored-capable rules of the constructs pack (tests/rules/constructs minus the data-flow
   and native-string constructs) on the stored facts; CPU of each, in one process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MOBSEC_SHARED", ROOT.parent / "shared"))
APKS = SHARED / "corpus" / "apks"
sys.path.insert(0, str(ROOT))


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def self_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def size_class(n: int) -> str:
    return "<200KB" if n < 200_000 else ("0.2-5MB" if n <= 5_000_000 else ">5MB")


def synthetic_app(out: Path, classes_per_dex: int = 800, methods: int = 64) -> Path:
    """An APK with 2 x 800 classes x 64 methods (102,400), each method loading a string and
    calling the next method: generated smali, assembled by smali."""
    from tests.hostile.generators import deflated, manifest, write_zip

    members = [deflated(manifest(package="com.bench.big", main="com.bench.big.C0_0"),
                        "AndroidManifest.xml")]  # fmt: skip
    for d in range(2):
        src = out / f"smali{d}"
        src.mkdir(parents=True, exist_ok=True)
        for c in range(classes_per_dex):
            name = f"com/bench/big/C{d}_{c}"
            body = [f".class public L{name};", ".super Ljava/lang/Object;"]
            for m in range(methods):
                nxt = f"m{m + 1}" if m + 1 < methods else "m0"
                body += [f".method public static m{m}(I)I", "    .registers 2",
                         f'    const-string v0, "https://h{c % 97}.bench.example/{d}/{c}/{m}"',
                         f"    invoke-static {{v1}}, L{name};->{nxt}(I)I",
                         "    move-result v1", "    return v1", ".end method"]  # fmt: skip
            (src / f"C{d}_{c}.smali").write_text("\n".join(body) + "\n")
        dex = out / f"classes{d + 1 if d else ''}.dex"
        subprocess.run(["smali", "assemble", "-o", str(dex), str(src)], check=True,
                       capture_output=True)  # fmt: skip
        members.append(deflated(dex.read_bytes(), dex.name))
    return write_zip(out / "synthetic-102400-methods.apk", members)


def job_path(apks: list[Path]) -> list[dict]:
    from mobsec.platform.jobs.sandbox import run_scan_sandboxed

    rows = []
    for apk in apks:
        c0, t0 = children_cpu(), time.perf_counter()
        doc = run_scan_sandboxed(apk, {"threads": 1, "file_name": apk.name})
        rows.append({
            "package": apk.name, "size": apk.stat().st_size,
            "core_seconds": round(children_cpu() - c0, 3),
            "wall_seconds": round(time.perf_counter() - t0, 3),
            "phases": {k: v for k, v in sorted(doc["timings"].items(), key=lambda kv: -kv[1])
                       if "." in k and not k.startswith("checks.")}, })  # fmt: skip
        print(f"job  {apk.name:48} {rows[-1]['core_seconds']:6.2f} core-s", flush=True)
    return rows


def stored_capable_pack(tmp: Path) -> Path:
    from tests.rules.test_stored import _drop_rules

    from mobsec.rules.loader import load_pack
    from mobsec.rules.stored import full_scan_reason

    pack_dir = tmp / "pack"
    shutil.copytree(ROOT / "tests" / "rules" / "constructs", pack_dir)
    pack = load_pack(pack_dir)
    drop = {r.meta.id for r in pack.rules if full_scan_reason(r.match)}
    _drop_rules(next((pack_dir / "rules").glob("*.yaml")), drop)
    return pack_dir


def rule_only(apks: list[Path], tmp: Path) -> list[dict]:
    from mobsec.engine import scan
    from mobsec.options import ScanOptions
    from mobsec.rules.loader import load_pack
    from mobsec.rules.stored import rules_only

    pack = load_pack(stored_capable_pack(tmp))
    facts = tmp / "facts"
    rows = []
    for apk in apks:
        c0 = self_cpu()
        scan(apk, ScanOptions(threads=1, rule_packs=(pack,), facts_dir=facts))
        full = self_cpu() - c0
        c0 = self_cpu()
        doc = rules_only(apk, (pack,), facts)
        again = self_cpu() - c0
        assert doc["mode"] == "stored-facts", doc["full_scan_reason"]
        size = sum(p.stat().st_size for p in facts.glob(f"{doc['package']['sha256']}.*"))
        rows.append({"package": apk.name, "full_core_seconds": round(full, 3),
                     "rule_only_core_seconds": round(again, 3),
                     "ratio": round(again / full, 4), "facts_bytes": size})  # fmt: skip
        print(f"rule {apk.name:48} full {full:6.2f}  rules-only {again:6.3f} core-s "
              f"({100 * again / full:.1f} %), facts {size / 1e6:.2f} MB", flush=True)  # fmt: skip
    return rows


def batch(all_apks: list[Path], tmp: Path) -> dict:
    out = tmp / "batch"
    c0, t0 = children_cpu(), time.perf_counter()
    subprocess.run([sys.executable, "-m", "mobsec.cli", "scan", "-q", str(APKS), "-o", str(out),
                    "--jobs", "2", "--threads", "1"], check=False)  # fmt: skip
    wall, cpu = time.perf_counter() - t0, children_cpu() - c0
    rows = json.loads((out / "summary.json").read_text())["packages"]
    by_class: dict[str, list[float]] = {}
    for r in rows:
        by_class.setdefault(size_class(Path(r["package"]).stat().st_size), []).append(
            r["cpu_seconds"]
        )
    real = [r["cpu_seconds"] for r in rows if "/realworld/" in r["package"] or
            "/vulnapps/" in r["package"]]  # fmt: skip
    result = {
        "packages": len(rows), "wall_seconds": round(wall, 1), "core_seconds": round(cpu, 1),
        "by_size_class": {k: {"n": len(v), "median_core_s": round(statistics.median(v), 3),
                              "mean_core_s": round(statistics.fmean(v), 3)}
                          for k, v in sorted(by_class.items())},
        "median_realworld_vulnapps_core_s": round(statistics.median(real), 3),
        "statuses": {s: sum(1 for r in rows if r["status"] == s) for s in
                     {r["status"] for r in rows}},
    }  # fmt: skip
    print(json.dumps(result, indent=1), flush=True)
    # one process per package, every 5th package of the batch's order
    sample = [Path(r["package"]) for r in rows][::5]
    c0, t0 = children_cpu(), time.perf_counter()
    for p in sample:
        subprocess.run([sys.executable, "-m", "mobsec.cli", "scan", "-q", str(p), "-o",
                        str(tmp / "one.json"), "--threads", "1"], check=False)  # fmt: skip
    per_wall, per_cpu = time.perf_counter() - t0, children_cpu() - c0
    in_batch = sum(r["cpu_seconds"] for r in rows[::5])
    result["one_process_per_package"] = {
        "packages": len(sample), "wall_seconds": round(per_wall, 1),
        "core_seconds": round(per_cpu, 1), "same_packages_in_batch_core_seconds":
        round(in_batch, 1)}  # fmt: skip
    print(json.dumps(result["one_process_per_package"]), flush=True)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "fleet.json")
    ap.add_argument("--skip-batch", action="store_true")
    ap.add_argument("--only-rules", action="store_true", help="only part 4 (rule-only re-scan)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="mobsec-bench-fleet-"))
    try:
        t = time.perf_counter()
        big = synthetic_app(tmp / "synthetic")
        with zipfile.ZipFile(big) as z:
            print(f"synthetic app built in {time.perf_counter() - t:.0f} s: "
                  f"{[i.file_size for i in z.infolist()]}", flush=True)  # fmt: skip
        named = sorted((APKS / "realworld").glob("*.apk")) + sorted(
            (APKS / "vulnapps").glob("*.apk")
        )
        out: dict = {"load": os.getloadavg()}
        if args.only_rules:
            rows = rule_only([*named, big], tmp)
            ratios = [r["ratio"] for r in rows]
            print(f"rule-only / full: median {statistics.median(ratios):.3f}, "
                  f"max {max(ratios):.3f}")  # fmt: skip
            done = json.loads(args.out.read_text()) if args.out.exists() else {}
            args.out.write_text(json.dumps({**done, "rule_only": rows}, indent=2) + "\n")
            return 0
        out["job_path"] = job_path([*named, big])
        costs = [r["core_seconds"] for r in out["job_path"][:-1]]
        out["job_path_median_realworld_vulnapps"] = round(statistics.median(costs), 3)
        out["rule_only"] = rule_only([*named, big], tmp)
        if not args.skip_batch:
            out["batch"] = batch(sorted(APKS.rglob("*.apk")), tmp)
        args.out.parent.mkdir(exist_ok=True)
        args.out.write_text(json.dumps(out, indent=2) + "\n")
        print(f"median job-path cost {out['job_path_median_realworld_vulnapps']} core-s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
