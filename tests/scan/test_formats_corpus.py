"""Every file of ../shared/corpus/formats (MANIFEST.tsv) scans to a valid report without an
error, a crash or a hang; the edge samples give the diagnostics NOTES.md documents.

One place that holds the whole list, so a sample added to the corpus is scanned too. The
per-format tests (tests/ios, tests/scan/test_bundles.py, test_scan_sdk.py,
test_scan_harmony_wx.py) check what each report says."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from mobsec.engine import scan
from mobsec.options import ScanOptions
from mobsec.report.schema import validate_report

pytestmark = pytest.mark.corpus

# the taint budget is the one knob that makes Android scans long; 2 s keeps this list quick
OPTIONS = ScanOptions(taint_seconds=2)
HANG_SECONDS = 120  # far above any sample's scan time (bench/RESULTS.md): a hang, not slowness
PLATFORM_OF_DIR = {
    "ipa": ("ipa", "ios"),
    "hap": ("hap", "harmony"),
    "harmony-app": ("harmony-app", "harmony"),
    "wxapkg": ("wxapkg", "miniprogram"),
    "aab": ("aab", "android"),
    "apks": ("apks", "android"),
    "aar": ("aar", "android"),
    "jar": ("jar", "android"),
}
# NOTES.md §1 and §3: what the edge samples must say instead of crashing
DOCUMENTED_ERRORS = {
    "ipa/edge/fastlane_ContainsWatchApp.ipa": {"ios.no_executable"},
    "ipa/edge/fastlane_with_swift_twice.ipa": {"ios.no_info_plist"},
    "wxapkg/secdevlpr26_wx0a3f2cb08e5994bc-pc-encrypted-V1MMWX.wxapkg": {"wxapkg.encrypted"},
}


def _manifest(corpus: Path) -> list[str]:
    rows = (corpus / "formats" / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    return [r.split("\t")[0] for r in rows[1:] if r.strip()]


def _rows() -> list[str]:
    from tests.conftest import CORPUS

    path = CORPUS / "formats" / "MANIFEST.tsv"
    return _manifest(CORPUS) if path.is_file() else []


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Hang


@pytest.mark.parametrize("rel", _rows())
def test_every_format_sample_scans(corpus_dir: Path, rel: str) -> None:
    path = corpus_dir / "formats" / rel
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    started = time.monotonic()
    try:
        doc = scan(path, OPTIONS).to_json()
    except _Hang:
        pytest.fail(f"{rel}: no report after {HANG_SECONDS} s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    elapsed = time.monotonic() - started
    validate_report(doc)
    assert (doc["package"]["format"], doc["package"]["platform"]) == PLATFORM_OF_DIR[
        rel.split("/")[0]
    ], rel
    codes = {d["code"] for d in doc["diagnostics"]}
    errors = {d["code"] for d in doc["diagnostics"] if d["level"] == "error"}
    assert not [c for c in codes if c.startswith("internal")], (rel, codes)
    assert errors == DOCUMENTED_ERRORS.get(rel, set()), (rel, errors)
    assert elapsed < HANG_SECONDS, (rel, elapsed)


def test_the_list_is_the_corpus(corpus_dir: Path) -> None:
    """Every file under formats/ is in MANIFEST.tsv, so the test above scans it."""
    listed = set(_manifest(corpus_dir))
    on_disk = {
        str(p.relative_to(corpus_dir / "formats"))
        for p in (corpus_dir / "formats").rglob("*")
        if p.is_file() and p.name not in ("MANIFEST.tsv", "NOTES.md")
    }
    assert on_disk == listed
    assert len(listed) == 30
