"""The annotated-fixture harness itself, on small synthetic findings (no app is built).

The harness decides whether every check's fixture passes, so its matching rules are tested
directly: source-line marks, expect.txt marks for line-less findings, and strictness.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.checks.harness import (
    ExpectFileError,
    FileMark,
    Marks,
    compare,
    read_expect_text,
    read_marks,
)

SIGN = "android.signing.debug-certificate"
UNSIGNED = "android.signing.unsigned"
SECRET = "android.secrets.hardcoded-secret"


def _finding(check: str, file: str | None, line: int | None = None, **extra: str) -> dict:
    return {
        "check_id": check,
        "location": {"file": file, "line": line, "source_file": extra.get("source_file")},
        "message": {"en": extra.get("message", ""), "zh": ""},
        "evidence": extra.get("evidence", ""),
    }


def _marks(text: str) -> Marks:
    marks = Marks()
    read_expect_text(text, marks)
    return marks


def test_expect_lines_are_parsed() -> None:
    marks = _marks(
        "# signing\n"
        f"ruleid: {SIGN}, android.signing.weak-key @ META-INF/CERT.RSA\n"
        f"ruleid: {UNSIGNED} @ -\n"
        f'ok: {UNSIGNED} @ ""\n'
        f"ok: {SIGN} @ APK Signing Block\n"
        f"ruleid: {SECRET} @ resources.arsc ~ @string/stripe_key\n"
        "\n"
    )
    assert marks.file_expected == {
        FileMark(SIGN, "META-INF/CERT.RSA"),
        FileMark("android.signing.weak-key", "META-INF/CERT.RSA"),
        FileMark(UNSIGNED, ""),
        FileMark(SECRET, "resources.arsc", "@string/stripe_key"),
    }
    assert marks.file_forbidden == {FileMark(UNSIGNED, ""), FileMark(SIGN, "APK Signing Block")}
    assert marks.firing == {SIGN, "android.signing.weak-key", UNSIGNED, SECRET}
    assert marks.quiet == {UNSIGNED, SIGN}
    assert not marks.empty


@pytest.mark.parametrize(
    "line",
    [
        f"ruleid {SIGN} @ META-INF/CERT.RSA",  # no colon
        f"ruleid: {SIGN}",  # no file
        f"ruleid: {SIGN} @ ",  # empty file
        f"expect: {SIGN} @ -",  # unknown kind
        "ruleid: notacheck @ -",  # not a dotted id
    ],
)
def test_malformed_expect_lines_fail_loudly(line: str) -> None:
    with pytest.raises(ExpectFileError):
        _marks(line)


def test_lineless_findings_match_by_check_and_file() -> None:
    marks = _marks(f"ruleid: {SIGN} @ META-INF/CERT.RSA\nruleid: {UNSIGNED} @ -\n")
    findings = [_finding(SIGN, "META-INF/CERT.RSA"), _finding(UNSIGNED, "")]
    assert compare(marks, findings) == []
    # the package as a whole may also come as a null file
    assert compare(marks, [_finding(SIGN, "META-INF/CERT.RSA"), _finding(UNSIGNED, None)]) == []


def test_missed_and_misplaced_lineless_findings() -> None:
    marks = _marks(f"ruleid: {SIGN} @ META-INF/CERT.RSA\n")
    problems = compare(marks, [_finding(SIGN, "APK Signing Block")])
    assert problems == [
        f"missed (expect.txt): {SIGN} @ META-INF/CERT.RSA",
        f"unexplained finding without a line: {SIGN} @ APK Signing Block: ",
    ]


def test_ok_mark_catches_a_lineless_false_positive() -> None:
    marks = _marks(f"ok: {UNSIGNED} @ -\n")
    assert compare(marks, []) == []
    problems = compare(marks, [_finding(UNSIGNED, "", message="no signature")])
    assert problems == [
        f"false positive at an ok mark (expect.txt): {UNSIGNED} @ (package): "
        f"{UNSIGNED} @ (package): no signature"
    ]


def test_text_tells_twins_in_one_file_apart() -> None:
    marks = _marks(
        f"ruleid: {SECRET} @ resources.arsc ~ @string/stripe_key\n"
        f"ok: {SECRET} @ resources.arsc ~ @string/channel\n"
    )
    hit = _finding(SECRET, "resources.arsc", evidence="@string/stripe_key = sk_live_4e...")
    twin = _finding(SECRET, "resources.arsc", evidence="@string/channel = googleplay")
    assert compare(marks, [hit]) == []
    assert len(compare(marks, [hit, twin])) == 1
    assert "ok mark" in compare(marks, [hit, twin])[0]
    # the text may also come from the English message
    by_message = _finding(SECRET, "resources.arsc", message="key @string/stripe_key leaked")
    assert compare(marks, [by_message]) == []


def test_lineless_findings_of_unmarked_checks_are_ignored() -> None:
    marks = _marks(f"ruleid: {SIGN} @ META-INF/CERT.RSA\n")
    other = _finding("android.native.no-nx", "lib/x86_64/libfoo.so")
    assert compare(marks, [_finding(SIGN, "META-INF/CERT.RSA"), other]) == []


def test_line_marks_and_lineless_findings_together(tmp_path: Path) -> None:
    """A check marked only in sources still fails on a line-less finding (strictness)."""
    src = tmp_path / "java" / "Main.java"
    src.parent.mkdir(parents=True)
    src.write_text(f'class Main {{\n    // ruleid: {SECRET}\n    String k = "x";\n}}\n')
    marks = read_marks(tmp_path)
    assert marks.expected == {(SECRET, "Main.java", 3)}
    code_hit = _finding(SECRET, "classes.dex", 3, source_file="Main.java")
    assert compare(marks, [code_hit]) == []
    stray = _finding(SECRET, "resources.arsc", evidence="@string/k = x")
    assert compare(marks, [code_hit, stray]) == [
        f"unexplained finding without a line: {SECRET} @ resources.arsc: "
    ]
    (tmp_path / "expect.txt").write_text(f"ruleid: {SECRET} @ resources.arsc ~ @string/k\n")
    assert compare(read_marks(tmp_path), [code_hit, stray]) == []


@settings(max_examples=300, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from("ruleidok:@~- .,#\"'\nabcxyz/_0123456789\t"), max_size=200))
def test_expect_reader_fuzz(text: str) -> None:
    """Any text either reads into marks or fails with ExpectFileError, never anything else."""
    marks = Marks()
    try:
        read_expect_text(text, marks)
    except ExpectFileError:
        return
    for m in marks.file_expected | marks.file_forbidden:
        assert m.check and "@" not in m.check
