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

MAX_APIS = 20_000  # distinct framework methods; far above a real app's few thousand


def framework_apis(facts: AppFacts) -> dict[str, list[str]]:
    owners = facts.owners
    calls: dict[str, set[str]] = {}
    n = 0
    for dex in facts.code.dexes:
        pools = dex.pools
        for idx in dex.refs.referenced_targets(INVOKES):
            class_desc = dex.type_desc(pools.method_class_idx(idx))
            if class_desc[:1] != "L" or owners.owner_of(class_desc).kind != "framework":
                continue
            methods = calls.setdefault(_java(class_desc), set())
            name = pools.method_name(idx)
            if name not in methods:
                if n >= MAX_APIS:
                    break
                methods.add(name)
                n += 1
    return {cls: sorted(m) for cls, m in sorted(calls.items())}


def _java(desc: str) -> str:
    return desc[1:-1].replace("/", ".") if desc.endswith(";") else desc[1:]
