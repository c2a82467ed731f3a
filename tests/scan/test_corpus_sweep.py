"""Every corpus file scans without crash or hang; broken files give a clear outcome.

Each APK is scanned in a worker process with a time limit, so a hang fails the test instead
of stalling CI, and a crash in one file cannot hide the others.
"""

from __future__ import annotations

import json
import multiprocessing as mp
from pathlib import Path

import pytest

from mobsec.report.schema import report_validator

PER_FILE_TIMEOUT_S = 60  # a hang guard: normal scans take well under 5 s
# The taint analysis has its own budget (incomplete results are reported, not an error);
# a short one keeps the sweep of 542 files quick.
TAINT_SECONDS = 3.0


def _scan_one(path: str) -> dict:
    from mobsec import ScanOptions, scan

    report = scan(path, ScanOptions(threads=1, taint_seconds=TAINT_SECONDS))
    doc = report.to_json()
    json.dumps(doc)  # must serialise
    return doc


@pytest.fixture(scope="module")
def corpus_reports(corpus_apks: Path) -> dict[str, dict]:
    paths = sorted(str(p) for p in corpus_apks.rglob("*.apk"))
    assert len(paths) > 400, "corpus looks incomplete"
    out: dict[str, dict] = {}
    failures: list[str] = []
    ctx = mp.get_context("spawn")
    with ctx.Pool(2, maxtasksperchild=50) as pool:
        pending = [(p, pool.apply_async(_scan_one, (p,))) for p in paths]
        for p, res in pending:
            name = str(Path(p).relative_to(corpus_apks))
            try:
                out[name] = res.get(timeout=PER_FILE_TIMEOUT_S)
            except mp.TimeoutError:
                failures.append(f"{name}: no result within {PER_FILE_TIMEOUT_S} s (hang?)")
            except Exception as e:  # noqa: BLE001 - collect every crash, report them together
                failures.append(f"{name}: {type(e).__name__}: {e}")
        if failures:
            pool.terminate()
    assert not failures, "\n".join(failures)
    return out


@pytest.mark.corpus
def test_no_internal_errors(corpus_reports: dict[str, dict]) -> None:
    bad = {
        name: [d["message"]["en"] for d in doc["diagnostics"] if d["code"] == "internal.error"]
        for name, doc in corpus_reports.items()
    }
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, json.dumps(bad, indent=1)[:4000]


@pytest.mark.corpus
def test_every_report_matches_the_schema(corpus_reports: dict[str, dict]) -> None:
    validator = report_validator()
    problems = []
    for name, doc in corpus_reports.items():
        for err in validator.iter_errors(doc):
            problems.append(f"{name}: {'/'.join(map(str, err.absolute_path))}: {err.message}")
            break
    assert not problems, "\n".join(problems[:20])


@pytest.mark.corpus
def test_well_formed_apps_are_read_completely(corpus_reports: dict[str, dict]) -> None:
    """Real apps (vulnerable-by-design, DroidBench, real-world) have no read errors."""
    incomplete = {}
    for name, doc in corpus_reports.items():
        if name.split("/")[0] in ("vulnapps", "droidbench", "realworld"):
            errors = [d["code"] for d in doc["diagnostics"] if d["level"] == "error"]
            if errors or doc["code"] is None or not doc["code"]["dex_files"]:
                incomplete[name] = errors
            assert doc["app"] and doc["app"]["package"], name
    assert not incomplete, incomplete


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "code"),
    [
        # an empty ZIP: no app package content at all, named as such
        ("androguard/APK__apksig__empty-unsigned.apk", "input.unsupported_format"),
        ("androguard/APK__apksig__v1-only-with-nul-in-entry-name.apk", "zip.unsafe_name"),
        ("androguard/APK__apksig__v1-only-with-cr-in-entry-name.apk", "zip.unsafe_name"),
        ("androguard/APK__apksig__v1-only-with-lf-in-entry-name.apk", "zip.unsafe_name"),
    ],
)
def test_broken_files_name_the_problem(
    corpus_reports: dict[str, dict], name: str, code: str
) -> None:
    doc = corpus_reports[name]
    codes = {d["code"] for d in doc["diagnostics"]}
    assert code in codes, sorted(codes)
    for d in doc["diagnostics"]:
        assert d["message"]["en"] and d["message"]["zh-CN"]


@pytest.mark.corpus
def test_invalid_apk_is_reported_not_crashed(corpus_reports: dict[str, dict]) -> None:
    doc = corpus_reports["androguard/APK__Invalid.apk"]
    # androguard's "Invalid.apk" is a real app with a deliberately broken part; whatever we
    # make of it, the report says what was wrong instead of pretending all is well.
    assert doc["diagnostics"], "a broken file must produce diagnostics"


@pytest.mark.corpus
def test_signing_verdicts_in_reports_match_apksigner(corpus_reports: dict[str, dict]) -> None:
    """The whole pipeline (minSdk etc. taken from our own manifest reading) agrees with
    apksigner on every androguard file, through the report, not only the verifier alone."""
    from tests.ingest.test_signing_corpus import KNOWN_DISAGREEMENTS

    table = Path(__file__).parent.parent / "ingest" / "data" / "apksigner_verdicts.tsv"
    wrong = []
    checked = 0
    for line in table.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        apk, verified, sha256, *_ = line.split("\t")
        expected = KNOWN_DISAGREEMENTS.get(apk, verified == "1")
        doc = corpus_reports.get(f"androguard/{apk}")
        if doc is None:
            continue
        checked += 1
        got = bool(doc["signing"] and doc["signing"]["verified"])
        if got != expected:
            wrong.append(f"{apk}: report says verified={got}, apksigner {expected}")
        elif got and sha256 != "-" and doc["signing"]["signers"][0]["sha256"] != sha256:
            wrong.append(f"{apk}: first signer's SHA-256 differs from apksigner's")
    assert checked > 300
    assert not wrong, "\n".join(wrong)
