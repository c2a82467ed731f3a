"""Annotated fixtures for checks, in the manner of semgrep-rules.

A check's fixture is an app folder (built by tests/fixtures/build.py) whose sources carry
marks in comments:

    // ruleid: android.crypto.ecb-mode      the next code line must get this finding
    // ok: android.crypto.ecb-mode          the next code line must not get it

(``#`` in smali, ``<!-- ruleid: ... -->`` in XML; a mark at the end of a code line applies to
that line.) The harness builds the app, scans it, and compares: every ``ruleid`` line has
the finding, no ``ok`` line has it, and the checks named in the fixture report nothing
anywhere else in the app's own code (a finding no mark explains is a false positive).
Code findings are placed by source file name and line (DEX debug info); manifest and
resource findings by file name and line in the XML.

Findings without a line (the signature, a native library nothing loads, a secret in
``resources.arsc`` or in a library's strings) have no source line to mark. They are marked
in an ``expect.txt`` file in the fixture folder, one mark per line, ``#`` starts a comment:

    ruleid: android.signing.debug-certificate @ META-INF/CERT.RSA
    ruleid: android.signing.unsigned @ -
    ok: android.native.no-nx @ lib/x86_64/libhardened.so
    ruleid: android.secrets.hardcoded-secret @ resources.arsc ~ @string/stripe_key
    ok: android.secrets.hardcoded-secret @ resources.arsc ~ @string/channel

The file is the finding's ``location.file``, the full path inside the package (``-`` or
``""`` for the package as a whole; ``APK Signing Block`` for v2/v3 signatures). An optional
``~ text`` narrows the mark to findings whose message (English) or evidence contains the
text, so two findings of one check in one file (a secret and its near twin in
``resources.arsc``) can be told apart. Several check ids may be listed, comma-separated.
Line-less findings are held to the same strictness as the others: every ``ruleid`` mark
must match a finding, no ``ok`` mark may match one, and a line-less finding of a check the
fixture names that no ``ruleid`` mark matches is reported as unexplained. A malformed
``expect.txt`` line fails loudly (:class:`ExpectFileError`), it is never skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

MARK = re.compile(r"(?:(?://|#|<!--)\s*)(ruleid|ok)\s*:\s*([a-z0-9_.,\s-]+?)\s*(?:-->)?\s*$")
COMMENT_ONLY = re.compile(r"^\s*(//|#|<!--|\*|/\*)")
SOURCE_SUFFIXES = {".java", ".smali", ".xml"}
EXPECT_FILE = "expect.txt"
EXPECT_LINE = re.compile(
    r"^(?P<kind>ruleid|ok)\s*:\s*(?P<ids>[a-z0-9_.,\s-]+?)\s*@\s*(?P<file>.*?)"
    r"(?:\s+~\s+(?P<text>.+?))?\s*$"
)
CHECK_ID = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)+$")
PACKAGE = ("-", '""', "''")


class ExpectFileError(ValueError):
    """An ``expect.txt`` line the harness cannot read: a typo must not silently pass."""


@dataclass(frozen=True, order=True)
class FileMark:
    """A mark for a line-less finding: check, file in the package ("" = package), text."""

    check: str
    file: str
    text: str = ""

    def matches(self, finding: dict) -> bool:
        if finding["check_id"] != self.check or finding_file(finding) != self.file:
            return False
        if not self.text:
            return True
        message = finding.get("message") or {}
        return self.text in (message.get("en") or "") or self.text in (
            finding.get("evidence") or ""
        )

    def __str__(self) -> str:
        where = self.file or "(package)"
        return f"{self.check} @ {where}" + (f" ~ {self.text}" if self.text else "")


@dataclass
class Marks:
    expected: set[tuple[str, str, int]] = field(default_factory=set)  # (check, file, line)
    forbidden: set[tuple[str, str, int]] = field(default_factory=set)
    checks: set[str] = field(default_factory=set)
    file_expected: set[FileMark] = field(default_factory=set)  # from expect.txt
    file_forbidden: set[FileMark] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return not (self.expected or self.forbidden or self.file_expected or self.file_forbidden)

    @property
    def firing(self) -> set[str]:
        """Checks with at least one ``ruleid`` mark (in sources or expect.txt)."""
        return {c for c, _, _ in self.expected} | {m.check for m in self.file_expected}

    @property
    def quiet(self) -> set[str]:
        """Checks with at least one ``ok`` mark (in sources or expect.txt)."""
        return {c for c, _, _ in self.forbidden} | {m.check for m in self.file_forbidden}


def read_marks(app_dir: Path) -> Marks:
    marks = Marks()
    for path in sorted(app_dir.rglob("*")):
        if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        pending: list[tuple[str, list[str]]] = []
        for number, text in enumerate(lines, start=1):
            m = MARK.search(text)
            if m:
                kind, ids = m.group(1), [i.strip() for i in m.group(2).split(",") if i.strip()]
                if COMMENT_ONLY.match(text):
                    pending.append((kind, ids))
                    continue
                _add(marks, kind, ids, path.name, number)
                continue
            if not text.strip() or COMMENT_ONLY.match(text):
                continue
            for kind, ids in pending:
                _add(marks, kind, ids, path.name, number)
            pending = []
    expect = app_dir / EXPECT_FILE
    if expect.is_file():
        read_expect_text(expect.read_text(encoding="utf-8"), marks, source=str(expect))
    return marks


def read_expect_text(text: str, marks: Marks, source: str = EXPECT_FILE) -> None:
    """Add the marks of an ``expect.txt`` text to ``marks`` (see the module docstring)."""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = EXPECT_LINE.match(line)
        if m is None:
            raise ExpectFileError(
                f"{source}:{number}: expected 'ruleid|ok: <check-id> @ <file> [~ text]': {raw!r}"
            )
        ids = [i.strip() for i in m.group("ids").split(",") if i.strip()]
        bad = [i for i in ids if not CHECK_ID.match(i)]
        if not ids or bad:
            raise ExpectFileError(f"{source}:{number}: not a check id: {bad or raw!r}")
        file = m.group("file").strip()
        if not file:
            raise ExpectFileError(f"{source}:{number}: no file after '@' (use - for the package)")
        file = "" if file in PACKAGE else file
        target = marks.file_expected if m.group("kind") == "ruleid" else marks.file_forbidden
        for check_id in ids:
            marks.checks.add(check_id)
            target.add(FileMark(check_id, file, (m.group("text") or "").strip()))


def _add(marks: Marks, kind: str, ids: list[str], file: str, line: int) -> None:
    for check_id in ids:
        marks.checks.add(check_id)
        (marks.expected if kind == "ruleid" else marks.forbidden).add((check_id, file, line))


def finding_file(finding: dict) -> str:
    """The package path a finding names ("" for the package as a whole)."""
    return finding["location"].get("file") or ""


def finding_place(finding: dict) -> tuple[str, str, int] | None:
    """(check, file name, line) where a finding points, as a mark would name it."""
    loc = finding["location"]
    line = loc.get("line")
    if line is None:
        return None
    if loc.get("source_file"):
        return finding["check_id"], loc["source_file"], line
    return finding["check_id"], Path(loc["file"]).name, line


def compare(marks: Marks, findings: list[dict]) -> list[str]:
    """Human-readable problems; empty when the scan agrees with the marks."""
    problems = []
    relevant = [f for f in findings if f["check_id"] in marks.checks]
    places = {}
    lineless = []
    for f in relevant:
        place = finding_place(f)
        if place is None:
            lineless.append(f)
            continue
        places[place] = f
    for want in sorted(marks.expected):
        if want not in places:
            problems.append(f"missed: {want[0]} at {want[1]}:{want[2]}")
    for bad in sorted(marks.forbidden):
        if bad in places:
            problems.append(f"false positive at an ok mark: {bad[0]} at {bad[1]}:{bad[2]}")
    for place in sorted(places):
        if place not in marks.expected and place not in marks.forbidden:
            problems.append(f"unexplained finding: {place[0]} at {place[1]}:{place[2]}")
    problems += _compare_lineless(marks, lineless)
    return problems


def _compare_lineless(marks: Marks, findings: list[dict]) -> list[str]:
    """Line-less findings against the expect.txt marks (an ok mark wins over a ruleid)."""
    problems = []
    for want in sorted(marks.file_expected):
        if not any(want.matches(f) for f in findings):
            problems.append(f"missed (expect.txt): {want}")
    for bad in sorted(marks.file_forbidden):
        for f in findings:
            if bad.matches(f):
                problems.append(f"false positive at an ok mark (expect.txt): {bad}: {_describe(f)}")
    for f in findings:
        explained = any(m.matches(f) for m in marks.file_expected)
        forbidden = any(m.matches(f) for m in marks.file_forbidden)
        if not explained and not forbidden:
            problems.append(f"unexplained finding without a line: {_describe(f)}")
    return problems


def _describe(finding: dict) -> str:
    where = finding_file(finding) or "(package)"
    message = (finding.get("message") or {}).get("en", "")
    return f"{finding['check_id']} @ {where}: {message}"
