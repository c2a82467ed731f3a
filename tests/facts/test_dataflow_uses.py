"""``MethodFlow.result_users`` answers from a use index built in one pass; it must give what a
direct search of every state gives (the definition in its docstring), on real app code."""

from __future__ import annotations

import zipfile
from pathlib import Path

from mobsec.diagnostics import Diagnostics
from mobsec.facts.dataflow import MethodFlow, Value, arg_registers, method_flow
from mobsec.facts.dataflow.analysis import INVOKES, STATIC_INVOKES
from mobsec.ingest.dex import DexFile

STORES_AND_RETURNS = frozenset(range(0x0F, 0x12)) | frozenset(range(0x4B, 0x52))
STORES_AND_RETURNS |= frozenset(range(0x59, 0x60)) | frozenset(range(0x67, 0x6E))
MAX_METHODS = 400


def _contains(v: Value, offset: int) -> bool:
    if v.offset == offset:
        return True
    return v.kind == "concat" and any(_contains(p, offset) for p in v.data)  # type: ignore[union-attr]


def _users_by_search(flow: MethodFlow, offset: int) -> list[tuple[int, int]]:
    out = []
    for insn, st in flow.iter_states():
        if insn.op in INVOKES:
            ref = flow.dex.method_ref(insn.idx)  # type: ignore[arg-type]
            regs = arg_registers(ref.proto, insn.regs, insn.op in STATIC_INVOKES)
        elif insn.op in STORES_AND_RETURNS:
            regs = insn.regs[:1]
        else:
            continue
        for pos, r in enumerate(regs):
            if r < len(st) - 1 and any(_contains(v, offset) for v in st[r]):
                out.append((insn.pc, pos))
    return out


def test_result_users_equal_a_search_of_every_state(corpus_apks: Path) -> None:
    apk = corpus_apks / "vulnapps" / "InsecureBankv2.apk"
    with zipfile.ZipFile(apk) as z:
        dex = DexFile.parse(z.read("classes.dex"), "classes.dex", Diagnostics())
    checked = 0
    for method in dex.iter_methods():
        if checked >= MAX_METHODS:
            break
        flow = method_flow(dex, method)
        if flow is None or not flow.complete:
            continue
        producers = [r.offset for r in dex.invokes_in(method.method_idx)]
        producers += [r.offset for r in dex.strings_in(method.method_idx)]
        if not producers:
            continue
        checked += 1
        for off in producers:
            assert flow.result_users(off) == _users_by_search(flow, off), (method, off)
    assert checked > 100
