"""The example pack's fixture apps, built from their sources (rules/examples/emergency)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.fixtures.build import FixtureBuildError, ToolchainMissing, build_apk, missing_tools
from tests.fixtures.plugin import _skip_or_fail

EXAMPLE_PACK = ROOT / "rules" / "examples" / "emergency"
CONSTRUCTS_PACK = Path(__file__).resolve().parent / "constructs"


@pytest.fixture(scope="session")
def emergency_apks() -> dict[str, Path]:
    """{"fires": apk, "twin": apk}: the near twins every construct is tested on."""
    out = {}
    for name in ("fires", "twin"):
        src = EXAMPLE_PACK / "fixtures" / name
        missing = missing_tools(src)
        if missing:
            _skip_or_fail("Android fixture toolchain missing: " + ", ".join(missing))
        try:
            out[name] = build_apk(src)
        except ToolchainMissing as exc:
            _skip_or_fail(str(exc))
        except FixtureBuildError as exc:
            pytest.fail(f"fixture {name!r} failed to build:\n{exc}", pytrace=False)
    return out


@pytest.fixture
def example_pack(tmp_path: Path, emergency_apks: dict[str, Path]) -> Path:
    """A copy of the example pack with its fixture packages built, as its author has it."""
    root = tmp_path / "emergency"
    shutil.copytree(EXAMPLE_PACK, root, ignore=shutil.ignore_patterns("build"))
    (root / "build").mkdir()
    for name, apk in emergency_apks.items():
        shutil.copy(apk, root / "build" / f"{name}.apk")
    return root
