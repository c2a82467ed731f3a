"""The C helpers of whole-program graphs (``_dexcore``: signatures, plain_strings,
class_members, fresh_refs): the same answers as decoding in Python, on real and hostile
DEX files, and bounded on bad arguments."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.ingest.test_dex_malformed import FUZZ_SETTINGS, mutated, victim  # noqa: F401

from mobsec.diagnostics import Diagnostics
from mobsec.facts.reachability import Reachability
from mobsec.ingest.dex import DexFile, DexSet, _dexcore
from mobsec.ingest.dex.classes import ACC_ABSTRACT, ACC_NATIVE
from mobsec.ingest.dex.index import INVOKES

APPIUM = "realworld/appium-uiautomator2-server-v10.6.6.apk"


def check_signatures(code: DexSet) -> int:
    """Same number <=> same decoded (name, proto), for every readable method id; returns
    how many method ids were readable."""
    sigs = code.signatures
    number_of: dict[tuple[str, str], int] = {}
    pair_of: dict[int, tuple[str, str]] = {}
    readable = 0
    for no, dex in enumerate(code.dexes):
        p = dex.pools
        for idx in range(len(sigs.of[no])):
            number = sigs.of[no][idx]
            if number < 0:
                continue
            readable += 1
            pair = (p.method_name(idx), p.method_proto(idx))
            assert number_of.setdefault(pair, number) == number, pair
            assert pair_of.setdefault(number, pair) == pair, number
            assert sigs.name(number) == pair[0]
            assert sigs.number(no, idx) == number
    return readable


def check_plain_strings(dex: DexFile) -> None:
    p = dex.pools
    for idx, plain in enumerate(p.plain_strings()):
        if plain:
            text = p.string(idx)
            assert text.isascii()
            assert "." not in text or "/" in text or len(text) >= 300, text


@pytest.fixture(scope="module")
def appium(corpus_apks: Path) -> DexSet:
    with zipfile.ZipFile(corpus_apks / APPIUM) as z:
        files = [(n, z.read(n)) for n in z.namelist() if n.endswith(".dex")]
    return DexSet.parse(files, Diagnostics())


def test_signatures_match_decoded_names_across_files(appium: DexSet) -> None:
    total = sum(d.pools.n_methods for d in appium.dexes)
    assert len(appium.dexes) > 1
    assert check_signatures(appium) == total  # a clean app: every method id readable
    # the same signature in two files is one number
    sigs = appium.signatures
    init = sigs.named("<init>", "()V")
    assert sum(init in set(table) for table in sigs.of) > 1
    # a signature no method has gets a number of its own, the same when asked again
    new = sigs.named("noSuchMethodAnywhere", "()V")
    assert new == sigs.named("noSuchMethodAnywhere", "()V") and new not in sigs.of[0]
    assert sigs.name(new) == "noSuchMethodAnywhere"


def test_plain_strings_never_hide_a_class_name(appium: DexSet) -> None:
    for dex in appium.dexes[:3]:
        check_plain_strings(dex)
    assert any(appium.dexes[0].pools.plain_strings())


def test_class_members_match_the_method_records(appium: DexSet) -> None:
    dex = appium.dexes[0]
    no = 0
    for cls in dex.classes[:200]:
        r = cls.method_records
        got = _dexcore.class_members(
            dex.method_table, r.start, r.stop, appium.signatures.of[no], no, 7,
            ACC_ABSTRACT | ACC_NATIVE,
        )  # fmt: skip
        assert got is not None
        members, where, bits = got
        assert len(bits) == len(r) and len(where) == 8 * len(r)
        for i, m in enumerate(cls.methods):
            assert members[appium.signatures.of[no][m.method_idx]] >= 7
            walked = bool(m.code_off) and not m.access_flags & (ACC_ABSTRACT | ACC_NATIVE)
            assert bits[i] & 2 == (2 if walked else 0)
    with pytest.raises(ValueError):
        _dexcore.class_members(dex.method_table, 5, 2, appium.signatures.of[0], 0, 0, 0)
    with pytest.raises(ValueError):
        _dexcore.class_members(dex.method_table, 0, 10**9, appium.signatures.of[0], 0, 0, 0)
    # a method_idx outside the signature table: the caller numbers the class itself
    cls = next(c for c in dex.classes if len(c.method_records))
    r = cls.method_records
    assert _dexcore.class_members(dex.method_table, r.start, r.stop, b"", 0, 0, 0) is None


def test_fresh_refs_follows_each_reference_once(appium: DexSet) -> None:
    dex = appium.dexes[0]
    n = dex.pools.n_methods
    at, order, table = dex.refs.forward(INVOKES, n)
    any_call, other_call = bytes([1]) * 256, bytes([2]) * 256
    seen = bytearray(n)
    caller = next(m for m in range(n) if at[m + 1] - at[m] > 3)
    # the same rows as two kinds sharing one ``seen``: the second sees them followed
    refs = _dexcore.FreshRefs([(at, order, table, any_call, seen)] * 2)
    first, again, marked = refs.fresh(caller)
    targets = [v >> 8 for v in first]
    assert targets and len(targets) == len(set(targets)) and all(v & 0xFF == 1 for v in first)
    assert all(seen[t] for t in targets) and again == [] and marked is False
    assert refs.fresh(caller) == ([], [], False)
    # another kind of call to the same targets is fresh again
    other = _dexcore.FreshRefs([(at, order, table, other_call, seen)])
    assert [v >> 8 for v in other.fresh(caller)[0]] == targets
    # marks: reported whether or not the row was followed before
    marks = bytearray(n)
    marks[targets[0]] = 1
    marking = _dexcore.FreshRefs([(at, order, table, any_call, seen)], marks, 0, 1)
    assert marking.fresh(caller) == ([], True)
    # bounds: methods outside the index and targets outside ``seen`` give nothing
    small = _dexcore.FreshRefs([(at, order, table, any_call, bytearray(0))])
    assert small.fresh(caller) == ([], False) and small.fresh(-1) == small.fresh(10**9)
    with pytest.raises(ValueError):
        _dexcore.FreshRefs([(at, order, table, b"\x01", seen)])
    with pytest.raises(TypeError):
        _dexcore.FreshRefs([(at, order, table, any_call, bytes(n))])  # read-only ``seen``


@pytest.mark.skipif(shutil.which("smali") is None, reason="smali not installed")
@FUZZ_SETTINGS
@given(
    edits=st.lists(st.tuples(st.integers(0, 4095), st.integers(0, 255)), max_size=12),
    cut=st.integers(0, 4096),
    fix=st.booleans(),
)
def test_fuzz_graph_helpers(victim: bytes, edits: list[tuple[int, int]], cut: int, fix: bool):  # noqa: F811
    dex = mutated(victim, edits, cut, fix)
    if dex is None:
        return
    code = DexSet([dex, dex], Diagnostics())  # two files: numbers shared across them
    check_signatures(code)
    check_plain_strings(dex)
    # a walk from every class: unreadable signatures take the slow path, nothing raises
    reach = Reachability(code, [], list(code.classes))
    for desc in code.classes:
        reach.class_reachable(desc)
        reach.is_reachable(desc, "a(I)I")


def test_signatures_refuse_bad_rows() -> None:
    with pytest.raises(TypeError):
        _dexcore.signatures([("not bytes", 0, 0, 0, 0, 0, 0, 0, 0)])
    # tables claimed past the end of the buffer: nothing read outside it
    # (all zeros: every id names string 0, the empty string, so all share one signature)
    numbers, reps = _dexcore.signatures([(b"\x00" * 64, 0, 10**6, 8, 10**6, 16, 10**6, 32, 10**6)])
    assert list(memoryview(numbers[0]).cast("i")) == [0, 0, 0, 0] and len(reps) == 8
