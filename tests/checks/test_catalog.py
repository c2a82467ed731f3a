"""The check catalog itself: complete metadata, and a fixture where each check fires and one
where it must not (DESIGN: every check has a fixture and a near twin)."""

from __future__ import annotations

from mobsec.checks.registry import load_all
from tests.checks.harness import read_marks
from tests.checks.test_check_fixtures import FIXTURES


def test_every_check_has_complete_metadata() -> None:
    checks = load_all()
    assert checks, "no checks registered"
    problems = {cid: c.meta.problems() for cid, c in checks.items()}
    assert not {k: v for k, v in problems.items() if v}


def test_every_check_has_a_firing_and_a_quiet_fixture() -> None:
    fires: set[str] = set()
    quiet: set[str] = set()
    for app in FIXTURES:
        marks = read_marks(app)
        fires |= marks.firing
        quiet |= marks.quiet
    checks = set(load_all())
    assert not checks - fires, f"checks without a ruleid mark: {sorted(checks - fires)}"
    assert not checks - quiet, f"checks without an ok mark: {sorted(checks - quiet)}"
    unknown = (fires | quiet) - checks
    assert not unknown, f"marks name checks that do not exist: {sorted(unknown)}"
