"""Scheme files: the shipped ones load, bad ones are refused naming file, line and problem,
and items are decided from real Report documents."""

from __future__ import annotations

from pathlib import Path

import pytest

import mobsec
from mobsec.certification import decide, schemes
from mobsec.facts.privacy._scenarios import SCENARIOS_191

GOOD = """\
scheme: org-demo
version: "1.0"
standard:
  code: DEMO-1
  title: {en: Demo, zh-CN: 演示}
items:
  - id: "net"
    title: {en: Network, zh-CN: 网络}
    findings:
      - check: android.network.
        min_severity: high
  - id: "pi"
    title: {en: PI, zh-CN: 个人信息}
    privacy: ["191:4.1"]
  - id: "ui"
    title: {en: UI, zh-CN: 界面}
    evidence: manual
"""


def test_shipped_schemes_load_and_mark_unverified_texts():
    loaded = {s.id: s for s in schemes.builtin_schemes()}
    assert set(loaded) == {"cac-191-2019", "miit-337-2019", "gbt-34975-2017", "jrt-0092-2019"}
    s191 = loaded["cac-191-2019"]
    # regulations.md: categories 1-3 checked against the text [V], 4-6 not [M]
    assert [i.id for i in s191.items] == [s[0] for s in SCENARIOS_191]
    assert {i.id for i in s191.items if i.needs_review} == {
        s[0] for s in SCENARIOS_191 if s[1] == "M"
    }
    assert all(i.id[0] in "456" for i in s191.items if i.needs_review)
    assert not loaded["miit-337-2019"].needs_review  # the 8 problems are marked [V]
    for sid in ("gbt-34975-2017", "jrt-0092-2019"):  # item lists only [M]
        assert all(i.needs_review for i in loaded[sid].items)


def test_good_scheme_parses():
    s = schemes.parse_scheme(GOOD, "demo.yaml")
    assert (s.id, s.version, len(s.items)) == ("org-demo", "1.0", 3)
    assert s.items[0].findings[0].check == "android.network."
    assert s.items[1].privacy == (("191", "4.1"),)


BAD = [
    ("", None, "empty"),
    ("scheme: [unclosed\n", 2, "not valid YAML"),  # the stream ends on line 2
    (GOOD.replace("version:", "versoin:"), 2, "unknown key 'versoin'"),
    (GOOD.replace('version: "1.0"\n', ""), None, "needs 'version'"),
    (GOOD.replace("min_severity: high", "min_severity: severe"), 11, "min_severity"),
    (GOOD.replace('id: "pi"', 'id: "net"'), 12, "given twice"),
    (GOOD.replace('privacy: ["191:4.1"]', 'privacy: ["GB:1"]'), 14, "191:<scenario>"),
    (GOOD.replace("    evidence: manual\n", ""), 15, "says nothing about how it is decided"),
    (GOOD.replace("evidence: manual", "evidence: maybe"), 17, "evidence must be one of"),
    (GOOD.replace("{en: UI, zh-CN: 界面}", "{en: UI}"), 16, "needs 'zh-CN'"),
    (GOOD.replace("scheme: org-demo", "scheme: Org Demo!"), 1, "scheme 'Org Demo!' is not valid"),
    (
        GOOD.replace(
            "      - check: android.network.\n", "      - check: a.b\n        standard: 191:1.1\n"
        ),
        10,
        "exactly one of 'check' or 'standard'",
    ),
    (GOOD + "x: &a [1]\ny: *a\n", 18, "anchors"),
    (GOOD.replace("items:\n", "items: []\nother:\n"), None, "unknown key 'other'"),
]


@pytest.mark.parametrize("text,line,fragment", BAD)
def test_bad_scheme_is_refused_with_file_line_and_problem(text, line, fragment):
    with pytest.raises(schemes.SchemeFileError) as e:
        schemes.parse_scheme(text, "org.yaml")
    assert e.value.file == "org.yaml"
    assert fragment in e.value.en, e.value.en
    assert e.value.zh and e.value.zh != e.value.en
    if line is not None:
        assert e.value.line == line, str(e.value)
        assert f"org.yaml:{line}:" in str(e.value)


