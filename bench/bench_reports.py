"""Benchmark: how big and how slow the human-facing reports are, on real corpus apps.

For each app: scan once, then render HTML and PDF (zh-CN and en) and print
* the HTML page height in Chromium (px, full page at 1280 px wide, as a reader scrolls it),
* the PDF page count (pdfinfo) and the PDF rendering time (median of N, wall and CPU),
* the number of finding cards and findings.
Section "Reports: size and speed" of bench/RESULTS.md keeps the numbers.

    .venv/bin/python bench/bench_reports.py [--corpus DIR] [--repeat N] [--lang zh-CN] [--app NAME]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import mobsec
from mobsec.report.render import render

APPS = (
    "apks/vulnapps/InsecureBankv2.apk",
    "apks/vulnapps/ovaa.apk",
    "apks/realworld/appium-uiautomator2-server-v10.6.6.apk",
)
CHROMIUM = "/usr/bin/chromium"


def _pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", out.stdout, re.M).group(1))  # type: ignore[union-attr]


def _heights(paths: list[Path]) -> list[int]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        heights = []
        for path in paths:
            page.goto(path.as_uri())
            heights.append(int(page.evaluate("document.documentElement.scrollHeight")))
        browser.close()
    return heights


def _median(fn: Any, repeat: int) -> tuple[float, float, float, Any]:
    """(median wall seconds, median CPU seconds of this process, CPU seconds of the first run,
    result): on a shared machine the CPU time is what the renderer costs, the wall time what
    a user waited; the first run in a process also pays WeasyPrint's one-time set-up (font
    loading, cffi declarations), as a CLI run does."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), cpus[0], result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path(__file__).parents[1] / "../shared/corpus")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--app", action="append", default=[], help="only apps whose path has this")
    ap.add_argument("--lang", action="append", default=[])
    args = ap.parse_args()
    langs = args.lang or ["zh-CN", "en"]
    tmp = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    rows = []
    for rel in [a for a in APPS if not args.app or any(n in a for n in args.app)]:
        apk = args.corpus / rel
        doc = mobsec.scan(apk, mobsec.ScanOptions()).to_json()
        for lang in langs:
            html_s, _, _, html = _median(lambda d=doc, lg=lang: render(d, "html", lg), args.repeat)
            pdf_s, pdf_cpu, pdf_first, pdf = _median(
                lambda d=doc, lg=lang: render(d, "pdf", lg), args.repeat
            )
            stem = f"{apk.stem}-{lang}"
            (tmp / f"{stem}.html").write_bytes(html)
            (tmp / f"{stem}.pdf").write_bytes(pdf)
            # one card per check since the grouped view; before it, one per finding
            cards = html.count(b'<section class="check ') or html.count(b'<article class="finding')
            pages = _pdf_pages(tmp / f"{stem}.pdf")
            rows.append(
                [
                    apk.name,
                    lang,
                    len(doc["findings"]),
                    cards,
                    html_s,
                    pdf_s,
                    pdf_cpu,
                    pdf_first,
                    pages,
                    tmp / f"{stem}.html",
                ]
            )
    heights = _heights([r[-1] for r in rows])
    print(
        f"{'app':40} {'lang':5} {'findings':>8} {'cards':>5} {'html s':>6} {'pdf s':>6} "
        f"{'pdf cpu':>7} {'1st cpu':>7} {'pages':>5} {'height px':>9}"
    )
    for r, h in zip(rows, heights, strict=True):
        print(
            f"{r[0]:40} {r[1]:5} {r[2]:8} {r[3]:5} {r[4]:6.2f} {r[5]:6.2f} {r[6]:7.2f} "
            f"{r[7]:7.2f} {r[8]:5} {h:9}"
        )
    print(f"(outputs in {tmp})")


if __name__ == "__main__":
    main()
