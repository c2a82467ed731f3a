"""The class files of an SDK as DEX files: the code facts and checks then run unchanged.

Each class is translated (:mod:`.translate`) and written (:mod:`.dexwriter`) into as many
DEX files as the 65535-id limits need, then parsed by the ordinary DEX reader. Every
translated method keeps its way back to the class file (:class:`JvmOrigin`), so a finding
names the class file, the JVM bytecode offset, the Java source line and shows the JVM
instructions, not the translation.
"""

from __future__ import annotations

from dataclasses import dataclass

from mobsec.diagnostics import Diagnostics, FormatError
from mobsec.ingest.dex import DexFile, DexSet
from mobsec.limits import DEFAULT_LIMITS, Limits

from .classfile import ClassInfo, MethodInfo
from .dexwriter import (
    MAX_IDS,
    METHOD_DESC,
    TYPE_DESC,
    DexClass,
    DexMethod,
    _collect,
    _Pools,
    build_dex,
)
from .jar import JvmCode
from .translate import Translated, Untranslatable, translate

CLASS_FLAGS = 0x0001 | 0x0010 | 0x0200 | 0x0400 | 0x1000 | 0x2000 | 0x4000
MAX_DIAGNOSTICS = 20  # untranslated methods reported one by one; the rest are counted
ID_BUDGET = MAX_IDS - 2000  # room for the last class added to a DEX


@dataclass(frozen=True, slots=True)
class JvmOrigin:
    file: str  # class file path in the package ("classes.jar!/com/x/Y.class")
    cls: ClassInfo
    method: MethodInfo
    translated: Translated


class JvmDexFile(DexFile):
    """A DEX made from class files; ``origins`` maps its method_ids back to them."""

    origins: dict[int, JvmOrigin]


@dataclass
class Translation:
    dex: DexSet
    methods: int = 0
    translated: int = 0
    untranslated: int = 0


def to_dex(code: JvmCode, diags: Diagnostics, limits: Limits = DEFAULT_LIMITS) -> Translation:
    """Translate every class of ``code`` and parse the DEX files written from them."""
    chunks: list[list[tuple[DexClass, dict[tuple[str, str], JvmOrigin]]]] = [[]]
    pools = _Pools()
    chunk_pools = [pools]
    result = Translation(DexSet([], diags))
    for file, cls in code.classes.values():
        names = [cls.name, *([cls.superclass] if cls.superclass else []), *cls.interfaces]
        if not all(TYPE_DESC.fullmatch(n) and n.startswith("L") for n in names):
            diags.error(
                "jvm.bad_class",
                file,
                "malformed class name in this class file; its code is not analysed",
                "类文件中的类名格式错误,未分析其代码",
            )
            continue
        dc, origins = _dex_class(file, cls, diags, result)
        _collect(pools, dc)
        full = max(len(pools.strings), len(pools.types), len(pools.fields), len(pools.methods))
        if full > ID_BUDGET and chunks[-1]:
            chunks.append([])
            pools = _Pools()
            chunk_pools.append(pools)
            _collect(pools, dc)
        chunks[-1].append((dc, origins))
    dexes: list[DexFile] = []
    for i, (chunk, p) in enumerate((c, p) for c, p in zip(chunks, chunk_pools, strict=True) if c):
        # a chunk's pools hold the first class of the next chunk too when it was split
        data, method_ids = build_dex([dc for dc, _ in chunk], p if len(chunks) == 1 else None)
        name = f"jvm-classes{i + 1 if i else ''}.dex"
        try:
            dex = JvmDexFile.parse(data, name, diags, limits)
        except FormatError as e:  # over the DEX size limit: the code is not analysed
            diags.error(
                "jvm.not_translated",
                name,
                f"the translated code cannot be analysed: {e.en}",
                f"转换后的代码无法分析:{e.zh}",
            )
            continue
        dex.origins = {
            method_ids[(dc.name, n, d)]: o for dc, origins in chunk for (n, d), o in origins.items()
        }
        dexes.append(dex)
    result.dex = DexSet(dexes, diags)
    return result


def _dex_class(
    file: str, cls: ClassInfo, diags: Diagnostics, result: Translation
) -> tuple[DexClass, dict[tuple[str, str], JvmOrigin]]:
    fields, seen = [], set()
    for f in cls.fields:
        if not TYPE_DESC.fullmatch(f.desc):
            continue  # a forged field type: not a member the code can name either
        if (f.name, f.desc) not in seen:  # a forged duplicate would break the class data
            seen.add((f.name, f.desc))
            fields.append((f.name, f.desc, f.access & 0xFFFF))
    dc = DexClass(
        cls.name,
        cls.access & CLASS_FLAGS,
        cls.superclass,
        list(dict.fromkeys(cls.interfaces)),
        cls.source_file,
        fields,
    )
    origins: dict[tuple[str, str], JvmOrigin] = {}
    declared: set[tuple[str, str]] = set()
    for m in cls.methods:
        key = (m.name, m.desc)
        if key in declared or not METHOD_DESC.fullmatch(m.desc):
            continue  # a forged duplicate or descriptor: not a method the DEX can hold
        declared.add(key)
        result.methods += 1
        code = None
        if m.bytecode:
            try:
                t = translate(cls, m)
            except Untranslatable as e:
                result.untranslated += 1
                if result.untranslated <= MAX_DIAGNOSTICS:
                    diags.info(
                        "jvm.untranslated_method",
                        file,
                        f"method {m.name}{m.desc} is not analysed: {e}",
                        f"方法 {m.name}{m.desc} 未分析:{e}",
                    )
            else:
                result.translated += 1
                code = t.code
                origins[key] = JvmOrigin(file, cls, m, t)
        dc.methods.append(DexMethod(m.name, m.desc, m.access & 0xFFFF, code))
    return dc, origins