def test_scheme_file_on_disk_bounded(tmp_path: Path):
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * 300_000)
    with pytest.raises(schemes.SchemeFileError, match="too large"):
        schemes.load_scheme(big)
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(schemes.SchemeFileError, match="not a regular file"):
        schemes.load_scheme(link)


@pytest.fixture(scope="module")
def direct_leak(corpus_apks):
    """A DroidBench app that reads the IMEI: scanned plain and with an app type (the
    necessary-PI rules then decide 191 scenario 4.1)."""
    apk = corpus_apks / "droidbench" / "AndroidSpecific__DirectLeak1.apk"
    plain = mobsec.scan(apk, mobsec.ScanOptions(threads=1)).to_json()
    typed = mobsec.scan(apk, mobsec.ScanOptions(threads=1, app_type="map-navigation")).to_json()
    return plain, typed


def test_items_decided_from_a_real_report(direct_leak):
    plain, typed = direct_leak
    s = schemes.parse_scheme(GOOD, "demo.yaml")
    by_id = {d.item_id: d for d in decide.decide(s, plain)}
    assert by_id["net"].result == decide.PASS  # no high network finding in this app
    assert by_id["pi"].result == decide.NEEDS_EVIDENCE  # 4.1 needs the app type
    assert by_id["pi"].privacy == [{"ref": "191:4.1", "result": "not-assessed-statically"}]
    assert by_id["ui"].result == decide.NEEDS_EVIDENCE and by_id["ui"].why == ["manual"]
    typed_pi = {d.item_id: d for d in decide.decide(s, typed)}["pi"]
    assert typed_pi.result == decide.FAIL
    assert decide.conclusion([d.result for d in decide.decide(s, typed)]) == decide.FAIL


def test_findings_thresholds_and_false_positives(direct_leak):
    plain, _ = direct_leak
    debuggable = [f for f in plain["findings"] if f["check_id"] == "android.manifest.debuggable"]
    assert debuggable and debuggable[0]["severity"] == "high"
    text = GOOD.replace("android.network.", "android.manifest.debuggable")
    s = schemes.parse_scheme(text, "demo.yaml")
    assert decide.decide(s, plain)[0].result == decide.FAIL
    assert decide.decide(s, plain)[0].findings[0]["fingerprint"] == debuggable[0]["fingerprint"]
    # above the finding's severity: passes
    s = schemes.parse_scheme(text.replace("min_severity: high", "min_severity: critical"), "d")
    assert decide.decide(s, plain)[0].result == decide.PASS
    # a finding a tester decided is a false positive does not fail the item
    s = schemes.parse_scheme(text, "demo.yaml")
    ignored = {f["fingerprint"] for f in debuggable}
    assert decide.decide(s, plain, ignored)[0].result == decide.PASS


def test_191_scheme_on_a_real_report(direct_leak):
    _, typed = direct_leak
    s191 = next(s for s in schemes.builtin_schemes() if s.id == "cac-191-2019")
    results = {d.item_id: d.result for d in decide.decide(s191, typed)}
    scenarios = {x["id"]: x["result"] for x in typed["privacy"]["scenarios"]}
    for sid, res in scenarios.items():
        if res == "violation-suspected":
            assert results[sid] == decide.FAIL, sid
    assert results["1.2"] == decide.NEEDS_EVIDENCE  # first-run prompt: a dynamic run
    assert len(results) == 31


def test_other_platform_item_not_applicable(direct_leak):
    plain, _ = direct_leak
    text = GOOD.replace('  - id: "net"\n', '  - id: "net"\n    platforms: [ios]\n')
    s = schemes.parse_scheme(text, "demo.yaml")
    assert decide.decide(s, plain)[0].result == decide.NOT_APPLICABLE
