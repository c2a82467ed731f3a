"""Listener classes whose every registration is withdrawn before it can be used.

Why: a callback runs only while its listener is registered. ``b.setOnClickListener(l);
b.setOnClickListener(null);`` in one method leaves nothing to call back, and a leak in
``l.onClick`` is not a leak (DroidBench Callbacks/Unregister1). The rule is narrow on
purpose: the class is made only by ``new-instance`` (no ``const-class``, cast or other
type use anywhere), and each new object is used only by its constructor and as the
listener of one ``set...Listener`` call whose receiver gets the same setter again later in
the same basic block (the registration is replaced before the framework can deliver an
event). Anything else — the object stored, passed on, returned, registered with another
kind of call — keeps the class's callbacks as entry points.
"""

from __future__ import annotations

from collections.abc import Callable

from mobsec.ingest.dex import DexSet

from .branches import NO_DEST

NEW_INSTANCE = 0x22
INVOKE_DIRECT = (0x70, 0x76)
INVOKES = frozenset((0x6E, 0x6F, 0x70, 0x71, 0x72, 0x74, 0x75, 0x76, 0x77, 0x78))


def withdrawn_listeners(
    code: DexSet, candidates: set[str], cfg_of: Callable[[str], object]
) -> set[str]:
    """The classes among ``candidates`` whose every registration is withdrawn at once."""
    out: set[str] = set()
    for desc in candidates:
        sites = []
        for dex in code.dexes:
            idx = dex.pools.find_type(desc)
            if idx is not None:
                sites.extend((dex, r) for r in dex.type_refs(idx))
        if sites and all(_withdrawn(dex, ref, cfg_of) for dex, ref in sites):
            out.add(desc)
    return out


def _withdrawn(dex: object, ref: object, cfg_of: Callable[[str], object]) -> bool:
    if ref.opcode != NEW_INSTANCE:  # type: ignore[attr-defined]
        return False
    got = cfg_of(str(dex.method_ref(ref.caller)))  # type: ignore[attr-defined]
    if got is None:
        return False
    cfg = got[2]  # type: ignore[index]
    i = cfg.by_pc.get(ref.offset)  # type: ignore[attr-defined]
    if i is None:
        return False
    block = cfg.blocks[cfg.block_of[i]]
    obj = cfg.insns[i].regs[0]
    setter: tuple[int, int] | None = None  # (method idx, receiver register)
    for insn in cfg.insns[i + 1 : block.end]:
        regs = insn.regs
        if insn.op in INVOKES:
            if setter is not None and (insn.idx, regs[0] if regs else -1) == setter:
                return obj not in regs[1:]
            if obj not in regs:
                continue
            if insn.op in INVOKE_DIRECT and regs[0] == obj and obj not in regs[1:]:
                if dex.method_ref(insn.idx).name == "<init>":  # type: ignore[attr-defined]
                    continue
                return False
            name = dex.method_ref(insn.idx).name  # type: ignore[attr-defined]
            if setter is not None or not (name.startswith("set") and name.endswith("Listener")):
                return False
            if len(regs) != 2 or regs[1] != obj:
                return False
            setter = (insn.idx, regs[0])
            continue
        writes = insn.op not in NO_DEST and bool(regs)
        if obj in regs:
            if writes and regs[0] == obj and obj not in regs[1:]:
                obj = -1  # the register gets another value: the object is no longer held
                continue
            return False  # any other use: moved, stored, returned, compared
        if setter is not None and writes and regs[0] == setter[1]:
            return False  # the view register gets another value
    return False
