"""code_item: registers, try blocks with their handlers, and where the instructions are.

The instructions themselves are not copied: :class:`CodeItem` keeps the offset and the
length (in 16-bit code units) of the ``insns`` array inside the file.
"""

from __future__ import annotations

import struct
from typing import NamedTuple

from mobsec.diagnostics import FormatError

from .pools import Pools

MAX_HANDLER_LISTS = 65536


class Handler(NamedTuple):
    type_desc: str | None  # None for a catch-all
    address: int


class TryBlock(NamedTuple):
    start_addr: int
    insn_count: int
    handlers: tuple[Handler, ...]


class CodeItem(NamedTuple):
    registers_size: int
    ins_size: int
    outs_size: int
    tries_size: int
    debug_info_off: int
    insns_off: int  # absolute offset of insns in the file
    insns_size: int  # in 16-bit code units
    tries: tuple[TryBlock, ...]


def _uleb(data: bytes, pos: int, end: int) -> tuple[int, int]:
    value = 0
    for shift in range(0, 35, 7):
        if pos >= end:
            raise FormatError("ULEB128 runs past the end of the file", "ULEB128 超出文件末尾")
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, pos
    raise FormatError("ULEB128 longer than 5 bytes", "ULEB128 超过 5 字节")


def _sleb(data: bytes, pos: int, end: int) -> tuple[int, int]:
    start = pos
    value, pos = _uleb(data, pos, end)
    bits = 7 * (pos - start)
    if bits < 32 and value & (1 << (bits - 1)):
        value -= 1 << bits
    elif bits >= 32:
        value = value - (1 << 32) if value & 0x80000000 else value & 0xFFFFFFFF
    return value, pos


def parse_code_item(data: bytes, off: int, pools: Pools) -> CodeItem:
    """Read the code_item at ``off``; raise FormatError when it does not fit the file."""
    n = len(data)
    if off <= 0 or off + 16 > n:
        raise FormatError(
            f"code_item at 0x{off:x} outside the file", f"code_item 0x{off:x} 超出文件"
        )
    regs, ins, outs, tries_size, debug_off, insns_size = struct.unpack_from("<HHHHII", data, off)
    insns_off = off + 16
    end = insns_off + 2 * insns_size
    if end > n:
        raise FormatError(
            f"code_item at 0x{off:x}: {insns_size} code units run past the end of the file",
            f"code_item 0x{off:x}：{insns_size} 个代码单元超出文件末尾",
        )
    if not tries_size:
        return CodeItem(regs, ins, outs, 0, debug_off, insns_off, insns_size, ())
    tries_at = end + (2 if insns_size & 1 else 0)
    handlers_at = tries_at + 8 * tries_size
    if handlers_at > n:
        raise FormatError(
            f"code_item at 0x{off:x}: try items run past the end of the file",
            f"code_item 0x{off:x}：try 项超出文件末尾",
        )
    handlers = _handler_lists(data, handlers_at, pools)
    tries = []
    for i in range(tries_size):
        start, count, h_off = struct.unpack_from("<IHH", data, tries_at + 8 * i)
        tries.append(TryBlock(start, count, handlers.get(h_off, ())))
    return CodeItem(regs, ins, outs, tries_size, debug_off, insns_off, insns_size, tuple(tries))


def _handler_lists(data: bytes, base: int, pools: Pools) -> dict[int, tuple[Handler, ...]]:
    """encoded_catch_handler_list, keyed by offset from its start (as try items refer)."""
    n = len(data)
    size, pos = _uleb(data, base, n)
    if size > min(MAX_HANDLER_LISTS, n - pos):
        raise FormatError(f"{size} catch handler lists", f"{size} 个异常处理列表")
    lists: dict[int, tuple[Handler, ...]] = {}
    for _ in range(size):
        key = pos - base
        count, pos = _sleb(data, pos, n)
        if abs(count) > n - pos:
            raise FormatError(f"{count} catch handlers", f"{count} 个异常处理")
        found = []
        for _ in range(abs(count)):
            type_idx, pos = _uleb(data, pos, n)
            addr, pos = _uleb(data, pos, n)
            found.append(Handler(pools.type_desc(type_idx), addr))
        if count <= 0:
            addr, pos = _uleb(data, pos, n)
            found.append(Handler(None, addr))
        lists[key] = tuple(found)
    return lists
