"""Signed packs: the CLI signs and verifies; a tampered, re-signed-by-another-key or unsigned
pack is refused by ``mobsec scan --rules`` (unsigned only runs with --allow-unsigned)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mobsec.cli import main

from .conftest import EXAMPLE_PACK


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    key, pub = tmp_path / "publisher.key", tmp_path / "publisher.pub"
    assert main(["rules", "keygen", "--key", str(key), "--pubkey", str(pub)]) == 0
    return key, pub


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "pack"
    shutil.copytree(EXAMPLE_PACK, root, ignore=shutil.ignore_patterns("build"))
    return root


def test_sign_then_verify(pack, keys, capsys):
    key, pub = keys
    assert main(["rules", "sign", str(pack), "--key", str(key)]) == 0
    sig = json.loads((pack / "pack.sig").read_text())
    assert sig["pack"] == "mobsec.examples.emergency" and "rules/emergency.yaml" in sig["files"]
    assert main(["rules", "verify", str(pack), "--pubkey", str(pub)]) == 0
    assert "signature OK" in capsys.readouterr().out


@pytest.mark.parametrize(
    "tamper",
    [
        lambda p: (p / "rules" / "emergency.yaml").write_text(
            (p / "rules" / "emergency.yaml")
            .read_text()
            .replace("severity: high", "severity: info", 1)
        ),
        lambda p: (p / "rules" / "extra.yaml").write_text("rules: []\n"),
        lambda p: (p / "tests.yaml").unlink(),
    ],
    ids=["changed", "added", "removed"],
)
def test_a_tampered_pack_is_refused(pack, keys, tamper, capsys):
    key, pub = keys
    assert main(["rules", "sign", str(pack), "--key", str(key)]) == 0
    tamper(pack)
    assert main(["rules", "verify", str(pack), "--pubkey", str(pub)]) == 2
    assert "modified after signing" in capsys.readouterr().err


def test_another_key_is_refused(pack, keys, tmp_path, capsys):
    key, _ = keys
    other_key, other_pub = tmp_path / "o.key", tmp_path / "o.pub"
    main(["rules", "keygen", "--key", str(other_key), "--pubkey", str(other_pub)])
    assert main(["rules", "sign", str(pack), "--key", str(key)]) == 0
    capsys.readouterr()
    assert main(["rules", "verify", str(pack), "--pubkey", str(other_pub)]) == 2
    assert "does not verify" in capsys.readouterr().err
    # a forged signature file (valid JSON, wrong bytes)
    sig = json.loads((pack / "pack.sig").read_text())
    sig["signature"] = "AAAA" + sig["signature"][4:]
    (pack / "pack.sig").write_text(json.dumps(sig))
    assert main(["rules", "verify", str(pack), "--pubkey", str(keys[1])]) == 2


def test_scan_refuses_unsigned_and_tampered_packs(pack, keys, emergency_apks, tmp_path, capsys):
    key, pub = keys
    apk = str(emergency_apks["fires"])
    out = tmp_path / "r.json"
    base = ["scan", apk, "-q", "-o", str(out), "--rules", str(pack)]
    assert main(base) == 2
    assert "not signed" in capsys.readouterr().err and not out.exists()
    assert main([*base, "--allow-unsigned"]) == 0
    ids = {f["check_id"] for f in json.loads(out.read_text())["findings"]}
    assert "android.emergency.root-shell-exec" in ids
    out.unlink()
    main(["rules", "sign", str(pack), "--key", str(key)])
    assert main([*base, "--rules-pubkey", str(pub)]) == 0
    out.unlink()
    assert main(base) == 2  # signed, but no key to verify it with
    assert "no public key" in capsys.readouterr().err
    (pack / "rules" / "emergency.yaml").write_text(
        (pack / "rules" / "emergency.yaml").read_text().replace("evil", "good")
    )
    # a tampered signed pack is refused even with --allow-unsigned
    assert main([*base, "--rules-pubkey", str(pub), "--allow-unsigned"]) == 2
    assert "modified after signing" in capsys.readouterr().err and not out.exists()


def test_bad_key_files(pack, tmp_path, capsys):
    bad = tmp_path / "bad.key"
    bad.write_text("not a key")
    assert main(["rules", "sign", str(pack), "--key", str(bad)]) == 2
    assert "PEM" in capsys.readouterr().err


def test_scan_names_the_line_of_a_broken_rule_before_scanning(
    pack, emergency_apks, tmp_path, capsys
):
    rules = pack / "rules" / "emergency.yaml"
    rules.write_text(rules.read_text().replace("host: ", "hots: "))
    out = tmp_path / "r.json"
    argv = ["scan", str(emergency_apks["twin"]), "-q", "-o", str(out), "--rules", str(pack)]
    assert main([*argv, "--allow-unsigned"]) == 2
    err = capsys.readouterr().err
    assert f"{rules}:62: unknown condition 'hots'" in err and "未知条件" in err
    assert not out.exists()


def test_two_packs_with_the_same_rule_ids_are_refused(pack, tmp_path, capsys):
    import shutil

    other = tmp_path / "other"
    shutil.copytree(pack, other)
    apk = tmp_path / "missing.apk"  # the packs are refused before the package is looked at
    argv = ["scan", str(apk), "-q", "--allow-unsigned", "--rules", str(pack), "--rules", str(other)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "rule ids in more than one pack" in err and "android.emergency.c2-host" in err
