"""Rule-only re-scans on stored facts: every rule that can run on them finds what the full
scan finds (same rules, places and fingerprints) on the fixture and nothing on its twin; a
rule that needs the data flow, another engine's facts or an older format version fall back
to a full scan; the CLI says which it did. A damaged stored facts file or an unreadable
package is an error naming the file and the problem, never an empty (clean-looking) result."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import pytest

from mobsec.engine import scan
from mobsec.options import ScanOptions
from mobsec.rules import factsfile
from mobsec.rules.loader import load_pack
from mobsec.rules.stored import (
    FORMAT_VERSION,
    StoredFactsError,
    StoredRecords,
    facts_path,
    full_scan_reason,
    legacy_path,
    load,
    rules_only,
    run_on_stored,
)
from tests.scan.test_cli import mobsec

from .conftest import CONSTRUCTS_PACK


def _place(f: dict) -> tuple:
    loc = f["location"]
    return (f["check_id"], f["fingerprint"], loc["file"], loc["class"], loc["method"],
            loc["offset"], f["owner"]["kind"], f["owner"]["sdk_id"], f["message"]["en"])  # fmt: skip


@pytest.fixture(scope="module")
def stored(emergency_apks: dict[str, Path], tmp_path_factory) -> dict:
    pack = load_pack(CONSTRUCTS_PACK)
    facts_dir = tmp_path_factory.mktemp("facts")
    out = {}
    for name, apk in emergency_apks.items():
        report = scan(apk, ScanOptions(rule_packs=(pack,), threads=1, facts_dir=facts_dir))
        doc, why = load(facts_dir, report.package.sha256)
        assert doc is not None, why
        out[name] = (report.to_json(), doc)
    return {"pack": pack, "dir": facts_dir, **out}


def test_stored_facts_find_what_the_full_scan_finds(stored) -> None:
    pack = stored["pack"]
    runnable = [r for r in pack.rules if full_scan_reason(r.match) is None]
    assert len(runnable) >= 14  # all but the data-flow and native-string constructs
    for name in ("fires", "twin"):
        report, doc = stored[name]
        records = StoredRecords(doc)
        for rule in runnable:
            full = [
                _place(f)
                for f in [*report["findings"], *report["unreachable_findings"]]
                if f["check_id"] == rule.meta.id
            ]
            again = [_place(f.to_json()) for f in run_on_stored(rule, doc, records)]
            assert sorted(again) == sorted(full), (name, rule.meta.id)
            assert bool(full) == (name == "fires"), (name, rule.meta.id)


def test_which_constructs_need_a_full_scan() -> None:
    reasons = {r.meta.id: full_scan_reason(r.match) for r in load_pack(CONSTRUCTS_PACK).rules}
    needs = {k for k, v in reasons.items() if v}
    assert "android.constructs.native-string" in needs
    assert "android.constructs.call-constant-arg" in needs
    assert "android.constructs.permission" not in needs
    assert all("line " in reasons[k] for k in needs)


def test_fallbacks(stored, emergency_apks: dict[str, Path], tmp_path: Path) -> None:
    apk = emergency_apks["fires"]
    pack = stored["pack"]
    # a pack of rules that run on stored facts: no package read
    facts_dir = tmp_path / "facts"
    first = rules_only(apk, (pack,), facts_dir)  # needs-full-scan rules in it: full scan
    assert first["mode"] == "full-scan" and "line " in first["full_scan_reason"]
    sha = first["package"]["sha256"]
    path = facts_path(facts_dir, sha)
    assert path.is_file()
    # another engine's facts are not used
    good = path.read_bytes()
    path.write_bytes(_rewritten(good, header={"engine": "0.0.0+000000000000"}))
    assert load(facts_dir, sha)[0] is None and "engine" in load(facts_dir, sha)[1]
    # another format version of this container: a full scan
    path.write_bytes(_rewritten(good, version=FORMAT_VERSION + 1))
    assert "format 5, this engine reads 4" in load(facts_dir, sha)[1]
    # a file of format 3 (gzip JSON under the old name): a full scan, which stores this
    # version's facts and removes the old file
    path.unlink()
    old = legacy_path(facts_dir, sha)
    old.write_bytes(gzip.compress(json.dumps(_FORMAT_3).encode()))
    assert load(facts_dir, sha)[0] is None and "format 3" in load(facts_dir, sha)[1]
    runnable = _stored_capable(pack, tmp_path / "pack")
    again = rules_only(apk, (runnable,), facts_dir)
    assert again["mode"] == "full-scan" and "format 3" in again["full_scan_reason"]
    assert again["complete"] and again["findings"] and again["errors"] == []
    assert load(facts_dir, sha)[0] is not None and not old.exists()  # rewritten as format 4
    third = rules_only(apk, (runnable,), facts_dir)
    assert third["mode"] == "stored-facts"
    assert sorted(map(_place, third["findings"])) == sorted(map(_place, again["findings"]))
    # a damaged file of format 3 is still named as damaged, not silently re-scanned
    path.unlink()
    old.write_bytes(b"\x1f\x8b not really gzip")
    with pytest.raises(StoredFactsError, match="unreadable"):
        load(facts_dir, sha)


# The head of a format 3 file (what an engine before format 4 wrote).
_FORMAT_3 = {"format": "mobsec-stored-facts", "version": 3, "engine": "0.1.0+0123456789ab",
             "package_sha256": "0" * 64, "permissions": [], "string_texts": "[]"}  # fmt: skip


def _rewritten(data: bytes, header: dict | None = None, version: int = FORMAT_VERSION,
               drop: str = "", replace: dict[str, bytes] | None = None) -> bytes:  # fmt: skip
    """``data`` (a format 4 file) packed again with these changes."""
    box = factsfile.Container(data, 1 << 30)
    sections = {k: box.raw(k) for k in box.sections if k != drop}
    return factsfile.pack(version, {**box.header, **(header or {})},
                          {**sections, **(replace or {})})  # fmt: skip


def _flipped(data: bytes, section: str) -> bytes:
    """One byte of ``section``'s compressed bytes inverted."""
    box = factsfile.Container(data, 1 << 30)
    off, n, _ = box.sections[section]
    at = len(data) - len(box._body) + off + n // 2
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


