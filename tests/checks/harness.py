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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

MARK = re.compile(r"(?:(?://|#|<!--)\s*)(ruleid|ok)\s*:\s*([a-z0-9_.,\s-]+?)\s*(?:-->)?\s*$")
COMMENT_ONLY = re.compile(r"^\s*(//|#|<!--|\*|/\*)")
SOURCE_SUFFIXES = {".java", ".smali", ".xml"}


@dataclass
class Marks:
    expected: set[tuple[str, str, int]] = field(default_factory=set)  # (check, file, line)
    forbidden: set[tuple[str, str, int]] = field(default_factory=set)
    checks: set[str] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return not self.expected and not self.forbidden


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
    return marks


def _add(marks: Marks, kind: str, ids: list[str], file: str, line: int) -> None:
    for check_id in ids:
        marks.checks.add(check_id)
        (marks.expected if kind == "ruleid" else marks.forbidden).add((check_id, file, line))


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
    for f in relevant:
        place = finding_place(f)
        if place is None:
            problems.append(
                f"{f['check_id']}: finding without a line, cannot be matched: {f['location']}"
            )
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
    return problems
