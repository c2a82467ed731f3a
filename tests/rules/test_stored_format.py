"""Stored facts format 4: the code columns answer what the live scan answers (call sites of
an invoked method, exact and through subtypes, the first live instruction of a string) on
a real corpus app; texts survive the round trip (NUL, newline, lone surrogates, CJK); a
hostile container (decompression bomb, numbers out of range, a lying index) is refused
with a message, never a traceback."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from mobsec.diagnostics import Diagnostics
from mobsec.facts.app import AppFacts
from mobsec.ingest.apk import read_apk
from mobsec.ingest.archive import Archive
from mobsec.limits import DEFAULT_LIMITS
from mobsec.phases import PhaseRunner
from mobsec.rules import codefacts, factsfile
from mobsec.rules.records import LiveRecords
from mobsec.rules.stored import StoredRecords, load, save, snapshot


@pytest.fixture(scope="module")
def insecurebank(corpus_apks: Path, tmp_path_factory) -> tuple[AppFacts, StoredRecords]:
    apk = corpus_apks / "vulnapps" / "InsecureBankv2.apk"
    diags = Diagnostics()
    archive = Archive.open(apk, diags, DEFAULT_LIMITS)
    assert archive is not None
    facts = AppFacts(read_apk(archive, diags, PhaseRunner(diags, None), DEFAULT_LIMITS, 1), diags)
    facts_dir = tmp_path_factory.mktemp("facts")
    save(facts_dir, snapshot(facts, "ab" * 32))
    doc, why = load(facts_dir, "ab" * 32)
    assert doc is not None, why
    return facts, StoredRecords(doc)


def _live(site) -> tuple:
    return (site.dex.name, site.caller_idx, site.offset, site.caller.class_desc,
            site.caller.name + site.caller.proto)  # fmt: skip


def _stored(rec: StoredRecords, site: list[int]) -> tuple:
    d, caller, offset, row = site
    cls, method, _, _ = rec.code.method(row)
    return rec.doc["dexes"][d], caller, offset, cls, method


def test_call_sites_equal_the_live_scan(insecurebank) -> None:
    facts, rec = insecurebank
    live = LiveRecords(facts)
    keys = sorted({(cls, name) for name, rows in rec.code._get("invokes").items()
                   for cls, _, _ in rows})  # fmt: skip
    assert len(keys) > 5000
    asked = [*keys[::29], ("Ljava/lang/Object;", "<init>"), ("Landroid/util/Log;", "d"),
             ("Landroid/content/Context;", "startActivity"),
             ("Ljava/lang/StringBuilder;", "append")]  # fmt: skip
    busy = 0
    for cls, name in asked:
        for exact in (True, False):
            want = [_live(s) for s in live.calls(cls, name, exact)][:50]
            got = [_stored(rec, s) for s in rec.calls(cls, name, exact)][:50]
            assert got == want, (cls, name, exact)
            busy += len(want) == 50
    assert busy >= 2  # the cap of 50 sites per method was exercised


def test_string_sites_equal_the_live_scan(insecurebank) -> None:
    facts, rec = insecurebank
    live = LiveRecords(facts)
    want = [(t, _live(s)) for t, h in live.strings if (s := live.site(h)) is not None]
    got = [(t, _stored(rec, rec.site(h))) for t, h in rec.strings]
    assert len(got) > 1000 and got == want


def test_texts_round_trip() -> None:
    texts = ["", "a\x00b", "line\nbreak", "\ud800 lone", "中文 ünïcode", "x" * 70_000]
    box = _container({"t": factsfile.texts_bytes(texts)})
    assert box.texts("t") == texts


def _container(sections: dict[str, bytes], header: dict | None = None) -> factsfile.Container:
    return factsfile.Container(factsfile.pack(4, header or {}, sections), 1 << 20)


def _hostile() -> dict[str, bytes]:
    good = factsfile.pack(4, {}, {"t": factsfile.texts_bytes(["a", "b"])})
    at = len(factsfile.MAGIC) + 8
    head = zlib.compress(b'{"sections":{"t":[0,10,5,0]}}')
    bomb = zlib.compress(b"\0" * (8 << 20))
    entry = b"[0,%d,8,%d]" % (len(bomb), zlib.crc32(bomb))
    bomb_head = zlib.compress(b'{"sections":{"t":%s}}' % entry)
    return {
        "truncated": good[: len(good) - 3],
        "header too long": good[: len(factsfile.MAGIC)] + struct.pack("<II", 4, 1 << 30),
        "header not zlib": good[:at] + b"\x00" * (len(good) - at),
        "index outside": good[: len(factsfile.MAGIC)] + struct.pack("<II", 4, len(head)) + head,
        "bomb": good[: len(factsfile.MAGIC)]
        + struct.pack("<II", 4, len(bomb_head))
        + bomb_head
        + bomb,
        "lengths lie": factsfile.pack(4, {}, {"t": struct.pack("<Ii", 1, 99) + b"ab"}),
        "count lies": factsfile.pack(4, {}, {"t": struct.pack("<I", 1 << 30)}),
    }


@pytest.mark.parametrize("what", sorted(_hostile()))
def test_hostile_containers_are_refused_with_a_message(what: str) -> None:
    with pytest.raises(factsfile.ContainerError) as e:
        _container_of(_hostile()[what]).texts("t")
    assert str(e.value), what


def _container_of(data: bytes) -> factsfile.Container:
    return factsfile.Container(data, 1 << 20)


def test_numbers_out_of_range_are_refused() -> None:
    """A method row naming a name that is not there, a site naming a row that is not."""
    names = factsfile.texts_bytes(["La;", "m", "()V"])
    methods = b"".join(struct.pack("<i", v) for v in (0, 0, 0, 1, 2, -1, 0))
    ok = {"names": names, "methods": methods, "sites": struct.pack("<ii", 0, 3)}
    code = codefacts.StoredCode(_container(ok), n_dexes=1, n_owners=1)
    assert code.method(0) == ("La;", "m()V", None, 0)
    bad_name = dict(ok, methods=methods[:12] + struct.pack("<i", 7) + methods[16:])
    bad_site = dict(ok, sites=struct.pack("<ii", 5, 3))
    for sections, read in ((bad_name, lambda c: c.method(0)),
                           (bad_site, lambda c: c._get("sites"))):  # fmt: skip
        code = codefacts.StoredCode(_container(sections), n_dexes=1, n_owners=1)
        with pytest.raises(factsfile.ContainerError, match="out of range"):
            read(code)
