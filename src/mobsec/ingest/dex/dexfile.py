"""One DEX file (or one section of a v41 container): pools, classes, code index.

``DexFile.parse`` reads the header in Python, then hands the hot work to the C core:
``parse_classes`` walks every class_data_item and ``scan`` walks every instruction once,
both without the GIL. What comes back is flat tables; the Python objects around them
(``ClassDef`` per class, ``MethodDef`` on demand) stay light.
"""

from __future__ import annotations

import struct
import threading
from array import array
from collections.abc import Iterator

from mobsec.diagnostics import Diagnostics, FormatError
from mobsec.limits import DEFAULT_LIMITS, Limits

from . import _dexcore, debuginfo
from .classes import NO_INDEX, ClassDef, FieldDef, MethodDef
from .code import CodeItem, parse_code_item
from .debuginfo import LineTable
from .disasm import OPCODES, Instruction, format_instruction, iter_code
from .header import DexHeader, check_integrity, checked_tables, parse_header
from .index import FIELD_READS, FIELD_WRITES, INVOKES, STRINGS, TYPES, CodeRefs, Ref, _u32
from .pools import MethodRef, Pools

MREC = _dexcore.METHOD_RECORD
FREC = _dexcore.FIELD_RECORD
CREC = _dexcore.CLASS_RECORD

# C problem name -> (diagnostic code, level, English, Chinese)
_PROBLEMS = {
    "class_data_out_of_range": (
        "dex.bad_class_data",
        "error",
        "class_data_item outside the file",
        "class_data_item 超出文件",
    ),
    "class_data_truncated": (
        "dex.bad_class_data",
        "error",
        "class_data_item truncated",
        "class_data_item 不完整",
    ),
    "bad_method_idx": (
        "dex.bad_index",
        "error",
        "method definition with an out-of-range method index",
        "方法定义的方法索引越界",
    ),
    "bad_field_idx": (
        "dex.bad_index",
        "error",
        "field definition with an out-of-range field index",
        "字段定义的字段索引越界",
    ),
    "too_many_members": (
        "dex.too_many_members",
        "error",
        "more member definitions than ids (shared or forged class data)",
        "成员定义多于 id 数量（共享或伪造的 class_data）",
    ),
    "code_item_out_of_range": (
        "dex.bad_code_item",
        "error",
        "code_item outside the file; method skipped",
        "code_item 超出文件范围，已跳过该方法",
    ),
    "code_item_misaligned": (
        "dex.code_item_misaligned",
        "warning",
        "code_item not 4-byte aligned",
        "code_item 未按 4 字节对齐",
    ),
    "truncated_instruction": (
        "dex.truncated_instruction",
        "error",
        "instruction runs past the end of the code; rest of method skipped",
        "指令超出代码末尾，方法其余部分已跳过",
    ),
    "bad_index": (
        "dex.bad_index",
        "error",
        "instruction refers to an out-of-range index; reference ignored",
        "指令引用的索引越界，已忽略该引用",
    ),
    "scan_budget_exceeded": (
        "dex.scan_budget_exceeded",
        "error",
        "more code than the file can hold (shared code items); scan stopped",
        "代码量超过文件可容纳的范围（共享 code_item），已停止扫描",
    ),
    "bad_register_count": (
        "dex.bad_instruction",
        "warning",
        "invoke with more than 5 argument registers",
        "invoke 指令的参数寄存器超过 5 个",
    ),
}
_CLASS_LEVEL = {
    "class_data_out_of_range",
    "class_data_truncated",
    "bad_method_idx",
    "bad_field_idx",
    "too_many_members",
}


