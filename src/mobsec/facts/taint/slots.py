"""Constant slots of arrays and collections: ``a[1] = imei`` does not taint ``a[2]``.

Why: arrays and collections are one abstract element each, so PI stored in one slot comes
out of every other one (DroidBench ArrayAccess1/2, HashMapAccess1). A store at a constant
array index, ``List.set`` index or ``Map.put`` string key adds, next to the taint itself,
a *slot label* ``("S", slot, taint)`` to the container's labels; a store at an unknown
slot adds ``("S", ANY, taint)``. A read at a constant slot drops a taint only when every
slot label of it names another slot (no label: nothing is dropped). Slot labels travel
with the container's labels (registers, fields) but not through a callee's summary, where
they are lost: then nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ANY = "*"
MAPS = frozenset(
    (
        "Ljava/util/Map;",
        "Ljava/util/HashMap;",
        "Ljava/util/LinkedHashMap;",
        "Ljava/util/TreeMap;",
        "Ljava/util/Hashtable;",
        "Ljava/util/concurrent/ConcurrentHashMap;",
    )
)
LISTS = frozenset(
    ("Ljava/util/List;", "Ljava/util/ArrayList;", "Ljava/util/LinkedList;", "Ljava/util/Vector;")
)


def is_slot(label: Any) -> bool:
    return isinstance(label, tuple) and label[0] == "S"


def stored(taints: frozenset, slot: Any) -> frozenset:
    """The slot labels of ``taints`` stored at ``slot`` (ANY when not constant)."""
    return frozenset(("S", slot, t) for t in taints)


def read(labels: frozenset, taints: frozenset, matches: Callable[[Any], bool]) -> frozenset:
    """``taints`` of a container (``labels``) read at a slot ``matches`` accepts."""
    places: dict[Any, list] = {}
    for x in labels:
        if isinstance(x, tuple) and x[0] == "S":
            places.setdefault(x[2], []).append(x[1])
    if not places:
        return taints
    return frozenset(
        t for t in taints if t not in places or any(s == ANY or matches(s) for s in places[t])
    )


def index_slot(index: tuple[int, int] | None) -> Any:
    """The slot of an array index range: the constant, or ANY."""
    return index[0] if index is not None and index[0] == index[1] else ANY


def index_matches(index: tuple[int, int] | None) -> Callable[[Any], bool]:
    if index is None:
        return lambda _s: True
    lo, hi = index
    return lambda s: isinstance(s, int) and lo <= s <= hi


def container_kind(fw_class: str) -> str | None:
    if fw_class in MAPS:
        return "map"
    if fw_class in LISTS:
        return "list"
    return None
