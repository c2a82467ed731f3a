"""The watched folder: every package file dropped into the directory (and its
sub-directories, a few levels deep) is a candidate. No listing: the file name is all."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from . import Found, Problem, register

MAX_DEPTH = 4
MAX_FILES = 1000  # per poll; the rest come with the next one
SETTLE_SECONDS = 2.0  # a file still being written is taken by a later poll
SKIP = ("listing.json",)


def watch(root: Path) -> Iterator[Found | Problem]:
    yielded = 0
    now = time.time()
    stack: list[tuple[str, int]] = [("", 0)]
    while stack:
        rel, depth = stack.pop()
        try:
            entries = sorted(
                os.scandir(root / rel) if rel else os.scandir(root), key=lambda e: e.name
            )
        except OSError as e:
            yield Problem("monitoring.unreadable", rel or ".", f"cannot list the directory: {e.strerror}",
                          f"无法列出目录：{e.strerror}")  # fmt: skip
            continue
        for entry in entries:
            key = f"{rel}/{entry.name}" if rel else entry.name
            if entry.name.startswith(".") or (not rel and entry.name in SKIP):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue  # removed while we looked
            if stat.S_ISLNK(st.st_mode):
                yield Problem("monitoring.symlink", key, "a symbolic link: refused",
                              "符号链接：已拒绝")  # fmt: skip
            elif stat.S_ISDIR(st.st_mode):
                if depth + 1 < MAX_DEPTH:
                    stack.append((key, depth + 1))
            elif stat.S_ISREG(st.st_mode):
                if now - st.st_mtime < SETTLE_SECONDS:
                    continue
                if yielded >= MAX_FILES:
                    return
                yielded += 1
                yield Found(key)


register("folder", watch)
