"""Class definitions and the methods and fields they define.

Per class there is one light object; the members stay in the flat record tables the C
core filled (``_dexcore.parse_classes``) and :class:`MethodDef` / :class:`FieldDef` tuples
are made only when someone asks for them, so an app with 100k methods does not keep
100k Python objects alive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .dexfile import DexFile

NO_INDEX = 0xFFFFFFFF

ACC_PUBLIC = 0x1
ACC_PRIVATE = 0x2
ACC_PROTECTED = 0x4
ACC_STATIC = 0x8
ACC_FINAL = 0x10
ACC_ABSTRACT = 0x400
ACC_INTERFACE = 0x200
ACC_NATIVE = 0x100
ACC_CONSTRUCTOR = 0x10000


class MethodDef(NamedTuple):
    """One encoded_method of a class_data_item."""

    record: int  # position in the DexFile's method record table
    method_idx: int
    access_flags: int
    code_off: int  # 0 for abstract and native methods
    virtual: bool
    class_def: int  # index into DexFile.classes


class FieldDef(NamedTuple):
    """One encoded_field of a class_data_item."""

    record: int
    field_idx: int
    access_flags: int
    instance: bool
    class_def: int


class ClassDef:
    """One class_def_item with its names resolved."""

    __slots__ = (
        "_dex",
        "_members",
        "access_flags",
        "descriptor",
        "index",
        "interfaces",
        "source_file",
        "superclass",
    )

    def __init__(
        self,
        dex: DexFile,
        index: int,
        descriptor: str,
        access_flags: int,
        superclass: str | None,
        interfaces: tuple[str, ...],
        source_file: str | None,
        members: tuple[int, int, int, int, int, int],
    ) -> None:
        self._dex = dex
        self.index = index
        self.descriptor = descriptor
        self.access_flags = access_flags
        self.superclass = superclass
        self.interfaces = interfaces
        self.source_file = source_file
        # (first method record, n_direct, n_virtual, first field record, n_static, n_instance)
        self._members = members

    @property
    def direct_methods(self) -> list[MethodDef]:
        first, n_direct, _, _, _, _ = self._members
        return [self._dex.method_def(r) for r in range(first, first + n_direct)]

    @property
    def virtual_methods(self) -> list[MethodDef]:
        first, n_direct, n_virtual, _, _, _ = self._members
        start = first + n_direct
        return [self._dex.method_def(r) for r in range(start, start + n_virtual)]

    @property
    def methods(self) -> list[MethodDef]:
        first, n_direct, n_virtual, _, _, _ = self._members
        return [self._dex.method_def(r) for r in range(first, first + n_direct + n_virtual)]

    @property
    def static_fields(self) -> list[FieldDef]:
        _, _, _, first, n_static, _ = self._members
        return [self._dex.field_def(r) for r in range(first, first + n_static)]

    @property
    def instance_fields(self) -> list[FieldDef]:
        _, _, _, first, n_static, n_instance = self._members
        start = first + n_static
        return [self._dex.field_def(r) for r in range(start, start + n_instance)]

    @property
    def method_records(self) -> range:
        """Positions of the class's methods (direct, then virtual) in the DexFile's method
        record table (:meth:`DexFile.method_table`), for passes that read the records
        without a :class:`MethodDef` per method."""
        first, n_direct, n_virtual, _, _, _ = self._members
        return range(first, first + n_direct + n_virtual)

    @property
    def method_count(self) -> int:
        return self._members[1] + self._members[2]

    def __repr__(self) -> str:
        return f"<ClassDef {self.descriptor} in {self._dex.name}>"
