"""The check catalog itself: complete metadata, and a fixture where each check fires and one
where it must not (DESIGN: every check has a fixture and a near twin)."""

from __future__ import annotations

from mobsec.checks.registry import PLATFORMS, load_all
from tests.checks.harness import read_marks
from tests.checks.test_check_fixtures import FIXTURES


def test_every_check_has_complete_metadata() -> None:
    checks = load_all()
    assert checks, "no checks registered"
    problems = {cid: c.meta.problems() for cid, c in checks.items()}
    assert not {k: v for k, v in problems.items() if v}


def test_every_android_check_has_a_firing_and_a_quiet_fixture() -> None:
    # Android checks are proven on the annotated fixture apps; the checks of other platforms
    # have their firing/quiet fixtures in their own tests (tests/checks/<platform>/).
    fires: set[str] = set()
    quiet: set[str] = set()
    for app in FIXTURES:
        marks = read_marks(app)
        fires |= marks.firing
        quiet |= marks.quiet
    checks = set(load_all("android"))
    assert not checks - fires, f"checks without a ruleid mark: {sorted(checks - fires)}"
    assert not checks - quiet, f"checks without an ok mark: {sorted(checks - quiet)}"
    unknown = (fires | quiet) - checks
    assert not unknown, f"marks name checks that do not exist: {sorted(unknown)}"


def test_checks_run_only_on_their_platform() -> None:
    every = load_all()
    by_platform = {p: load_all(p) for p in PLATFORMS}
    assert sum(len(v) for v in by_platform.values()) == len(every)
    for platform, checks in by_platform.items():
        assert all(
            c.meta.platform == platform and cid.startswith(platform + ".")
            for cid, c in checks.items()
        )
