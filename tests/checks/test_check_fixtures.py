"""Every annotated check fixture: build it from source, scan it, compare with its marks.

Fixture apps live next to the checks' tests: tests/checks/<area>/<fixture-name>/ with an
AndroidManifest.xml (see tests/checks/harness.py for the marks). Fixtures are scanned with
``include_unreachable`` (their vulnerable code need not be called from an entry point),
except ``reachability-*`` fixtures, which test exactly that.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mobsec import ScanOptions, scan
from tests.checks.harness import compare, read_marks
from tests.fixtures.build import build_apks, missing_tools

CHECKS_DIR = Path(__file__).parent
FIXTURES = sorted(p.parent for p in CHECKS_DIR.glob("*/*/AndroidManifest.xml"))


def test_fixture_names_are_unique() -> None:
    names = [p.name for p in FIXTURES]
    assert len(names) == len(set(names)), "fixture folder names must be unique across areas"


@pytest.fixture(scope="module")
def built() -> dict[str, Path]:
    missing = sorted({t for d in FIXTURES for t in missing_tools(d)})
    if missing:
        pytest.skip("Android fixture toolchain missing: " + ", ".join(missing))
    return build_apks(FIXTURES)


@pytest.mark.toolchain
@pytest.mark.parametrize("app", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_matches_its_marks(app: Path, built: dict[str, Path]) -> None:
    marks = read_marks(app)
    assert not marks.empty, f"{app} has no ruleid/ok marks"
    # A fixture tests its checks wherever the code is: reachability from the app's entry
    # points has its own fixtures (reachability-*), scanned as a user would.
    options = ScanOptions(include_unreachable=not app.name.startswith("reachability-"))
    report = scan(built[app.name], options).to_json()
    internal = [d for d in report["diagnostics"] if d["code"].startswith("internal.")]
    assert not internal, internal
    # Protections (root detection, obfuscation, pinning...) are check results in their own
    # section of the report.
    problems = compare(marks, report["findings"] + report["protections"])
    assert not problems, "\n".join(problems)
