"""The hostile packages of issue 15, built by ``generators.py`` and scanned by the CLI.

Each case runs in its own process; the bounds asserted (1 GB peak RSS, 60 s) are generous
guards against regressions to the unbounded behaviour (4.4 GB, minutes), not speed tests:
``bench/bench_hostile.py`` records the real figures at the issue's full sizes. The CI sizes
still prove each mechanism (a ratio check on declared sizes lets every one of them through).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mobsec.limits import DEFAULT_LIMITS
from tests.hostile.generators import CASES, generate
from tests.hostile.harness import Run, scan

PEAK_MB = 1024
WALL_S = 60.0
STDERR_BYTES = 64 * 1024

needs_smali = pytest.mark.skipif(shutil.which("smali") is None, reason="smali is needed")


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="session")
def runs(hostile_dir: Path) -> dict[str, tuple[Run, dict]]:
    """Every case generated at its CI size and scanned once (shared by the tests below)."""
    if shutil.which("smali") is None or shutil.which("apksigner") is None:
        pytest.skip("smali and apksigner are needed to build the DEX and v1 cases")
    out: dict[str, tuple[Run, dict]] = {}
    for name in CASES:
        d = hostile_dir / name
        d.mkdir()
        apk = generate(name, d)
        r = scan(apk, d, timeout=WALL_S * 2)
        doc = json.loads(r.report.read_text()) if r.report.exists() else {}
        out[name] = (r, doc)
    return out


def codes(doc: dict) -> dict[str, list[dict]]:
    by: dict[str, list[dict]] = {}
    for d in doc.get("diagnostics", []):
        by.setdefault(d["code"], []).append(d)
    return by


@pytest.mark.parametrize("name", list(CASES))
def test_every_case_ends_with_a_report_within_bounds(runs, name: str) -> None:
    r, doc = runs[name]
    assert r.rc in (0, 1, 3), (name, r.rc, r.stderr[-2000:])
    assert doc.get("package"), name
    assert r.peak_mb < PEAK_MB, (name, r.peak_mb)
    assert r.wall_s < WALL_S, (name, r.wall_s)
    assert len(r.stderr) < STDERR_BYTES, (name, len(r.stderr))
    assert b"Traceback" not in r.stderr
    internal = [d for d in doc["diagnostics"] if d["code"].startswith("internal.")]
    assert not internal, internal
    for d in doc["diagnostics"]:  # every diagnostic names its file, or is package-wide
        assert d["file"] or not d["code"].startswith(("dex.", "format.", "axml.")), d


def test_overlapping_dex_read_once_and_ratio_on_consumed_bytes(runs) -> None:
    _, doc = runs["overlapping-dex"]
    c = codes(doc)
    assert len(c["apk.dex_alias"]) == 9  # classes2..classes10.dex share classes.dex's header
    (bomb,) = c["zip.bomb_limit"]
    assert bomb["file"] == "classes.dex" and bomb["detail"]["kind"] == "compression ratio"
    # the declared compressed size (padded) would have allowed the whole 64 MiB
    d = bomb["detail"]
    assert d["compressed_size"] * 200 >= d["declared_size"] > d["limit"]
    assert d["consumed"] < d["compressed_size"]


def test_padded_dex_stops_at_ratio(runs) -> None:
    _, doc = runs["padded-dex"]
    (bomb,) = codes(doc)["zip.bomb_limit"]
    assert bomb["detail"]["kind"] == "compression ratio"


def test_trailing_junk_after_deflate_stream_is_reported(runs) -> None:
    _, doc = runs["control-chars"]  # a readable manifest whose size is padded with junk
    (t,) = codes(doc)["zip.trailing_data"]
    assert t["file"] == "AndroidManifest.xml" and t["detail"]["trailing"] == 999


def test_many_dex_files_are_read_and_dropped_one_at_a_time(runs) -> None:
    _, doc = runs["many-dex"]
    c = codes(doc)
    assert len([d for d in doc["diagnostics"] if d["file"].startswith("classes")]) >= 6
    assert "zip.bomb_limit" not in c  # each entry is within the limits: it is read
    mib = CASES["many-dex"][1]
    # the DEX phase's high-water mark grows by a few times one file, not by their sum
    grown = doc["memory"]["ingest.dex"] - doc["memory"]["ingest.signing"]
    assert grown < 3 * mib["mib"] < mib["mib"] * mib["files"], grown


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("attribute-layouts", "axml.too_many_attributes"),
        ("text-xml-wide", "axml.too_many_elements"),
        ("text-xml-deep", "axml.too_many_elements"),
        ("text-xml-attrs", "axml.too_many_attributes"),
        ("binary-xml-attrs", "axml.too_many_attributes"),
    ],
)
def test_xml_limits_apply_while_parsing(runs, name: str, code: str) -> None:
    _, doc = runs[name]
    assert code in codes(doc), sorted(codes(doc))


def test_layouts_sharing_a_header_are_parsed_once(runs) -> None:
    _, doc = runs["attribute-layouts"]
    # one layout analysed: its limit diagnostic appears once, not once per alias
    assert len(codes(doc)["axml.too_many_attributes"]) == 1


def test_many_components_all_counted_in_a_bounded_report(runs) -> None:
    _, doc = runs["many-components"]
    n = CASES["many-components"][1]["n"]
    cap = DEFAULT_LIMITS.max_findings_per_check
    assert n > cap + 100  # the CI size must exercise the cap
    exported = [f for f in doc["findings"] if f["check_id"] == "android.manifest.exported-activity"]
    # the first `cap` listed one by one, one finding standing for the rest (A1..A{n-1})
    assert len(exported) == cap + 1
    (rest,) = [f for f in exported if "more instances" in f["message"]["en"]]
    left_out = n - 1 - cap
    assert f"{left_out} more instances" in rest["message"]["en"]
    assert f"另有 {left_out} 处" in rest["message"]["zh-CN"]
    assert rest["location"]["file"] == "AndroidManifest.xml" and rest["location"]["line"]
    assert f"com.hostile.app.A{cap + 1}" in rest["evidence"]
    assert f"+{left_out - 20}" in rest["evidence"]
    (capped,) = codes(doc)["checks.findings_capped"]
    assert capped["detail"] == {
        "check": "android.manifest.exported-activity",
        "kept": cap,
        "left_out": left_out,
    }
    assert doc["manifest"]["launcher_activities"] == ["com.hostile.app.Main"]
    assert len(doc["manifest"]["components"]) == n  # the facts keep every component


@pytest.mark.parametrize(
    ("name", "code", "at_least"),
    [
        ("signing-pairs", "signing.block.unknown_pair", 100_000),
        ("many-entries", None, 60_000),
    ],
)
def test_repeated_diagnostics_are_capped_with_a_count(runs, name, code, at_least) -> None:
    r, doc = runs[name]
    summaries = codes(doc)["diagnostics.suppressed"]
    counted = {s["detail"]["code"]: s["detail"]["count"] for s in summaries}
    code = code or max(counted, key=counted.get)
    assert counted[code] >= at_least, counted
    assert len(codes(doc)[code]) <= 200
    assert len(doc["diagnostics"]) < 2_000
    assert r.report.stat().st_size < 5 * 2**20


@needs_smali
def test_broken_try_items_reported_on_the_dex_not_as_a_check_crash(runs) -> None:
    _, doc = runs["dex-tries"]
    c = codes(doc)
    assert "internal.check_failed" not in c and "format.invalid" not in c
    (bad,) = c["dex.bad_code_item"]
    assert bad["file"] == "classes.dex" and "onCreate" in bad["message"]["en"]
    ids = {f["check_id"] for f in doc["findings"]}
    assert "android.privacy.device-identifier" in ids  # the other checks still ran


@needs_smali
def test_65535_real_try_items_are_analysed(runs) -> None:
    _, doc = runs["dex-tries-real"]
    ids = {f["check_id"] for f in doc["findings"]}
    assert "android.privacy.pi-before-consent" in ids
    assert "dex.bad_code_item" not in codes(doc)


def test_control_characters_never_reach_terminal_or_html(runs, hostile_dir: Path) -> None:
    r, doc = runs["control-chars"]
    assert any("\x1b" in d["file"] for d in doc["diagnostics"])  # JSON stays faithful
    assert b"\x1b[" not in r.stderr and b"\x07" not in r.stderr
    assert b"\\x1b[2J" in r.stderr  # shown, escaped
    from mobsec.report.render import render

    for fmt in ("html", "sarif", "text"):
        out = render(doc, fmt, "en")
        for bad in (b"\x1b", b"\x00", b"\x07", b"\x08", "\u202e".encode()):
            assert bad not in out, (fmt, bad)
