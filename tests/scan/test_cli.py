"""The command line as a user (and a CI job) meets it: exit codes, outputs, messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mobsec.report.schema import validate_report


def mobsec(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mobsec.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.toolchain
def test_scan_writes_a_valid_report(fixture_apk, tmp_path: Path) -> None:
    apk = fixture_apk("java-basic")
    out = tmp_path / "r.json"
    proc = mobsec("scan", str(apk), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    validate_report(doc)
    assert doc["package"]["format"] == "apk"
    assert doc["scan"]["complete"] is True
    assert doc["code"]["methods"] > 0
    assert "report / 报告" in proc.stderr  # summary on stderr, both languages


@pytest.mark.toolchain
def test_report_on_stdout_when_no_output_given(fixture_apk) -> None:
    proc = mobsec("scan", "-q", str(fixture_apk("minimal-smali")))
    assert proc.returncode == 0, proc.stderr
    validate_report(json.loads(proc.stdout))
    assert proc.stderr == ""  # --quiet: nothing else


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    proc = mobsec("scan", str(tmp_path / "nope.apk"))
    assert proc.returncode == 2
    assert "nope.apk" in proc.stderr and "File not found" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_not_a_zip_gives_exit_3_and_still_a_report(tmp_path: Path) -> None:
    bad = tmp_path / "random.apk"
    bad.write_bytes(b"this is not a zip file at all\n" * 100)
    out = tmp_path / "r.json"
    proc = mobsec("scan", str(bad), "-o", str(out))
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    validate_report(doc)
    assert doc["scan"]["complete"] is False
    assert doc["package"]["hashes"]["sha256"]  # what the user gave is identified
    (err,) = [d for d in doc["diagnostics"] if d["level"] == "error"]
    assert err["code"] == "input.unsupported_format"
    assert "plain text" in err["message"]["en"] and "纯文本" in err["message"]["zh-CN"]
    assert doc["package"]["format"] == "unknown" and doc["package"]["platform"] is None
    assert "input.unsupported_format" in proc.stderr  # said even without reading the report


def test_truncated_apk_is_partially_reported(fixture_apk_or_corpus: Path, tmp_path: Path) -> None:
    """An APK cut in half: whatever is still readable is reported, the rest is named."""
    data = fixture_apk_or_corpus.read_bytes()
    cut = tmp_path / "cut.apk"
    cut.write_bytes(data[: len(data) // 2])
    out = tmp_path / "r.json"
    proc = mobsec("scan", str(cut), "-o", str(out))
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    validate_report(doc)
    assert any(d["level"] == "error" for d in doc["diagnostics"])


@pytest.fixture
def fixture_apk_or_corpus(corpus_apks: Path) -> Path:
    return corpus_apks / "vulnapps" / "InsecureBankv2.apk"


# ------------------------------------------------------------------ outputs, CI gate, baselines


@pytest.mark.toolchain
def test_outputs_by_extension_all_valid(fixture_apk, tmp_path: Path) -> None:
    apk = fixture_apk("manifest-rich")
    outs = [tmp_path / n for n in ("r.json", "r.sarif", "r.txt")]
    args = [a for o in outs for a in ("-o", str(o))]
    proc = mobsec("scan", str(apk), *args, "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    validate_report(json.loads(outs[0].read_text(encoding="utf-8")))
    sarif = json.loads(outs[1].read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    rule_ids = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert "android.manifest.debuggable" in rule_ids
    assert "Risk rating: High" in outs[2].read_text(encoding="utf-8")
    for o in outs:
        assert f"report: {o}" in proc.stderr


@pytest.mark.toolchain
def test_format_to_stdout(fixture_apk) -> None:
    apk = str(fixture_apk("manifest-rich"))
    proc = mobsec("scan", "-q", "--format", "json", apk)
    assert proc.returncode == 0 and proc.stderr == ""
    validate_report(json.loads(proc.stdout))
    proc = mobsec("scan", "-q", "--format", "sarif", apk)
    assert json.loads(proc.stdout)["version"] == "2.1.0"
    proc = mobsec("scan", "-q", "--format", "text", "--lang", "zh-CN", apk)
    assert "风险评级" in proc.stdout and "Risk rating" not in proc.stdout


def test_output_usage_errors(tmp_path: Path) -> None:
    apk = tmp_path / "x.apk"
    apk.write_bytes(b"PK")
    for args in (
        ["--format", "json", "--format", "sarif"],  # two outputs to stdout
        ["-o", str(tmp_path / "r.weird")],  # extension says nothing, no --format
        ["--format", "json", "--format", "sarif", "-o", str(tmp_path / "a"),
         "-o", str(tmp_path / "b"), "-o", str(tmp_path / "c")],
        ["--fail-on", "severe"],
    ):  # fmt: skip
        proc = mobsec("scan", str(apk), *args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "Traceback" not in proc.stderr


@pytest.mark.toolchain
def test_fail_on_baseline_and_suppressions(fixture_apk, tmp_path: Path) -> None:
    """The CI loop: fail on a high finding, accept it via baseline or suppression."""
    apk = str(fixture_apk("manifest-rich"))  # debuggable: a high finding
    out = tmp_path / "r.json"
    proc = mobsec("scan", apk, "-o", str(out), "--fail-on", "high")
    assert proc.returncode == 1, proc.stderr
    assert "exit 1" in proc.stderr and "退出码 1" in proc.stderr
    validate_report(json.loads(out.read_text(encoding="utf-8")))  # still written
    assert mobsec("scan", "-q", apk, "-o", str(out), "--fail-on", "critical").returncode == 0

    base = tmp_path / "baseline.json"
    proc = mobsec("baseline", apk, "-o", str(base))
    assert proc.returncode == 0, proc.stderr
    fps = {f["fingerprint"] for f in json.loads(base.read_text())["findings"]}
    proc = mobsec("scan", apk, "-o", str(out), "--fail-on", "low", "--baseline", str(base))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    validate_report(doc)
    assert {f["fingerprint"] for f in doc["findings"]} == fps
    assert {f["status"] for f in doc["findings"]} == {"unchanged"}
    # A baseline made from the report file gives the same fingerprints.
    base2 = tmp_path / "baseline2.json"
    assert mobsec("baseline", "-q", str(out), "-o", str(base2)).returncode == 0
    assert {f["fingerprint"] for f in json.loads(base2.read_text())["findings"]} == fps

    sup = tmp_path / "s.toml"
    sup.write_text('[[suppress]]\nrule = "android.*"\nreason = "debug build"\n')
    proc = mobsec("scan", apk, "-o", str(out), "--fail-on", "low", "--suppressions", str(sup))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    validate_report(doc)
    assert doc["triage"]["suppressed"] == len(doc["findings"]) >= 1
    sup.write_text(
        '[[suppress]]\nrule = "android.*"\nreason = "debug build"\nexpires = 2020-01-01\n'
    )
    proc = mobsec("scan", apk, "-o", str(out), "--fail-on", "low", "--suppressions", str(sup))
    assert proc.returncode == 1
    assert "expired" in proc.stderr.lower() and "2020-01-01" in proc.stderr


def test_bad_baseline_and_suppressions_are_usage_errors(tmp_path: Path) -> None:
    apk = tmp_path / "x.apk"
    apk.write_bytes(b"PK")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    for flag in ("--baseline", "--suppressions"):
        proc = mobsec("scan", str(apk), flag, str(bad))
        assert proc.returncode == 2
        assert "bad.json" in proc.stderr and "Traceback" not in proc.stderr
    report = tmp_path / "report.json"
    report.write_text('{"findings": "no"}')
    proc = mobsec("baseline", str(report), "-o", str(tmp_path / "b.json"))
    assert proc.returncode == 2 and "not a valid mobsec report" in proc.stderr


@pytest.mark.toolchain
def test_a_plain_apk_scan_imports_only_what_it_uses(fixture_apk, tmp_path: Path) -> None:
    """Start-up cost: rule packs (PyYAML, the rule evaluator), the batch runner
    (multiprocessing), rich, the JVM class-file and bundle readers, the advisory writers, TOML
    and the privacy-policy reader load only on the paths that need them."""
    apk, out = str(fixture_apk("java-basic")), str(tmp_path / "r.json")
    code = (
        "import sys\nfrom mobsec import cli\n"
        f"assert cli.main(['scan', '-q', {apk!r}, '-o', {out!r}]) == 0\n"
        "print('\\n'.join(sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    loaded = set(proc.stdout.split())
    assert "mobsec.checks.registry" in loaded and "mobsec.pipelines.android" in loaded
    unused = {
        "yaml",
        "re2",
        "mobsec.rules.loader",
        "mobsec.batch.run",
        "multiprocessing",
        "rich",
        "mobsec.ingest.jvm",
        "mobsec.ingest.bundle",
        "mobsec.advisories",
        "tomllib",
        "mobsec.facts.privacy.policy",
    }
    assert not loaded & unused
