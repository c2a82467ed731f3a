"""``mobsec rules test``: the example pack's fixtures pass; a wrong expectation, a missing
package and an untested rule fail the run."""

from __future__ import annotations

from mobsec.cli import main


def test_the_example_pack_passes(example_pack, capsys):
    assert main(["rules", "test", str(example_pack)]) == 0
    out = capsys.readouterr().out
    assert "6 passed, 0 failed" in out
    assert "ok   build/twin.apk: android.emergency.c2-host silent" in out


def test_failures_are_reported(example_pack, capsys):
    tests = example_pack / "tests.yaml"
    text = tests.read_text()
    # expect a rule to fire on the twin instead of staying silent
    tests.write_text(
        text.replace("- ok: android.emergency.c2-host", "- ruleid: android.emergency.c2-host")
    )
    assert main(["rules", "test", str(example_pack)]) == 1
    out = capsys.readouterr().out
    assert "FAIL build/twin.apk: android.emergency.c2-host should fire and did not" in out
    assert "android.emergency.c2-host: untested, no near twin" in out
    (example_pack / "build" / "twin.apk").unlink()
    tests.write_text(text)
    assert main(["rules", "test", str(example_pack)]) == 1
    assert "package missing (build it from fixtures/twin)" in capsys.readouterr().out


def test_a_bad_tests_file_names_its_line(example_pack, capsys):
    tests = example_pack / "tests.yaml"
    tests.write_text(
        tests.read_text().replace("- ok: android.emergency.c2-host", "- ok: android.emergency.nope")
    )
    assert main(["rules", "test", str(example_pack)]) == 2
    err = capsys.readouterr().err
    assert "tests.yaml:16" in err and "not a rule of this pack" in err
