"""Output paths an attacker (another local user, a hostile CI job) prepared in advance."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mobsec.cli import main
from tests.hostile.generators import deflated, manifest, write_zip


@pytest.fixture
def apk(tmp_path: Path) -> Path:
    return write_zip(tmp_path / "app.apk", [deflated(manifest(), "AndroidManifest.xml")])


def test_symlink_at_the_output_path_is_refused(tmp_path: Path, apk: Path, capsys) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "report.json"
    out.symlink_to(victim)
    assert main(["scan", str(apk), "-o", str(out), "--quiet"]) == 4
    assert victim.read_text() == "keep me" and out.is_symlink()
    assert "symbolic link" in capsys.readouterr().err


def test_symlink_at_the_old_temporary_name_is_not_followed(tmp_path: Path, apk: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "report.json"
    (tmp_path / "report.json.tmp").symlink_to(victim)
    assert main(["scan", str(apk), "-o", str(out), "--quiet"]) in (0, 3)
    assert victim.read_text() == "keep me"
    assert json.loads(out.read_text())["package"]["file_name"] == "app.apk"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".report.json.")]
    assert not leftovers


def test_existing_regular_output_is_replaced_not_appended(tmp_path: Path, apk: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("old" * 1000)
    assert main(["scan", str(apk), "-o", str(out), "--quiet"]) in (0, 3)
    assert out.read_text().lstrip().lower().startswith("<!doctype html")
    assert oct(os.stat(out).st_mode & 0o777) != "0o0"
