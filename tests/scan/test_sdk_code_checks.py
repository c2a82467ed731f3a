"""The code checks on an SDK's class files (issue 12 point 2): javac-built JARs where each
enabled check family fires, and near twins where it must not; every finding located in
the class file at its JVM bytecode offset and source line, checked against ``javap -c -l``
(the JDK's disassembler), with the JVM instructions around it as evidence."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import mobsec
from tests.fixtures.sdkbuild import SDKS, build_aar, build_jar
from tests.scan.test_scan_harmony_wx import _valid

pytestmark = pytest.mark.skipif(shutil.which("javap") is None, reason="JDK not installed")

# check id -> (class, method name) where the unsafe fixture must make it fire
EXPECTED = {
    "android.crypto.ecb-mode": ("Crypto", "seal"),
    "android.crypto.hardcoded-key": ("Crypto", "seal"),
    "android.crypto.static-iv": ("Crypto", "legacy"),
    "android.crypto.weak-cipher": ("Crypto", "legacy"),
    "android.crypto.weak-hash": ("Crypto", "fingerprint"),
    "android.crypto.insecure-random": ("Crypto", "token"),
}


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("sdk-code")
    jar = build_jar(SDKS / "unsafe", tmp / "unsafe.jar")
    twin = build_jar(SDKS / "unsafe-twin", tmp / "twin.jar")
    aar = build_aar(jar, tmp / "unsafe.aar")
    return {
        "classes": jar.with_suffix(".classes"),
        "jar": mobsec.scan(jar).to_json(),
        "twin": mobsec.scan(twin).to_json(),
        "aar": mobsec.scan(aar).to_json(),
    }


def _javap(classes: Path, name: str) -> str:
    out = subprocess.run(
        ["javap", "-c", "-p", "-l", "-cp", str(classes), f"com.example.unsafe.{name}"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return out.stdout


def _method_block(javap: str, method: str) -> str:
    """The javap text of one method (its Code and LineNumberTable)."""
    blocks = re.split(r"\n(?=  \S)", javap)  # member headers are indented by two spaces
    found = [b for b in blocks if re.search(rf"[ .]{re.escape(method)}\(", b.split("\n", 1)[0])]
    assert len(found) == 1, method
    return found[0]


def _line_at(block: str, offset: int) -> int:
    table = [(int(pc), int(ln)) for ln, pc in re.findall(r"line (\d+): (\d+)", block)]
    return max((p, ln) for p, ln in table if p <= offset)[1]


@pytest.mark.parametrize("check_id", sorted(EXPECTED))
def test_check_fires_on_class_files_at_the_javap_offset(
    scans: dict[str, Any], check_id: str
) -> None:
    cls, method = EXPECTED[check_id]
    found = [
        f
        for f in scans["jar"]["findings"]
        if f["check_id"] == check_id
        and f["location"]["class"].endswith(f".{cls}")
        and f["location"]["method"].startswith(f"{method}(")
    ]
    assert found, f"{check_id} did not fire in {cls}.{method}"
    loc = found[0]["location"]
    assert loc["file"] == f"com/example/unsafe/{cls}.class"
    assert loc["class"] == f"com.example.unsafe.{cls}" and loc["source_file"] == f"{cls}.java"
    assert loc["method"].startswith(f"{method}(")
    block = _method_block(_javap(scans["classes"], cls), method)
    # javap's instruction at the finding's offset is the one the evidence marks
    m = re.search(rf"^\s+{loc['offset']}: (\w+)[^\n]*?(?:// \w+ ([^\n]+))?$", block, re.M)
    assert m, f"no instruction at {loc['offset']} in javap"
    marked = [ln for ln in found[0]["evidence"].splitlines() if ln.startswith(">")]
    assert marked and marked[0].split(": ", 1)[1].split()[0] == m.group(1)
    if m.group(2):  # a pool reference: the same member, as javap names it
        assert m.group(2).replace('"', "").split(":")[0].split(".")[-1] in marked[0]
    assert loc["line"] == _line_at(block, loc["offset"])


def test_twin_gives_none_of_them(scans: dict[str, Any]) -> None:
    fired = {f["check_id"] for f in scans["twin"]["findings"]}
    assert not fired & set(EXPECTED), fired
    assert scans["twin"]["findings"] == []
    _valid(scans["twin"])


def test_aar_names_the_class_file_inside_classes_jar(scans: dict[str, Any]) -> None:
    doc = scans["aar"]
    files = {f["location"]["file"] for f in doc["findings"] if f["check_id"] in EXPECTED}
    assert files == {
        "classes.jar!/com/example/unsafe/Crypto.class",
        "classes.jar!/com/example/unsafe/Tasks.class",
    }
    code = {r["key"]: r["value"] for r in doc["platform_details"][0]["rows"]}
    assert code["methods_not_translated"] == 0 and code["methods_translated_to_dex"] > 0
    assert not [d for d in doc["diagnostics"] if d["code"].startswith("internal.")]
    _valid(doc)


def test_value_paths_name_jvm_offsets(scans: dict[str, Any]) -> None:
    """The static IV's path ("made in Crypto.<init> @x -> stored in field ... @y") names
    the JVM offsets of the ``newarray`` and the ``putfield``, as javap shows them."""
    (finding,) = [
        f for f in scans["jar"]["findings"] if f["check_id"] == "android.crypto.static-iv"
    ]
    made, stored = (int(x, 16) for x in re.findall(r"@([0-9a-f]{4})", finding["message"]["en"]))
    block = _method_block(_javap(scans["classes"], "Crypto"), "Crypto")
    assert re.search(rf"^\s+{made}: newarray\s+byte", block, re.M), block
    assert re.search(rf"^\s+{stored}: putfield .*// Field iv:\[B", block, re.M), block


def test_lambda_body_is_checked_and_reachable(scans: dict[str, Any]) -> None:
    """``invokedynamic`` hands out the lambda: its body is a method of its own, checked, and
    a root of reachability (the host runs what the public API returns)."""
    (f,) = [
        f
        for f in scans["jar"]["findings"]
        if f["check_id"] == "android.crypto.weak-hash" and f["location"]["class"].endswith("Tasks")
    ]
    assert f["location"]["method"].startswith("lambda$checksum$")
    assert f["reachability"] == "reachable" and "SHA-1" in f["message"]["en"]
