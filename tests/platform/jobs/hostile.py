"""Hostile packages built in the test run (no binary committed)."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path


def memory_bomb(path: Path, dex_mb: int = 120, dex_files: int = 1) -> Path:
    """An APK of ``dex_files`` DEX entries that each inflate to ``dex_mb`` MB (a few MB
    packed): under the engine's per-DEX (128 MB), total-DEX (384 MB), per-entry and ratio
    (200:1) limits, so only the process's memory limit stops it. Zeros with a random byte
    every 128 bytes compress about 45:1."""
    rnd = random.Random(1)
    block = bytearray(1 << 20)
    for i in range(0, len(block), 128):
        block[i] = rnd.randrange(1, 256)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for n in range(dex_files):
            name = "classes.dex" if n == 0 else f"classes{n + 1}.dex"
            with z.open(name, "w", force_zip64=True) as f:
                for k in range(dex_mb):
                    f.write(block[k + n :] + block[: k + n])  # rotated: no two MB alike
    return path
