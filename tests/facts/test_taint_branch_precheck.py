"""The interval pass's pre-check (taint.branches.may_decide) only skips methods the pass
would find no dead edge in: checked on every app method of DroidBench apps with branches
decided by constants, Random.nextInt and constant-returning methods, and on others."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.facts.test_taint_cases import _facts_run

from mobsec.facts.taint.branches import may_decide, range_facts
from mobsec.facts.taint.engine import TaintEngine

APPS = (
    "UnreachableCode__UnreachableBoth",
    "UnreachableCode__SimpleUnreachable1",
    "ArraysAndLists__ArrayAccess1",
    "GeneralJava__Exceptions3",
    "GeneralJava__Loop1",
    "Callbacks__Button1",
)


@pytest.mark.parametrize("name", APPS)
def test_skipped_methods_have_no_dead_edges(corpus_apks: Path, name: str) -> None:
    apk = corpus_apks / "droidbench" / f"{name}.apk"
    engine = _facts_run(apk, TaintEngine)
    with_dead = 0
    for desc in engine.code.classes:
        for mname, proto in engine.cg.members(desc):
            hit = engine.cfg_of(f"{desc}->{mname}{proto}")
            if hit is None:
                continue
            dex, _method, cfg = hit
            refs = engine.method_ref_of(dex)
            dead = range_facts(cfg, engine.cg.resolve, refs, engine.const_return).dead
            with_dead += bool(dead)
            if not may_decide(cfg, engine.cg.resolve, refs, engine.const_return):
                assert dead == frozenset(), f"{desc}->{mname}{proto}"
    if name.startswith("UnreachableCode"):  # the pass does prune here
        assert with_dead > 0