def _damaged(good: bytes) -> dict[str, bytes]:
    import struct

    magic = len(factsfile.MAGIC)
    n = len(factsfile.Container(good, 1 << 30).raw("string_sites")) // 8
    bad_sites = struct.pack(f"<{n}i", *[10**6] * n) + bytes(4 * n)  # rows that are not there
    brace = zlib.compress(b"{")
    return {
        "truncated": good[: len(good) // 2],
        "truncated in the header": good[:200],
        "not a container": b"not a facts file at all",
        "bit flip in the names": _flipped(good, "names"),
        "bit flip in the sites": _flipped(good, "sites"),
        "header not JSON": good[: magic + 4] + struct.pack("<I", len(brace)) + brace,
        "not a facts file": _rewritten(good, header={"format": "something-else"}),
        "sections missing": _rewritten(good, drop="sites"),
        "header field missing": _rewritten(good, header={"dexes": None}),
        "malformed content": _rewritten(good, replace={"string_sites": bad_sites}),
        "other package": _rewritten(good, header={"package_sha256": "1" * 64}),
    }


def test_damaged_stored_facts_are_an_error_naming_the_file(
    stored, emergency_apks: dict[str, Path], tmp_path: Path
) -> None:
    apk = emergency_apks["fires"]
    pack = _stored_capable(stored["pack"], tmp_path / "pack")
    facts_dir = tmp_path / "facts"
    first = rules_only(apk, (pack,), facts_dir)
    path = facts_path(facts_dir, first["package"]["sha256"])
    good = path.read_bytes()
    for what, junk in _damaged(good).items():
        path.write_bytes(junk)
        with pytest.raises(StoredFactsError) as e:
            rules_only(apk, (pack,), facts_dir)
            pytest.fail(f"{what}: not refused")
        d = e.value.diagnostic
        assert d.file == str(path) and d.code == "stored_facts.unreadable", what
        assert "stored facts file cannot be used" in d.en and "事实数据" in d.zh, what
    path.unlink()
    path.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(StoredFactsError, match="symbolic link"):
        rules_only(apk, (pack,), facts_dir)


def test_cli_unreadable_package_or_facts_is_an_error(
    stored, emergency_apks: dict[str, Path], tmp_path: Path
) -> None:
    """A truncated APK: exit 3, the problem named, the result says incomplete with the
    errors; a damaged facts file: exit 2 naming it; neither prints "0 rule findings"."""
    apk = emergency_apks["fires"]
    pack_dir = tmp_path / "pack"
    _stored_capable(stored["pack"], pack_dir)
    truncated = tmp_path / "truncated.apk"
    truncated.write_bytes(apk.read_bytes()[: apk.stat().st_size // 2])
    facts, out = tmp_path / "facts", tmp_path / "r.json"
    base = ["--rules", str(pack_dir), "--allow-unsigned", "--rules-only", "--facts-dir",
            str(facts), "-o", str(out)]  # fmt: skip
    proc = mobsec("scan", str(truncated), *base)
    assert proc.returncode == 3, proc.stderr
    assert "truncated.apk: " in proc.stderr and "[zip.truncated]" in proc.stderr
    assert "not conclusive" in proc.stderr and "rule findings" not in proc.stderr
    doc = json.loads(out.read_text())
    assert doc["complete"] is False and doc["findings"] == []
    assert [(e["code"], e["file"]) for e in doc["errors"]] == [("zip.truncated", "truncated.apk")]
    # a damaged facts file of a readable package
    assert mobsec("scan", str(apk), *base).returncode == 0
    path = next(facts.glob("*.facts"))
    path.write_bytes(path.read_bytes()[:100])
    out.unlink()
    proc = mobsec("scan", str(apk), *base)
    assert proc.returncode == 2, proc.stderr
    assert f"{path}: stored facts file cannot be used: unreadable" in proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()


def test_cli_rules_only_on_stored_facts(stored, emergency_apks, tmp_path: Path) -> None:
    """A pack of stored-capable rules: the first run scans and stores, the second does not."""
    pack_dir = tmp_path / "pack"
    keep = {r.meta.id for r in _stored_capable(stored["pack"], pack_dir).rules}
    apk = emergency_apks["fires"]
    facts, out = tmp_path / "facts", tmp_path / "r.json"
    args = ["scan", str(apk), "--rules", str(pack_dir), "--allow-unsigned", "--rules-only",
            "--facts-dir", str(facts), "-o", str(out)]  # fmt: skip
    proc = mobsec(*args)
    assert proc.returncode == 0, proc.stderr
    first = json.loads(out.read_text())
    assert first["mode"] == "full-scan" and "no stored facts" in first["full_scan_reason"]
    proc = mobsec(*args)
    second = json.loads(out.read_text())
    assert second["mode"] == "stored-facts" and second["full_scan_reason"] is None
    assert sorted(map(_place, second["findings"])) == sorted(map(_place, first["findings"]))
    assert {f["check_id"] for f in second["findings"]} == keep
    assert "stored-facts" in proc.stderr
    bad = mobsec("scan", str(apk), "--rules-only", "--facts-dir", str(facts))
    assert bad.returncode == 2 and "--rules" in bad.stderr


def _stored_capable(pack, pack_dir: Path):
    """A copy of ``pack`` with only the rules that run on stored facts."""
    import shutil

    shutil.copytree(CONSTRUCTS_PACK, pack_dir)
    keep = {r.meta.id for r in pack.rules if full_scan_reason(r.match) is None}
    _drop_rules(next((pack_dir / "rules").glob("*.yaml")), {r.meta.id for r in pack.rules} - keep)
    return load_pack(pack_dir)


def _drop_rules(path: Path, ids: set[str]) -> None:
    """Remove whole rule entries (from '  - id: X' to the next entry) from a pack file."""
    out, skip = [], False
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("  - id: "):
            skip = line.removeprefix("  - id: ").strip() in ids
        if not skip:
            out.append(line)
    path.write_text("".join(out), encoding="utf-8")


def test_facts_over_the_bound_are_not_stored(emergency_apks: dict[str, Path], tmp_path: Path):
    """A bound on the stored file: over it, a warning says so and nothing is written (the
    next re-scan is a full scan); under it (the default), the file is written."""
    from mobsec.limits import Limits

    apk, facts_dir = emergency_apks["fires"], tmp_path / "facts"
    small = ScanOptions(threads=1, facts_dir=facts_dir, limits=Limits(max_stored_facts_bytes=200))
    report = scan(apk, small).to_json()
    warned = [d for d in report["diagnostics"] if d["code"] == "facts.too_large"]
    assert len(warned) == 1 and "over the bound of 200" in warned[0]["message"]["en"]
    assert "超过上限 200" in warned[0]["message"]["zh-CN"] and report["scan"]["complete"]
    assert not facts_path(facts_dir, report["package"]["hashes"]["sha256"]).exists()
    scan(apk, ScanOptions(threads=1, facts_dir=facts_dir))
    assert facts_path(facts_dir, report["package"]["hashes"]["sha256"]).stat().st_size > 200


def test_batch_rules_only_names_what_could_not_be_read(
    stored, emergency_apks: dict[str, Path], tmp_path: Path
) -> None:
    """In a batch, a truncated APK is "incomplete" with its problem, a package whose stored
    facts are damaged is an "error" naming the file; the readable package is "ok"."""
    apk = emergency_apks["fires"]
    pack_dir = tmp_path / "pack"
    _stored_capable(stored["pack"], pack_dir)
    apps, facts, out = tmp_path / "apps", tmp_path / "facts", tmp_path / "out"
    apps.mkdir()
    (apps / "good.apk").write_bytes(apk.read_bytes())
    (apps / "truncated.apk").write_bytes(apk.read_bytes()[: apk.stat().st_size // 2])
    twin = emergency_apks["twin"]
    (apps / "twin.apk").write_bytes(twin.read_bytes())
    scan(twin, ScanOptions(threads=1, facts_dir=facts))
    damaged = next(facts.glob("*.facts"))
    damaged.write_bytes(b"\x1f\x8b not really gzip")
    proc = mobsec("scan", str(apps), "--rules", str(pack_dir), "--allow-unsigned",
                  "--rules-only", "--facts-dir", str(facts), "-o", str(out), "--jobs", "1",
                  "--no-resume")  # fmt: skip
    assert proc.returncode == 2, proc.stderr  # the damaged facts file: 2 wins over 3
    rows = {Path(r["package"]).name: r for r in
            json.loads((out / "summary.json").read_text())["packages"]}  # fmt: skip
    assert rows["good.apk"]["status"] == "ok"
    t = rows["truncated.apk"]
    assert (t["status"], t["exit_code"]) == ("incomplete", 3)
    assert t["error"].startswith("truncated.apk: ") and "truncated" in t["error"][15:]
    d = rows["twin.apk"]
    assert (d["status"], d["exit_code"]) == ("error", 2)
    assert d["error"].startswith(f"{damaged}: stored facts file cannot be used: unreadable")