class DexFile:
    """A parsed DEX file. Build it with :meth:`parse`."""

    def __init__(
        self, data: bytes, name: str, header: DexHeader, pools: Pools, diags: Diagnostics
    ) -> None:
        self.data = data
        self.name = name
        self.header = header
        self.pools = pools
        self.diags = diags
        self._broken_code: set[int] = set()  # code_off of code items reported as broken
        self._broken_lock = threading.Lock()
        self.classes: list[ClassDef] = []
        self._methods: memoryview | array = _u32(b"")
        self._fields: memoryview | array = _u32(b"")
        self._insn_counts: memoryview | array = _u32(b"")
        self.refs = CodeRefs(
            {k: b"" for k in (INVOKES, STRINGS, FIELD_READS, FIELD_WRITES, TYPES)}, {}
        )
        self._by_method_idx: array | None = None

    # ---- parsing ---------------------------------------------------------------------

    @classmethod
    def parse(
        cls,
        data: bytes,
        name: str,
        diags: Diagnostics,
        limits: Limits = DEFAULT_LIMITS,
        section_off: int = 0,
        scan: bool = True,
    ) -> DexFile:
        """Parse ``data``; FormatError only when the header itself is unusable."""
        if len(data) > limits.max_dex_size:
            raise FormatError(
                f"DEX file of {len(data)} bytes is over the limit of {limits.max_dex_size}",
                f"DEX 文件大小 {len(data)} 字节超过上限 {limits.max_dex_size}",
                code="dex.too_large",
            )
        data = bytes(data)
        header = parse_header(data, name, diags, section_off)
        check_integrity(data, header, name, diags)
        sizes = checked_tables(data, header, name, diags)
        dex = cls(data, name, header, Pools(data, header, sizes, name, diags), diags)
        dex._read_classes(sizes)
        if scan:
            dex._scan()
        return dex

    def _read_classes(self, sizes: dict[str, int]) -> None:
        h, n_defs = self.header, sizes["class_defs"]
        crecs, mrecs, frecs, problems, total = _dexcore.parse_classes(
            self.data, h.class_defs_off, n_defs, sizes["method_ids"], sizes["field_ids"]
        )
        self._methods = _u32(mrecs)
        self._fields = _u32(frecs)
        self._method_bytes = mrecs
        self._report(problems, total)
        members = _u32(crecs)
        p = self.pools
        rows = struct.iter_unpack(
            "<8I", self.data[h.class_defs_off : h.class_defs_off + 32 * n_defs]
        )
        for i, (cidx, flags, sup, ifaces, src, _ann, _cd, _sv) in enumerate(rows):
            b = i * CREC
            self.classes.append(
                ClassDef(
                    self,
                    i,
                    p.type_desc(cidx),
                    flags,
                    None if sup == NO_INDEX else p.type_desc(sup),
                    p.type_list(ifaces),
                    None if src == NO_INDEX else p.string(src),
                    tuple(members[b : b + CREC]),  # type: ignore[arg-type]
                )
            )

    def _scan(self) -> None:
        p = self.pools
        budget = max(len(self.data) // 2, 1)  # code units a file of this size can hold
        inv, strs, freads, fwrites, types, counts, problems, total = _dexcore.scan(
            self.data,
            self._method_bytes,
            p.n_strings,
            p.n_types,
            p.n_fields,
            p.n_methods,
            p.n_protos,
            0,
            0,
            budget,
        )
        self._insn_counts = _u32(counts)
        self.refs = CodeRefs(
            {INVOKES: inv, STRINGS: strs, FIELD_READS: freads, FIELD_WRITES: fwrites, TYPES: types},
            {
                INVOKES: p.n_methods,
                STRINGS: p.n_strings,
                FIELD_READS: p.n_fields,
                FIELD_WRITES: p.n_fields,
                TYPES: p.n_types,
            },
        )
        self._report(problems, total)

    def _report(self, problems: list[tuple[str, int, int, int, int]], total: int) -> None:
        for kind, rec, pos, value, op in problems:
            code, level, en, zh = _PROBLEMS[kind]
            if kind in _CLASS_LEVEL:
                where = self._class_desc(rec)
                detail = {"class": where, "position": pos, "value": value}
            else:
                where = str(self.method_ref(self.method_def(rec).method_idx))
                detail = {"method": where, "offset": pos, "value": value}
                if kind == "bad_index":
                    detail["opcode"] = OPCODES[op][0]
            getattr(self.diags, level)(
                code, self.name, f"{where}: {en}", f"{where}：{zh}", **detail
            )
        if total > len(problems):
            self.diags.error(
                "dex.more_problems",
                self.name,
                f"{total - len(problems)} more problems of the same kinds not listed",
                f"另有 {total - len(problems)} 个同类问题未列出",
                count=total - len(problems),
            )

    def _class_desc(self, class_def: int) -> str:
        off = self.header.class_defs_off + 32 * class_def
        (cidx,) = struct.unpack_from("<I", self.data, off)
        return self.pools.type_desc(cidx)

    # ---- pools (shortcuts) -------------------------------------------------------------

    def string(self, idx: int) -> str:
        return self.pools.string(idx)

    def type_desc(self, idx: int) -> str:
        return self.pools.type_desc(idx)

    def method_ref(self, idx: int) -> MethodRef:
        return self.pools.method_ref(idx)

    # ---- members -----------------------------------------------------------------------

    @property
    def method_count(self) -> int:
        return len(self._methods) // MREC

    @property
    def field_count(self) -> int:
        return len(self._fields) // FREC

    @property
    def method_table(self) -> memoryview | array:
        """The method records as one flat u32 sequence, METHOD_RECORD numbers per record:
        class_def, method_idx, access_flags, code_off, virtual (what :meth:`method_def`
        reads)."""
        return self._methods

    def method_def(self, record: int) -> MethodDef:
        b = record * MREC
        m = self._methods
        return MethodDef(record, m[b + 1], m[b + 2], m[b + 3], bool(m[b + 4]), m[b])

    def field_def(self, record: int) -> FieldDef:
        b = record * FREC
        f = self._fields
        return FieldDef(record, f[b + 1], f[b + 2], bool(f[b + 3]), f[b])

    def iter_methods(self) -> Iterator[MethodDef]:
        for r in range(self.method_count):
            yield self.method_def(r)

    def method_by_idx(self, method_idx: int) -> MethodDef | None:
        """The definition of ``method_idx`` in this file (None if only referenced)."""
        if self._by_method_idx is None:
            table = array("i", [-1]) * self.pools.n_methods
            m = self._methods
            for r in range(self.method_count):
                table[m[r * MREC + 1]] = r
            self._by_method_idx = table
        if not 0 <= method_idx < len(self._by_method_idx):
            return None
        r = self._by_method_idx[method_idx]
        return None if r < 0 else self.method_def(r)

    def instruction_count(self, method: MethodDef | None = None) -> int:
        """Instructions (payloads included, as dexdump lists them) of one method or all."""
        if method is None:
            return sum(self._insn_counts)
        return self._insn_counts[method.record] if method.record < len(self._insn_counts) else 0

    # ---- code ------------------------------------------------------------------------

    def code_item(self, method: MethodDef) -> CodeItem | None:
        """The method's code item; None if it has none or it is broken.

        A broken code item (try items past the end of the file...) is reported here, once
        per method and naming this file, and the method is treated as having no code: the
        error must not escape into the check or analysis that happened to ask first.
        """
        if not method.code_off:
            return None
        try:
            return parse_code_item(self.data, method.code_off, self.pools)
        except FormatError as exc:
            with self._broken_lock:
                first = method.code_off not in self._broken_code
                self._broken_code.add(method.code_off)
            if first:
                ref = self.method_ref(method.method_idx)
                self.diags.error(
                    "dex.bad_code_item",
                    self.name,
                    f"{ref.class_desc}->{ref.name}: code not analysed: {exc.en}",
                    f"{ref.class_desc}->{ref.name}：代码未分析：{exc.zh}",
                    method=f"{ref.class_desc}->{ref.name}{ref.proto}",
                    code_off=method.code_off,
                )
            return None

    def iter_instructions(self, method: MethodDef) -> Iterator[Instruction]:
        code = self.code_item(method)
        if code is None:
            return iter(())
        return iter_code(self, code.insns_off, code.insns_size)

    def line_table(self, method: MethodDef) -> LineTable | None:
        """Source positions and local names of ``method`` (lazily decoded, bounded cache)."""
        return debuginfo.line_table(self, method)

    def disassemble(self, method: MethodDef, start: int = 0, end: int | None = None) -> str:
        """dexdump-like text of the instructions in [start, end) (offsets in code units)."""
        code = self.code_item(method)
        if code is None:
            return ""
        lines = [
            format_instruction(i)
            for i in iter_code(self, code.insns_off, code.insns_size, start, end)
        ]
        return "\n".join(lines)

    # ---- code index ------------------------------------------------------------------

    def call_sites(self, method_idx: int) -> list[Ref]:
        """Invocations of ``method_idx`` (caller method_idx, offset, target, opcode)."""
        return self.refs.refs_to(INVOKES, method_idx)

    def string_refs(self, string_idx: int) -> list[Ref]:
        return self.refs.refs_to(STRINGS, string_idx)

    def field_reads(self, field_idx: int) -> list[Ref]:
        return self.refs.refs_to(FIELD_READS, field_idx)

    def field_writes(self, field_idx: int) -> list[Ref]:
        return self.refs.refs_to(FIELD_WRITES, field_idx)

    def type_refs(self, type_idx: int) -> list[Ref]:
        return self.refs.refs_to(TYPES, type_idx)

    # ---- per method (forward) -----------------------------------------------------------

    def invokes_in(self, method_idx: int) -> list[Ref]:
        """Methods invoked by ``method_idx``: (caller, offset, callee method_idx, opcode)."""
        return self.refs.refs_from(INVOKES, method_idx, self.pools.n_methods)

    def strings_in(self, method_idx: int) -> list[Ref]:
        """const-string / const-string/jumbo loads in the method (target: string_idx)."""
        return self.refs.refs_from(STRINGS, method_idx, self.pools.n_methods)

    def field_reads_in(self, method_idx: int) -> list[Ref]:
        return self.refs.refs_from(FIELD_READS, method_idx, self.pools.n_methods)

    def field_writes_in(self, method_idx: int) -> list[Ref]:
        return self.refs.refs_from(FIELD_WRITES, method_idx, self.pools.n_methods)

    def types_in(self, method_idx: int) -> list[Ref]:
        """new-instance, const-class, check-cast, instance-of, new-array types in the method."""
        return self.refs.refs_from(TYPES, method_idx, self.pools.n_methods)

    def __repr__(self) -> str:
        return f"<DexFile {self.name} v{self.header.version:03d} {len(self.classes)} classes>"
