"""An index of registered apps: which of them a candidate may copy, without comparing it
with every one.

Per registered app the index keeps a small sketch, not the fingerprint: the package name,
the certificate SHA-256s, name keys (normalised, pinyin, and each with one character
deleted, so one edit still meets), the icon's 64-bit pHash, and a MinHash signature of the
app's own method fingerprints, cut into LSH bands. A query gathers the entries sharing a
package, certificate, name key or band, plus every icon within the match distance (a
vectorised Hamming scan of one 64-bit word per app: 800 KB at 100,000 apps), then ranks
these few with the estimated code similarity and the name and icon scores. The caller
compares the top hits in full (:func:`mobsec.similarity.compare`) with the fingerprints it
keeps.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mobsec.similarity.icons import template_icon
from mobsec.similarity.model import AppFingerprint
from mobsec.similarity.names import best_name_match, index_keys
from mobsec.similarity.signals import ICON_MATCH_BITS, NAME_MATCH

BANDS = 32
ROWS = 2  # per band: two rows find sets with Jaccard 0.3 with probability 0.95
PERMUTATIONS = BANDS * ROWS
_RNG = np.random.default_rng(0x6D6F6273)  # fixed: sketches must agree across processes
_A = _RNG.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)
_EMPTY = np.full(PERMUTATIONS, np.uint32(0xFFFFFFFF), dtype=np.uint32)


def minhash(hashes: Iterable[str]) -> np.ndarray:
    """MinHash signature (PERMUTATIONS × uint32) of a set of 64-bit hex fingerprints."""
    values = np.fromiter((int(h, 16) for h in hashes), dtype=np.uint64)
    if values.size == 0:
        return _EMPTY.copy()
    with np.errstate(over="ignore"):  # multiply-shift hashing wraps modulo 2^64 by design
        mixed = values[:, None] * _A[None, :] + _B[None, :]
    return (mixed >> np.uint64(32)).astype(np.uint32).min(axis=0)


@dataclass(slots=True)
class IndexHit:
    key: Hashable  # what the caller registered the app under
    score: float  # 0..1, the best of the reasons
    reasons: dict[str, float] = field(default_factory=dict)  # reason -> score

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "score": round(self.score, 3),
            "reasons": {k: round(v, 3) for k, v in self.reasons.items()},
        }


class RegistryIndex:
    """Registered apps, queried by candidate fingerprint. Not thread-safe for writes."""

    def __init__(self) -> None:
        self.keys: list[Hashable] = []
        self._names: list[list[str]] = []
        self._by_package: dict[str, list[int]] = {}
        self._by_cert: dict[str, list[int]] = {}
        self._by_name_key: dict[str, list[int]] = {}
        self._icons: list[int] = []
        self._has_icon: list[bool] = []
        self._sigs: list[np.ndarray] = []
        self._code_sizes: list[int] = []
        self._built: tuple[Any, ...] | None = None

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, key: Hashable, fp: AppFingerprint) -> int:
        """Register ``fp`` under ``key`` (what :meth:`query` hits give back); returns its row."""
        row = len(self.keys)
        self.keys.append(key)
        self._names.append(fp.names)
        if fp.package:
            self._by_package.setdefault(fp.package.lower(), []).append(row)
        for cert in fp.certificates:
            self._by_cert.setdefault(cert, []).append(row)
        for name in fp.names:
            for k in index_keys(name):
                self._by_name_key.setdefault(k, []).append(row)
        # a stock template icon says nothing about the brand: not indexed
        self._has_icon.append(fp.icon is not None and template_icon(fp.icon.phash) is None)
        self._icons.append(int(fp.icon.phash, 16) if fp.icon else 0)
        own = fp.code.app_set() or fp.code.all_set()
        self._sigs.append(minhash(own))
        self._code_sizes.append(len(own))
        self._built = None
        return row

    def _build(self) -> tuple[Any, ...]:
        if self._built is None:
            sigs = np.stack(self._sigs) if self._sigs else np.zeros((0, PERMUTATIONS), np.uint32)
            bands = sigs.reshape(len(sigs), BANDS, ROWS).astype(np.uint64)
            keys = (bands[:, :, 0] << np.uint64(32)) | bands[:, :, 1]  # rows x bands
            empty = np.array(self._code_sizes) == 0
            orders = [np.argsort(keys[:, b], kind="stable") for b in range(BANDS)]
            sorted_keys = [keys[orders[b], b] for b in range(BANDS)]
            icons = np.array(self._icons, dtype=np.uint64)
            self._built = (sigs, sorted_keys, orders, icons, np.array(self._has_icon), empty)
        return self._built

    def query(self, fp: AppFingerprint, k: int = 10) -> list[IndexHit]:
        """The ``k`` registered apps the candidate most likely is or copies, best first."""
        if not self.keys:
            return []
        sigs, sorted_keys, orders, icons, has_icon, empty = self._build()
        hits: dict[int, dict[str, float]] = {}

        def note(rows: Iterable[int], reason: str, score: float) -> None:
            for r in rows:
                reasons = hits.setdefault(int(r), {})
                reasons[reason] = max(reasons.get(reason, 0.0), score)

        if fp.package:
            note(self._by_package.get(fp.package.lower(), ()), "package", 1.0)
        for cert in fp.certificates:
            note(self._by_cert.get(cert, ()), "certificate", 1.0)
        name_rows: set[int] = set()
        for name in fp.names:
            for name_key in index_keys(name):
                name_rows.update(self._by_name_key.get(name_key, ()))
        for r in name_rows:
            m = best_name_match(fp.names, self._names[r])
            if m is not None and m.score >= NAME_MATCH:
                note((r,), "name", m.score)
        if fp.icon is not None:
            dist = np.bitwise_count(icons ^ np.uint64(int(fp.icon.phash, 16)))
            close = np.nonzero((dist <= ICON_MATCH_BITS) & has_icon)[0]
            for r in close:
                note((r,), "icon", 1.0 - float(dist[r]) / 32)
        for hashes in (fp.code.app_set(), fp.code.all_set()):
            if not hashes:
                continue
            sig = minhash(hashes)
            band = sig.reshape(BANDS, ROWS).astype(np.uint64)
            qkeys = (band[:, 0] << np.uint64(32)) | band[:, 1]
            rows: set[int] = set()
            for b in range(BANDS):
                lo, hi = (
                    np.searchsorted(sorted_keys[b], qkeys[b], side="left"),
                    np.searchsorted(sorted_keys[b], qkeys[b], side="right"),
                )
                if hi - lo < 1000:  # a key shared by a thousand apps is boilerplate
                    rows.update(int(r) for r in orders[b][lo:hi])
            for r in rows:
                if not empty[r]:
                    note((r,), "code", float(np.mean(sigs[r] == sig)))
        out = [
            IndexHit(self.keys[r], max(reasons.values()), reasons) for r, reasons in hits.items()
        ]
        out.sort(key=lambda h: (-h.score, -len(h.reasons)))
        return out[:k]
