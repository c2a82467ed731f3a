"""Prefix search in a DEX string pool (the pool is sorted, so a prefix is one range)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from mobsec.ingest.dex import DexFile
from mobsec.ingest.dex.mutf8 import utf16_key

MAX_PREFIX_MATCHES = 2_000  # per prefix and DEX file: hostile pools cannot make this unbounded


def strings_with_prefix(dex: DexFile, prefix: str) -> Iterator[tuple[int, str]]:
    """(string index, text) of every pool string that starts with ``prefix``, in pool order.

    The pool is sorted by UTF-16 code units; a pool that is not (hostile or broken) only
    makes us miss matches, never loop: at most :data:`MAX_PREFIX_MATCHES` are read.
    """
    pools = dex.pools
    n = pools.n_strings
    key = utf16_key(prefix)
    start = bisect_left(range(n), key, key=pools.sort_key)
    for i in range(start, min(n, start + MAX_PREFIX_MATCHES)):
        text = pools.string(i)
        if not text.startswith(prefix):
            return
        yield i, text
