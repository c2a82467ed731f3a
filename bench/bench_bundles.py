"""Benchmark: scanning split sets and App Bundles against scanning the same app as one APK.

Pairs, all from ../shared/corpus/formats:

* ``SimplestNotes_app.apks`` (universal mode) against its ``universal.apk``;
* ``mlevytskiy-Core_app.apks`` (split mode: base-master + en + xxhdpi) against its
  ``splits/base-master.apk`` alone (no universal APK exists for it);
* each ``.aab`` against its ``base`` module rebuilt as a binary APK with
  ``aapt2 convert`` (no bundletool here), signed with the fixtures' key. For the multi-module bundles the bundle scan
  also reads the other modules, which the reference APK does not hold.

Every number is the best wall time of N in-process ``mobsec.scan`` calls (the run least
disturbed by other processes on a shared machine) with default
options (after one warm-up scan of each file, so imports and catalogs are loaded): the whole
scan, and its ``ingest.*`` phases alone (where a bundle differs from an APK; facts, checks
and the time-budgeted taint analysis run on the same union either way).

    .venv/bin/python bench/bench_bundles.py [--corpus DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

from mobsec import ScanOptions, scan

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
KEYSTORE = ROOT / "tests" / "fixtures" / "keystore" / "debug.p12"


def base_module_as_apk(aab: Path, out_dir: Path) -> Path:
    """The AAB's base module as a proto APK, converted to binary by aapt2."""
    proto = out_dir / (aab.stem + "-proto.apk")
    with zipfile.ZipFile(aab) as src, zipfile.ZipFile(proto, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            if not name.startswith("base/") or name.endswith("/"):
                continue
            rest = name[len("base/") :]
            top, _, below = rest.partition("/")
            if top in ("manifest", "dex", "root"):
                rest = below
            if rest not in ("assets.pb", "native.pb"):
                dst.writestr(rest, src.read(name))
    binary = out_dir / (aab.stem + "-binary.apk")
    run = ["aapt2", "convert", "-o", str(binary), "--output-format", "binary", str(proto)]
    subprocess.run(run, check=True, capture_output=True)
    # Signed like a release APK (v1+v2+v3), so the reference verifies signatures as the
    # bundle scan verifies the bundle's JAR signature.
    aligned = out_dir / (aab.stem + "-aligned.apk")
    run = ["zipalign", "-f", "-p", "4", str(binary), str(aligned)]
    subprocess.run(run, check=True, capture_output=True)
    apk = out_dir / (aab.stem + "-base.apk")
    password = (KEYSTORE.parent / "password.txt").read_text(encoding="utf-8").strip()
    run = ["apksigner", "sign", "--ks", str(KEYSTORE), "--ks-pass", f"pass:{password}"]
    run += ["--v1-signing-enabled=true", "--out", str(apk), str(aligned)]
    subprocess.run(run, check=True, capture_output=True)
    return apk


def extract(container: Path, member: str, out_dir: Path) -> Path:
    out = out_dir / (container.stem + "-" + member.replace("/", "_"))
    with zipfile.ZipFile(container) as z:
        out.write_bytes(z.read(member))
    return out


def best_scan(path: Path, repeat: int, options: ScanOptions) -> tuple[float, float, float, int]:
    """Best wall time of the whole scan and of its ingest phases, the best CPU time of the
    whole scan (what it costs alone on a machine other processes keep busy), findings."""
    scan(path, options)  # warm-up
    times, ingest, cpu, findings = [], [], [], 0
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        report = scan(path, options)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        ingest.append(sum(v for k, v in report.timings.items() if k.startswith("ingest.")))
        findings = len(report.findings)
    return min(times), min(ingest), min(cpu), findings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--taint-seconds", type=float, default=10.0, help="the taint budget (wall clock)"
    )
    args = ap.parse_args()
    options = ScanOptions(taint_seconds=args.taint_seconds)
    formats = args.corpus / "formats"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        pairs = [
            (formats / "apks/SimplestNotes_app.apks", "universal.apk"),
            (formats / "apks/mlevytskiy-Core_app.apks", "splits/base-master.apk"),
        ]
        rows = [(c, extract(c, m, out), m) for c, m in pairs]
        for aab in sorted((formats / "aab").glob("*.aab")):
            rows.append((aab, base_module_as_apk(aab, out), "base module via aapt2 convert"))
        print(
            f"{'package':46} {'scan s':>7} {'ref s':>7} {'ratio':>6} {'ingest':>7} {'ref':>6}"
            f" {'ratio':>6} {'cpu s':>6} {'ref':>6} {'ratio':>6}  findings  reference"
        )
        for container, ref, what in rows:
            t_bundle, i_bundle, c_bundle, n_bundle = best_scan(container, args.repeat, options)
            t_ref, i_ref, c_ref, n_ref = best_scan(ref, args.repeat, options)
            print(
                f"{container.name:46} {t_bundle:7.2f} {t_ref:7.2f} {t_bundle / t_ref:6.2f}"
                f" {i_bundle:7.2f} {i_ref:6.2f} {i_bundle / i_ref:6.2f}"
                f" {c_bundle:6.2f} {c_ref:6.2f} {c_bundle / c_ref:6.2f}"
                f"  {n_bundle:>3}/{n_ref:<4}  {what}"
            )


if __name__ == "__main__":
    main()
