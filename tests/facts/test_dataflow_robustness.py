"""The data-flow analysis on hostile and large inputs: no exception, bounded time.

A hypothesis fuzz overwrites bytes of real code items (header, instructions, payloads,
try/catch tables); a corpus run analyses every method of a real DEX file. The per-method
speed is measured in bench/bench_readers.py; the only time bound here is a hang guard.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobsec.diagnostics import Diagnostics
from mobsec.facts.dataflow import MethodFlow, method_flow
from mobsec.facts.dataflow.analysis import _analyse
from mobsec.ingest.dex import DexFile

CASES = "Lcom/example/dataflow/Cases;"
FUZZ_METHODS = ("cipherSwitch", "cipherInCatch", "keyFromArrayLiteral", "sqlPlus", "loopConcat")


def _exercise(flow: MethodFlow) -> None:
    """Every query a check may make."""
    for c in flow.invokes():
        flow.args_at(c.offset)
        flow.result_users(c.offset)
    for insn in flow.cfg.insns[:50]:
        for r in insn.regs[:2]:
            flow.values_of(insn.pc, r)
    flow.values_of(-1, 0)
    flow.args_at(10**6)


@pytest.fixture(scope="module")
def fixture_dex_bytes(fixture_apk) -> bytes:
    with zipfile.ZipFile(fixture_apk("dataflow-cases")) as z:
        return z.read("classes.dex")


@settings(
    max_examples=200,
    deadline=5000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    which=st.sampled_from(FUZZ_METHODS),
    at=st.integers(min_value=0, max_value=120),
    junk=st.binary(min_size=1, max_size=24),
)
def test_fuzz_mutated_code_items(fixture_dex_bytes: bytes, which: str, at: int, junk: bytes):
    dex = DexFile.parse(fixture_dex_bytes, "classes.dex", Diagnostics())
    m = next(
        m
        for m in dex.iter_methods()
        if dex.method_ref(m.method_idx).class_desc == CASES
        and dex.method_ref(m.method_idx).name == which
    )
    data = bytearray(fixture_dex_bytes)
    pos = m.code_off + at
    data[pos : pos + len(junk)] = junk
    bad = DexFile.parse(bytes(data[: len(fixture_dex_bytes)]), "classes.dex", Diagnostics())
    t0 = time.perf_counter()
    flow = method_flow(bad, bad.method_def(m.record))
    if flow is not None:
        _exercise(flow)
    assert time.perf_counter() - t0 < 5.0  # hang guard (normally a few ms), not a speed target


def test_every_fixture_method_is_analysed(fixture_dex_bytes: bytes) -> None:
    dex = DexFile.parse(fixture_dex_bytes, "classes.dex", Diagnostics())
    for m in dex.iter_methods():
        if m.code_off:
            flow = method_flow(dex, m)
            assert flow is not None and flow.complete, dex.method_ref(m.method_idx)
            _exercise(flow)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("apk", "name"),
    [("vulnapps/InsecureBankv2.apk", "classes.dex"), ("vulnapps/diva-beta.apk", "classes.dex")],
)
def test_every_corpus_method(corpus_apks: Path, apk: str, name: str) -> None:
    with zipfile.ZipFile(corpus_apks / apk) as z:
        dex = DexFile.parse(z.read(name), name, Diagnostics())
    methods = [m for m in dex.iter_methods() if m.code_off]
    incomplete = broken = 0
    for m in methods:
        flow = _analyse(dex, m)  # uncached
        if flow is None:
            broken += 1
        elif not flow.complete:
            incomplete += 1
    assert broken == 0 and incomplete == 0


def test_arity_follows_the_prototype() -> None:
    """Broken code may pass fewer registers than the prototype declares (found by the fuzz
    test above: a model indexed a missing argument); the count comes from the prototype."""
    from mobsec.facts.dataflow.analysis import arg_count, arg_registers

    assert arg_count("(Ljava/lang/String;[BJI)V", is_static=False) == 5
    assert arg_count("()V", is_static=True) == 0
    assert arg_count("([[Ljava/lang/Object;D)Z", is_static=True) == 2
    assert len(arg_registers("(Ljava/lang/String;[B)V", (3,), is_static=False)) == 1
