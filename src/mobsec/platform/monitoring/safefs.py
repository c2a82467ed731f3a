"""Opening files of a source directory that someone else fills (a channel mirror, a shared
folder): relative paths only, no ``..``, no symlink anywhere on the way (each component is
opened with O_NOFOLLOW relative to its parent), regular files only, size bounded."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MAX_KEY = 1000


class Refused(Exception):
    def __init__(self, code: str, en: str, zh: str) -> None:
        super().__init__(en)
        self.code, self.en, self.zh = code, en, zh


def check_key(key: str) -> list[str]:
    """The parts of a relative path, or Refused naming why it is no such path."""
    if not isinstance(key, str) or not key or len(key) > MAX_KEY or "\x00" in key:
        raise Refused("monitoring.bad_path", "not a usable file path", "不是可用的文件路径")
    if key.startswith(("/", "\\")) or (len(key) > 1 and key[1] == ":"):
        raise Refused("monitoring.absolute_path", "an absolute path is not allowed here",
                      "此处不允许绝对路径")  # fmt: skip
    parts = key.replace("\\", "/").split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise Refused("monitoring.path_escape", "the path leaves the source directory or is empty",
                      "路径超出来源目录或为空")  # fmt: skip
    return parts


@contextmanager
def open_in(root: Path, key: str, max_bytes: int) -> Iterator[tuple[int, os.stat_result]]:
    """An fd of the regular file ``key`` under ``root`` (read only), with its stat."""
    parts = check_key(key)
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
    fds: list[int] = []
    try:
        try:
            fds.append(os.open(root, flags | os.O_DIRECTORY))
            for part in parts[:-1]:
                fds.append(os.open(part, flags | os.O_DIRECTORY, dir_fd=fds[-1]))
            fd = os.open(parts[-1], flags | os.O_NONBLOCK, dir_fd=fds[-1])
        except OSError as e:
            if e.errno in (40, 20):  # ELOOP (a symlink), ENOTDIR (a symlink or file on the way)
                raise Refused("monitoring.symlink", "a symbolic link (or a file) is in the way: refused",
                              "路径中有符号链接（或文件）：已拒绝") from None  # fmt: skip
            raise Refused("monitoring.unreadable", f"cannot open: {e.strerror}",
                          f"无法打开：{e.strerror}") from None  # fmt: skip
        fds.append(fd)
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Refused("monitoring.not_a_file", "not a regular file (device, FIFO, directory)",
                          "不是普通文件（设备、FIFO 或目录）")  # fmt: skip
        if st.st_size > max_bytes:
            raise Refused("monitoring.too_large", f"larger than the limit of {max_bytes} bytes",
                          f"超过 {max_bytes} 字节的上限")  # fmt: skip
        os.set_blocking(fd, True)
        yield fd, st
    finally:
        for f in reversed(fds):
            os.close(f)


def read_bounded(fd: int, max_bytes: int) -> bytes:
    """All of the file (it may grow while read: stop past the bound)."""
    chunks, total = [], 0
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > max_bytes:
            raise Refused("monitoring.too_large", f"larger than the limit of {max_bytes} bytes",
                          f"超过 {max_bytes} 字节的上限")  # fmt: skip
        chunks.append(chunk)


def chunks(fd: int) -> Iterator[bytes]:
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return
        yield chunk
