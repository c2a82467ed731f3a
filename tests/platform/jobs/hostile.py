"""Hostile packages built in the test run (no binary committed)."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path


def memory_bomb(path: Path, dex_mb: int = 300) -> Path:
    """A 6 MB APK whose classes.dex inflates to ``dex_mb`` MB: under the engine's per-entry
    (512 MB) and ratio (200:1) limits, so only the process's memory limit stops it.
    Zeros with a random byte every 128 bytes compress about 45:1."""
    rnd = random.Random(1)
    block = bytearray(1 << 20)
    for i in range(0, len(block), 128):
        block[i] = rnd.randrange(1, 256)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z,
        z.open("classes.dex", "w", force_zip64=True) as f,
    ):
        for k in range(dex_mb):
            f.write(block[k:] + block[:k])  # rotated, so no two MB are alike
    return path
