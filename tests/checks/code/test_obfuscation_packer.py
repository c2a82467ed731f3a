"""Obfuscation census and packer catalog beyond the fixtures: the name rules, the catalog's
consistency, and the labelled corpus (dvba and UnCrackable-Level4 ship obfuscated code)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from mobsec import ScanOptions, scan
from mobsec.checks.code.obfuscation import census, is_short_name, outer_simple_name
from mobsec.checks.code.packer import class_matches, load_catalog


@pytest.mark.parametrize(
    ("desc", "short"),
    [
        ("Lcom/example/a;", True),
        ("La/b/c;", True),
        ("Lcom/example/b0$a;", True),
        ("Lcom/example/R;", False),  # generated
        ("Lcom/example/R$id;", False),
        ("Lcom/example/BR;", False),
        ("Lcom/example/Login;", False),
        ("Lcom/example/Login$a;", False),  # an inner class follows its outer class
        ("not-a-descriptor", False),
        ("L;", False),
    ],
)
def test_short_names(desc: str, short: bool) -> None:
    assert is_short_name(desc) is short


def test_outer_simple_name() -> None:
    assert outer_simple_name("Lcom/x/Outer$Inner$1;") == "Outer"
    assert outer_simple_name("LTop;") == "Top"


def test_census_counts_only_own_classes() -> None:
    kinds = {"Lcom/app/a;": "app", "Lcom/app/Main;": "app", "La/b/c;": "unknown"}
    kinds |= {"Lokhttp3/a;": "sdk", "Landroidx/b;": "sdk", "Lcom/app/R;": "app"}
    c = census(kinds, kinds.__getitem__)
    assert (c.own, c.short) == (3, 2)
    assert c.obfuscated and c.short_examples == ["a.b.c", "com.app.a"]
    assert c.readable_examples == ["com.app.Main"]
    assert not census([], kinds.__getitem__).obfuscated


def test_packer_catalog_is_consistent() -> None:
    raw = json.loads(
        resources.files("mobsec.checks.code").joinpath("packers.json").read_text("utf-8")
    )
    ids = [p["id"] for p in raw["packers"]]
    assert len(ids) == len(set(ids))
    for p in raw["packers"]:
        assert p["vendor"]["en"] and p["vendor"]["zh-CN"], p["id"]
        assert p["classes"] or p["packages"] or p["files"], p["id"]
    packers = {p.id: p for p in load_catalog()}
    assert class_matches(packers["bangcle"], "com.secneo.apkwrapper.ApplicationWrapper")
    assert not class_matches(packers["bangcle"], "com.secneo.apkwrapperx.Foo")  # by segment
    assert packers["tencent-legu"].files.fullmatch("libshella-2.10.so")
    assert not packers["qihoo-jiagu"].files.fullmatch("libjiagutest.so.txt")


def _obfuscation(apk: Path) -> dict:
    report = scan(apk, ScanOptions()).to_json()
    protections = report["protections"]  # obfuscation and packers are protections
    (f,) = [f for f in protections if f["check_id"] == "android.code.obfuscation"]
    assert f["kind"] == "obfuscation"
    assert not [f for f in protections if f["check_id"] == "android.code.packer"]
    assert not [f for f in report["findings"] if f["check_id"].startswith("android.code.obf")]
    return f


@pytest.mark.parametrize(
    ("name", "obfuscated"),
    [
        ("dvba.apk", True),  # GROUND_TRUTH: "Obfuscate the entire code (protection present)"
        ("UnCrackable-Level4_r2pay-v0.9.apk", True),  # GROUND_TRUTH: obfuscation
        ("InsecureBankv2.apk", False),
        ("AndroGoat.apk", False),
        ("pivaa.apk", False),
    ],
)
def test_corpus_obfuscation_labels(corpus_dir: Path, name: str, obfuscated: bool) -> None:
    apk = corpus_dir / "apks" / "vulnapps" / name
    if not apk.exists():
        pytest.skip(f"{name} not in the corpus")
    f = _obfuscation(apk)
    assert f["message"]["en"].startswith("obfuscated: yes" if obfuscated else "obfuscated: no")
