"""What a batch scans and where each report goes.

Arguments are package files and directories; a directory contributes every file below it
whose name ends in a package suffix (a file named on the command line is scanned whatever
its name: detection is by content). Symbolic links inside directories are not followed, so
a link loop or a link to /dev cannot make the walk endless. Each package gets an output
stem: its file name without suffix, made unique with a short hash of its path when two
packages share a name.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (
    ".apk", ".apks", ".xapk", ".apkm", ".aab", ".aar", ".jar", ".ipa", ".hap", ".app",
    ".wxapkg",
)  # fmt: skip
MAX_PACKAGES = 1_000_000


@dataclass(frozen=True, slots=True)
class Package:
    path: Path
    stem: str  # output file names: <stem>.<format suffix>


def expand(args: list[Path]) -> list[Path]:
    """The packages the arguments name, in argument order, directories sorted, no repeats."""
    seen: set[Path] = set()
    out: list[Path] = []

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen and len(out) < MAX_PACKAGES:
            seen.add(key)
            out.append(p)

    for arg in args:
        if arg.is_dir():
            for root, dirs, files in os.walk(arg, followlinks=False):
                dirs.sort()
                for name in sorted(files):
                    p = Path(root) / name
                    if name.lower().endswith(SUFFIXES) and p.is_file() and not p.is_symlink():
                        add(p)
        else:
            add(arg)  # missing or not a regular file: the scan says so (exit code 2)
    return out


def name_outputs(paths: list[Path]) -> list[Package]:
    stems = [_stem(p) for p in paths]
    counts: dict[str, int] = {}
    for s in stems:
        counts[s] = counts.get(s, 0) + 1
    out = []
    for p, s in zip(paths, stems, strict=True):
        if counts[s] > 1:
            s = f"{s}-{hashlib.sha256(str(p.resolve()).encode()).hexdigest()[:8]}"
        out.append(Package(p, s))
    return out


def _stem(p: Path) -> str:
    name = p.name
    for suffix in SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    # Output names come from input names: keep them plain (no hidden files, no separators).
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name).lstrip(".")
    return safe[:120] or "package"
