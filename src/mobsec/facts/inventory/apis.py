"""Which framework APIs the app calls: ``{class: [method names]}`` of every Android/Java
platform method some invoke instruction of the package targets (array ``clone()`` is no API).

Read from the code index's invoke table (a target with at least one row is called), so no
instruction is decoded again. The owner resolver decides what is the framework. An
emergency about an abused API ("every app calling ``DexClassLoader.<init>``") is then
answered from the stored inventory, without the package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mobsec.ingest.dex.index import INVOKES

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts
    from mobsec.ingest.dex import DexFile

MAX_APIS = 20_000  # distinct framework methods; far above a real app's few thousand


def framework_apis(facts: AppFacts) -> dict[str, list[str]]:
    calls: dict[str, set[str]] = {}
    n = 0
    for dex in facts.code.dexes:
        pools = dex.pools
        # Tens of thousands of invoked methods name a few thousand classes: each class
        # (type index) is decided once, and only a framework method's name is decoded.
        words = pools.method_id_words()  # two per method: class_idx | proto_idx << 16, name
        framework: dict[int, set[str] | None] = {}
        for idx in dex.refs.referenced_targets(INVOKES):
            cls = words[2 * idx] & 0xFFFF if 2 * idx < len(words) else pools.method_class_idx(idx)
            if cls in framework:
                methods = framework[cls]
            else:
                methods = framework[cls] = _framework_class(facts, dex, cls, calls)
            if methods is None:
                continue
            name = pools.method_name(idx)
            if name not in methods:
                if n >= MAX_APIS:
                    break
                methods.add(name)
                n += 1
    return {cls: sorted(m) for cls, m in sorted(calls.items())}


def _framework_class(
    facts: AppFacts, dex: DexFile, type_idx: int, calls: dict[str, set[str]]
) -> set[str] | None:
    """The method-name set of a framework class in ``calls`` (made on first use); None for
    any other class."""
    class_desc = dex.type_desc(type_idx)
    if class_desc[:1] != "L" or facts.owners.owner_of(class_desc).kind != "framework":
        return None
    return calls.setdefault(_java(class_desc), set())


def _java(desc: str) -> str:
    return desc[1:-1].replace("/", ".") if desc.endswith(";") else desc[1:]
