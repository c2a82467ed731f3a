"""Benchmark: one number per reader and per check area, on real corpus files.

These measurements used to be time bounds inside tests, which failed on a loaded CI machine
without anything being wrong. Speed is a feature we measure and record here (section
"Readers and check areas" of bench/RESULTS.md); the tests keep the functional assertions and
only generous hang guards.

Every row is the best of N runs (the least disturbed by other processes) except the check
areas, which are the median of N full scans (the timings the scan itself records).

    .venv/bin/python bench/bench_readers.py [--corpus DIR] [--repeat N] [--json OUT]
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import statistics
import subprocess
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from elftools.elf.elffile import ELFFile

from mobsec import ScanOptions, scan
from mobsec.diagnostics import Diagnostics
from mobsec.facts.dataflow.analysis import _analyse
from mobsec.facts.manifest import build_manifest
from mobsec.facts.owners import OwnerResolver, SdkCatalog
from mobsec.ingest.archive import Archive
from mobsec.ingest.arsc import parse_arsc
from mobsec.ingest.axml import parse_axml
from mobsec.ingest.dex import DexFile
from mobsec.ingest.elf import analyze_elf
from mobsec.ingest.nested import find_nested_code_in_archive
from mobsec.ingest.signing import verify_apk_signatures

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared/corpus/apks"
APPIUM = "realworld/appium-uiautomator2-server-v10.6.6.apk"
N_SYMBOLS = 20_000

Row = tuple[str, str, float, str]  # area, what, milliseconds, note


def best_of(n: int, fn: Callable[[], object]) -> float:
    """Seconds of the fastest of n calls."""
    best = float("inf")
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def bench_archive(corpus: Path, n: int) -> list[Row]:
    """Open the 17 MB APK and inflate every classes*.dex; bare zlib on the same bytes is the
    floor any reader pays."""
    path = corpus / APPIUM
    with Archive.open(path, Diagnostics()) as arch:
        dex = [x for x in arch.names() if x.startswith("classes") and x.endswith(".dex")]
        spans = [(e.data_offset, e.compressed_size) for e in map(arch.get, dex) if e]
        size = sum(len(arch.read(x) or b"") for x in dex)

        def bare() -> None:
            for off, length in spans:
                with arch.view(off, off + length) as src:
                    zlib.decompressobj(-15).decompress(src)

        floor = best_of(n, bare)

    def ours() -> None:
        with Archive.open(path, Diagnostics()) as a:
            for x in dex:
                a.read(x)

    t = best_of(n, ours)
    note = f"{len(dex)} DEX, {size / 1e6:.1f} MB"
    return [
        ("archive", "open + read every DEX of appium", t * 1000, note),
        ("archive", "  floor: bare zlib inflate of the same bytes", floor * 1000, note),
    ]


def bench_manifest(corpus: Path, n: int) -> list[Row]:
    with zipfile.ZipFile(corpus / APPIUM) as z:
        manifest, arsc = z.read("AndroidManifest.xml"), z.read("resources.arsc")

    def run() -> None:
        d = Diagnostics()
        root = parse_axml(manifest, "AndroidManifest.xml", d)
        res = parse_arsc(arsc, "resources.arsc", d)
        assert root is not None
        build_manifest(root, res, "AndroidManifest.xml", d).to_json()

    note = f"axml {len(manifest) / 1e3:.0f} kB, arsc {len(arsc) / 1e3:.0f} kB"
    return [("manifest", "axml + arsc + build_manifest, appium", best_of(n, run) * 1000, note)]


def bench_signing(corpus: Path, n: int) -> list[Row]:
    path = corpus / APPIUM
    with Archive.open(path, Diagnostics()) as arch:
        t = best_of(n, lambda: verify_apk_signatures(arch, Diagnostics(), min_sdk=24))
        note = f"{arch.size / 1e6:.1f} MB digested"
    return [("signing", "verify_apk_signatures, appium", t * 1000, note)]


def _pyelftools_symbols(data: bytes) -> int:
    dynsym = ELFFile(io.BytesIO(data)).get_section_by_name(".dynsym")
    return sum(1 for s in dynsym.iter_symbols() if s.name)


def bench_elf(corpus: Path, n: int) -> list[Row]:
    rows: list[Row] = []
    if shutil.which("gcc"):
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "big.c"
            src.write_text("".join(f"int v_{i} = {i};\n" for i in range(N_SYMBOLS)))
            out = Path(tmp) / "libbig.so"
            subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(out), str(src)], check=True)
            big = out.read_bytes()
        ours = best_of(n, lambda: analyze_elf(big, "libbig.so", Diagnostics()))
        theirs = best_of(1, lambda: _pyelftools_symbols(big))
        note = f"{N_SYMBOLS:,} symbols, {len(big) / 1e6:.1f} MB"
        rows += [
            ("elf", "analyze_elf, large symbol table (incl. sha256)", ours * 1000, note),
            ("elf", "  pyelftools, symbols only", theirs * 1000, f"{theirs / ours:.0f}x ours"),
        ]
    libs: list[tuple[str, bytes]] = []
    for apk in sorted(corpus.glob("*/*.apk")):
        try:
            with zipfile.ZipFile(apk) as zf:
                libs += [
                    (i.filename, zf.read(i))
                    for i in zf.infolist()
                    if i.filename.startswith("lib/") and i.filename.endswith(".so")
                ]
        except zipfile.BadZipFile:
            continue
    libs = [(name, d) for name, d in libs if d[:4] == b"\x7fELF"]
    if libs:
        worst = max(
            best_of(n, lambda d=d, name=name: analyze_elf(d, name, Diagnostics()))
            for name, d in libs
        )
        total = best_of(n, lambda: [analyze_elf(d, name, Diagnostics()) for name, d in libs])
        mb = sum(len(d) for _, d in libs) / 1e6
        note = f"{len(libs)} libs, {mb:.1f} MB"
        rows += [
            ("elf", "analyze_elf, mean per corpus .so", total / len(libs) * 1000, note),
            ("elf", "analyze_elf, worst corpus .so", worst * 1000, ""),
        ]
    return rows


def bench_owners(corpus: Path, n: int) -> list[Row]:
    """owner_of over 100k real descriptors (InsecureBankv2's classes, repeated)."""
    with zipfile.ZipFile(corpus / "vulnapps/InsecureBankv2.apk") as z:
        dex = DexFile.parse(z.read("classes.dex"), "classes.dex", Diagnostics())
    names = [c.descriptor for c in dex.classes]
    descriptors = (names * (100_000 // len(names) + 1))[:100_000]
    catalog = SdkCatalog.load()
    best = float("inf")
    for _ in range(n):  # a fresh resolver each time: its cache starts empty
        r = OwnerResolver(catalog, "com.android.insecurebankv2")
        t0 = time.perf_counter()
        for d in descriptors:
            r.owner_of(d)
        best = min(best, time.perf_counter() - t0)
    return [("owners", "owner_of x 100k descriptors", best * 1000, f"{len(names):,} distinct")]


def bench_nested(corpus: Path) -> list[Row]:
    """find_nested_code alone (archive already open) over vulnapps + realworld."""
    total, worst, count = 0.0, (0.0, ""), 0
    for apk in sorted([*corpus.glob("vulnapps/*.apk"), *corpus.glob("realworld/*.apk")]):
        diags = Diagnostics()
        with Archive.open(apk, diags) as arch:
            t0 = time.perf_counter()
            find_nested_code_in_archive(arch, diags)
            spent = time.perf_counter() - t0
        total, worst, count = total + spent, max(worst, (spent, apk.name)), count + 1
    return [
        ("nested", "content sniffing, total", total * 1000, f"{count} APKs"),
        ("nested", "content sniffing, worst APK", worst[0] * 1000, worst[1]),
    ]


def bench_dataflow(corpus: Path) -> list[Row]:
    """Uncached per-method data-flow analysis of every method with code."""
    rows: list[Row] = []
    for apk in ("vulnapps/InsecureBankv2.apk", "vulnapps/diva-beta.apk"):
        with zipfile.ZipFile(corpus / apk) as z:
            dex = DexFile.parse(z.read("classes.dex"), "classes.dex", Diagnostics())
        methods = [m for m in dex.iter_methods() if m.code_off]
        t0 = time.perf_counter()
        for m in methods:
            _analyse(dex, m)
        spent = time.perf_counter() - t0
        note = f"{len(methods):,} methods, {spent:.2f} s"
        rows.append(
            ("dataflow", f"method_flow, mean per method, {apk}", spent / len(methods) * 1000, note)
        )
    return rows


def bench_check_areas(corpus: Path, n: int) -> list[Row]:
    """Median of n full scans of appium, as the scan's own timings record each area."""
    runs = [scan(corpus / APPIUM, ScanOptions()).to_json()["timings"] for _ in range(n)]
    areas = sorted(k for k in runs[0] if k.startswith("checks."))
    rows = [("checks", k, statistics.median(r[k] for r in runs) * 1000, "") for k in areas]
    rows.append(
        ("checks", "checks (all areas)", statistics.median(r["checks"] for r in runs) * 1000, "")
    )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", help="also write the rows here (e.g. bench/results/readers.json)")
    args = ap.parse_args()
    corpus, n = Path(args.corpus), args.repeat
    rows = [
        *bench_archive(corpus, n),
        *bench_manifest(corpus, n),
        *bench_signing(corpus, n),
        *bench_elf(corpus, n),
        *bench_owners(corpus, n),
        *bench_nested(corpus),
        *bench_dataflow(corpus),
        *bench_check_areas(corpus, n),
    ]
    print("| area | measured | ms | note |")
    print("|---|---|---|---|")
    for area, what, ms, note in rows:
        print(f"| {area} | {what} | {ms:.2f} | {note} |")
    if args.json:
        doc = [
            {"area": a, "measured": w.strip(), "ms": round(ms, 3), "note": t}
            for a, w, ms, t in rows
        ]
        Path(args.json).write_text(json.dumps(doc, indent=2) + "\n")


if __name__ == "__main__":
    main()
