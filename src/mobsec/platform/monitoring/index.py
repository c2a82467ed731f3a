"""The registry index: every fingerprinted version of every official app in the engine's
``RegistryIndex``, so that a candidate is compared with the few versions the index ranks
first, never with the whole registry pair by pair.

Built from the stored fingerprint JSON (no package is read again) and kept per worker
process. One aggregate query tells whether the registry changed; versions fingerprinted
since are added to the index as it is, and only when a version left the registry (an app
unmarked official, a version deleted) is it built again from scratch."""

from __future__ import annotations

import threading
from typing import Any

from django.db.models import Count, Max

from mobsec.platform.registry.models import Version

from . import engine

_lock = threading.Lock()
_cached: dict[str, Any] = {"key": None, "index": None, "ids": frozenset()}


def official_versions():
    return Version.objects.filter(app__official=True, package__fingerprint__isnull=False)


def _key() -> tuple:
    agg = official_versions().aggregate(
        n=Count("id"), fp=Max("package__fingerprint__id"), changed=Max("app__updated_at")
    )
    return (agg["n"], agg["fp"], agg["changed"])


def registry_index():
    """The index of the registry as it is now (reused, extended or built)."""
    key = _key()
    with _lock:
        if _cached["key"] == key:
            return _cached["index"]
        ids = frozenset(official_versions().values_list("id", flat=True))
        index, known = _cached["index"], _cached["ids"]
        if index is None or not known <= ids:
            index, known = engine.new_index(), frozenset()
        add(index, official_versions() if not known else Version.objects.filter(id__in=ids - known))
        _cached.update(key=key, index=index, ids=ids)
        return index


def add(index, versions) -> None:
    rows = versions.values_list("id", "package__fingerprint__document")
    for version_id, doc in rows.iterator(chunk_size=200):
        index.add(version_id, engine.load(doc))


def forget() -> None:
    """Drop this process's index (tests; a worker that must rebuild)."""
    with _lock:
        _cached.update(key=None, index=None, ids=frozenset())
