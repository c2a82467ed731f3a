"""DEX reader: header, pools, classes, code items, instruction decoder and code index.

The hot loops are in the C extension :mod:`mobsec.ingest.dex._dexcore` (built by
``setup.py``); this package is the Python API around it.
"""

from .classes import ClassDef, FieldDef, MethodDef
from .code import CodeItem, Handler, TryBlock
from .dexfile import DexFile
from .dexset import CodeSite, DexSet, android_order
from .disasm import Instruction, format_instruction
from .header import DexHeader
from .index import Ref
from .pools import FieldRef, MethodRef, Proto

__all__ = [
    "ClassDef",
    "CodeItem",
    "CodeSite",
    "DexFile",
    "DexHeader",
    "DexSet",
    "FieldDef",
    "FieldRef",
    "Handler",
    "Instruction",
    "MethodDef",
    "MethodRef",
    "Proto",
    "Ref",
    "TryBlock",
    "android_order",
    "format_instruction",
]
