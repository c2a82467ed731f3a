"""The registry index: every fingerprinted version of every official app in the engine's
``RegistryIndex``, so that a candidate is compared with the few versions the index ranks
first, never with the whole registry pair by pair.

Built from the stored fingerprint JSON (no package is read again) and kept per worker
process; rebuilt when the registry changed (a version fingerprinted, an app marked or
unmarked official), which the key below tells with one aggregate query."""

from __future__ import annotations

import threading
from typing import Any

from django.db.models import Count, Max

from mobsec.platform.registry.models import Version

from . import engine

_lock = threading.Lock()
_cached: dict[str, Any] = {"key": None, "index": None}


def official_versions():
    return Version.objects.filter(app__official=True, package__fingerprint__isnull=False)


def _key() -> tuple:
    agg = official_versions().aggregate(
        n=Count("id"), fp=Max("package__fingerprint__id"), changed=Max("app__updated_at")
    )
    return (agg["n"], agg["fp"], agg["changed"])


def registry_index():
    """The index of the registry as it is now (built or reused)."""
    key = _key()
    with _lock:
        if _cached["key"] != key:
            index = engine.new_index()
            rows = official_versions().values_list("id", "package__fingerprint__document")
            for version_id, doc in rows.iterator(chunk_size=200):
                index.add(version_id, engine.load(doc))
            _cached["key"], _cached["index"] = key, index
        return _cached["index"]
