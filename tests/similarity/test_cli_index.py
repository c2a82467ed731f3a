"""``mobsec similar`` / ``mobsec monitor`` and the registry index."""

from __future__ import annotations

import json
import random
import shutil
import time
from pathlib import Path

import pytest

from mobsec.cli import main
from mobsec.similarity import AppFingerprint, RegistryIndex, fingerprint
from mobsec.similarity.codeprints import CodePrints
from mobsec.similarity.model import Label

V = "vulnapps"


def test_similar_prints_signals_and_writes_a_takedown(corpus_apks: Path, tmp_path: Path, capsys):
    a, b = corpus_apks / V / "diva_quark-samples.apk", corpus_apks / V / "diva-beta.apk"
    report = tmp_path / "t.html"
    assert main(["similar", str(a), str(b), "--takedown", str(report), "--channel", "X"]) == 0
    out = capsys.readouterr().out
    assert "counterfeit" in out and "* name" in out and "certificate" in out
    assert "侵权应用下架申请" in report.read_text(encoding="utf-8")
    assert main(["similar", str(a), str(b), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["verdict"] == "counterfeit" and len(doc["signals"]) == 8


def test_similar_on_a_non_package_is_a_usage_error(tmp_path: Path, capsys):
    junk = tmp_path / "junk.apk"
    junk.write_bytes(b"PK\x03\x04 not really")
    assert main(["similar", str(junk), str(junk)]) == 2
    assert "junk.apk" in capsys.readouterr().err


def test_monitor_against_a_registry_folder(corpus_apks: Path, tmp_path: Path, capsys):
    registry = tmp_path / "registry"
    registry.mkdir()
    for name in ("diva-beta.apk", "InsecureBankv2.apk"):
        shutil.copy(corpus_apks / V / name, registry / name)
    (registry / "broken.apk").write_bytes(b"nope")
    candidates = [corpus_apks / V / n for n in ("diva_quark-samples.apk", "InsecureBankv2.apk")]
    candidates.append(corpus_apks / V / "ovaa.apk")
    args = ["monitor", "--registry", str(registry), "--save-fingerprints", "--format", "json"]
    assert main([*args, "--fail-on-copy", *map(str, candidates)]) == 1
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["verdict"] for r in rows] == ["counterfeit", "genuine", "unrelated"]
    assert "broken.apk" in captured.err
    assert (registry / "diva-beta.apk.fingerprint.json").is_file()
    # the second run reads the saved fingerprints
    assert main(["monitor", "--registry", str(registry), str(candidates[2])]) == 0
    assert "unrelated" in capsys.readouterr().out


def _synthetic(i: int, rng: random.Random) -> AppFingerprint:
    return AppFingerprint(
        file_name=f"s{i}.apk",
        sha256=f"{i:064x}",
        size=0,
        package=f"com.synthetic.app{i}",
        labels=[Label(f"Synthetic {rng.getrandbits(40):x}")],
        certificates=[f"{rng.getrandbits(256):064x}"],
        code=CodePrints(app={"La;": [f"{rng.getrandbits(64):016x}" for _ in range(50)]}),
    )


@pytest.fixture(scope="module")
def corpus_fps(corpus_apks: Path):
    names = ("diva-beta.apk", "InsecureBankv2.apk", "AndroGoat.apk", "ovaa.apk")
    return {n: fingerprint(corpus_apks / V / n) for n in names}


def test_index_finds_copies_among_many_and_not_strangers(corpus_fps):
    rng = random.Random(1)
    index = RegistryIndex()
    for i in range(5000):
        index.add(f"s{i}", _synthetic(i, rng))
    for name, fp in corpus_fps.items():
        if name != "ovaa.apk":
            index.add(name, fp)
    started = time.perf_counter()
    hits = index.query(corpus_fps["InsecureBankv2.apk"], k=3)
    assert time.perf_counter() - started < 1.0
    assert hits[0].key == "InsecureBankv2.apk"
    assert {"package", "certificate", "name", "icon", "code"} <= set(hits[0].reasons)
    # renamed package, same code: found by the code bands alone
    doc = corpus_fps["InsecureBankv2.apk"].to_json()
    doc.update(package="com.fake.bank", labels=[{"text": "Totally Different"}], icon=None)
    doc["certificates"] = ["00" * 32]
    hits = index.query(AppFingerprint.from_json(doc), k=3)
    assert hits and hits[0].key == "InsecureBankv2.apk" and set(hits[0].reasons) == {"code"}
    # a look-alike name only
    doc = corpus_fps["ovaa.apk"].to_json()
    doc["labels"] = [{"text": "InsecureBankv3"}]
    hits = index.query(AppFingerprint.from_json(doc), k=3)
    assert hits[0].key == "InsecureBankv2.apk" and "name" in hits[0].reasons
    # an app that is none of them: no hit (ovaa's template icon is not indexed either)
    assert index.query(corpus_fps["ovaa.apk"], k=3) == []
