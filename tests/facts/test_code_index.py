"""The code index (forward and reverse references per method) and the entry points.

Checked against dexdump's disassembly and against itself (every forward reference is found
by the reverse index and the other way round), on a fixture built from smali and on corpus
apps, and the entry-point rules on a fixture with a twin for each rule.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from mobsec import ScanOptions, scan
from mobsec.diagnostics import Diagnostics
from mobsec.ingest.dex import DexFile
from mobsec.ingest.dex.index import FIELD_READS, FIELD_WRITES, INVOKES, KINDS, STRINGS, TYPES

_DEXDUMP_METHOD = re.compile(r"^\s+name\s+: '([^']*)'")
_DEXDUMP_CLASS = re.compile(r"^\s+Class descriptor\s+: '([^']*)'")
_DEXDUMP_INVOKE = re.compile(
    r"\|[0-9a-f]{4}: (invoke-[a-z/-]+) \{[^}]*\}, ([^\s.]+\.[^:\s]+:\([^)]*\)\S+)"
)


def _dex(apk: Path, name: str = "classes.dex") -> DexFile:
    with zipfile.ZipFile(apk) as z:
        data = z.read(name)
    return DexFile.parse(data, name, Diagnostics())


def _method_name(dex: DexFile, method_idx: int) -> tuple[str, str]:
    ref = dex.method_ref(method_idx)
    return ref.class_desc, ref.name


def _invokes_by_method_from_dexdump(text: str) -> Counter[tuple[str, str, str]]:
    """(caller class, caller name, 'Lcallee;.name:(proto)R') for every invoke dexdump lists."""
    out: Counter[tuple[str, str, str]] = Counter()
    cls = meth = ""
    for line in text.splitlines():
        if m := _DEXDUMP_CLASS.match(line):
            cls = m.group(1)
        elif m := _DEXDUMP_METHOD.match(line):
            meth = m.group(1)
        elif m := _DEXDUMP_INVOKE.search(line):
            out[(cls, meth, m.group(2))] += 1
    return out


def _invokes_by_method_from_index(dex: DexFile) -> Counter[tuple[str, str, str]]:
    out: Counter[tuple[str, str, str]] = Counter()
    for m in dex.iter_methods():
        caller_cls, caller_name = _method_name(dex, m.method_idx)
        for r in dex.invokes_in(m.method_idx):
            callee = dex.method_ref(r.target)
            out[(caller_cls, caller_name, f"{callee.class_desc}.{callee.name}:{callee.proto}")] += 1
    return out


@pytest.mark.toolchain
def test_forward_invokes_match_dexdump_on_fixture(fixture_apk, android_tool, tmp_path) -> None:
    apk = fixture_apk("entry-points")
    with zipfile.ZipFile(apk) as z:
        (tmp_path / "classes.dex").write_bytes(z.read("classes.dex"))
    expected = _invokes_by_method_from_dexdump(
        android_tool("dexdump", "-d", str(tmp_path / "classes.dex"))
    )
    got = _invokes_by_method_from_index(_dex(apk))
    assert got == expected
    key = (
        "Lcom/example/entry/MainActivity;",
        "onResume",
        "Landroid/util/Log;.d:(Ljava/lang/String;Ljava/lang/String;)I",
    )
    assert got[key] == 1


@pytest.mark.corpus
@pytest.mark.parametrize("apk", ["vulnapps/InsecureBankv2.apk", "vulnapps/diva-beta.apk"])
def test_forward_invokes_match_dexdump_on_corpus(corpus_apks, android_tool, tmp_path, apk) -> None:
    path = corpus_apks / apk
    with zipfile.ZipFile(path) as z:
        (tmp_path / "classes.dex").write_bytes(z.read("classes.dex"))
    expected = _invokes_by_method_from_dexdump(
        android_tool("dexdump", "-d", str(tmp_path / "classes.dex"))
    )
    got = _invokes_by_method_from_index(_dex(path))
    assert sum(expected.values()) > 1000
    assert got == expected


@pytest.mark.corpus
def test_forward_and_reverse_index_agree(corpus_apks) -> None:
    dex = _dex(corpus_apks / "vulnapps" / "InsecureBankv2.apk")
    readers = {
        INVOKES: (dex.invokes_in, dex.call_sites),
        STRINGS: (dex.strings_in, dex.string_refs),
        FIELD_READS: (dex.field_reads_in, dex.field_reads),
        FIELD_WRITES: (dex.field_writes_in, dex.field_writes),
        TYPES: (dex.types_in, dex.type_refs),
    }
    assert set(readers) == set(KINDS)
    for kind, (forward, reverse) in readers.items():
        rows = set(dex.refs.rows(kind))
        assert rows, kind
        forward_rows = set()
        for m in dex.iter_methods():
            got = forward(m.method_idx)
            assert [r.offset for r in got] == sorted(r.offset for r in got), kind
            forward_rows.update(got)
        assert forward_rows == rows, kind
        reverse_rows = set()
        for target in {r.target for r in rows}:
            reverse_rows.update(reverse(target))
        assert reverse_rows == rows, kind


@pytest.mark.toolchain
def test_per_method_facts_on_fixture(fixture_apk) -> None:
    dex = _dex(fixture_apk("entry-points"))
    (on_resume,) = dex.pools.find_method_ids("Lcom/example/entry/MainActivity;", "onResume")
    assert [dex.string(r.target) for r in dex.strings_in(on_resume)] == ["entry"]
    reads = [dex.pools.field_ref(r.target) for r in dex.field_reads_in(on_resume)]
    assert [(f.class_desc, f.name) for f in reads] == [("Lcom/example/entry/MainActivity;", "tag")]
    assert [dex.type_desc(r.target) for r in dex.types_in(on_resume)] == [
        "Lcom/example/entry/Worker;"
    ]
    (on_create,) = dex.pools.find_method_ids("Lcom/example/entry/BaseActivity;", "onCreate")
    writes = [dex.pools.field_ref(r.target).name for r in dex.field_writes_in(on_create)]
    assert writes == ["tag"]
    assert dex.field_writes_in(on_resume) == []  # twin: reads, never writes


@pytest.mark.toolchain
def test_entry_points(fixture_apk) -> None:
    doc = scan(fixture_apk("entry-points"), ScanOptions()).to_json()
    eps = {e["component"]: e for e in doc["code"]["entry_points"]}
    app = eps["com.example.entry.EntryApp"]
    assert app["kind"] == "application"
    assert (
        "Lcom/example/entry/EntryApp;->attachBaseContext(Landroid/content/Context;)V"
        in (app["methods"])
    )
    main = eps["com.example.entry.MainActivity"]
    assert main["exported"] is True and main["defined"] is True
    # Inherited from the app's own base class: an entry point of MainActivity.
    assert "Lcom/example/entry/BaseActivity;->onCreate(Landroid/os/Bundle;)V" in main["methods"]
    # Overridden: only the override counts.
    assert "Lcom/example/entry/MainActivity;->onResume()V" in main["methods"]
    assert "Lcom/example/entry/BaseActivity;->onResume()V" not in main["methods"]
    # Not a lifecycle method.
    assert not any("helper" in m for m in main["methods"])
    worker = eps["com.example.entry.Worker"]
    assert worker["kind"] == "service" and worker["exported"] is False
    assert {m.split("->")[1].split("(")[0] for m in worker["methods"]} == {
        "<init>",
        "onStartCommand",
        "onBind",
    }
    ghost = eps["com.example.entry.GhostReceiver"]
    assert ghost["defined"] is False and ghost["methods"] == []
    assert doc["code"]["own_classes"] == 4  # GhostReceiver is declared, not defined
