"""Every Dalvik instruction format, payload and index kind, from smali sources built here.

``smali a --api 28`` turns the source below into a DEX 039 file; the decoder must agree
with dexdump on every mnemonic and with the source on every operand, and the code index
must find each reference at its bytecode offset.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.dex import DexFile, DexSet, _dexcore
from mobsec.ingest.dex.disasm import OPCODES

pytestmark = [
    pytest.mark.toolchain,
    pytest.mark.skipif(shutil.which("smali") is None, reason="smali not installed"),
]

SOURCE = r""".class public LAll;
.super Ljava/lang/Object;
.implements Ljava/lang/Runnable;
.source "All.java"

.field static sf:I
.field public f:Ljava/lang/String;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public run()V
    .registers 2
    const-string v0, "Ünïcödé \u0000 nul 😀"
    sput-object v0, LAll;->f:Ljava/lang/String;
    return-void
.end method

.method public static formats(I[I)J
    .registers 300
    nop
    move v1, v2
    const/4 v0, -3
    move-result v3
    const/16 v4, -1234
    const/high16 v5, 0x7f010000
    const-wide/high16 v6, 0x4000000000000000L
    const v8, 0x12345678
    const-wide v10, 0x123456789abcdefL
    const-wide/16 v12, 7
    const-wide/32 v14, -100000
    const-string v16, "hello"
    const-string/jumbo v17, "jumbo"
    const-class v18, Ljava/lang/String;
    move/from16 v19, v256
    move/16 v257, v258
    move-wide v0, v2
    move-object v2, v3
    add-int v22, v23, v24
    aget v25, v26, v27
    add-int/lit8 v28, v29, -5
    add-int/lit16 v3, v4, 1000
    rsub-int v3, v4, 7
    iget-object v0, v5, LAll;->f:Ljava/lang/String;
    iput-object v0, v5, LAll;->f:Ljava/lang/String;
    sget v1, LAll;->sf:I
    sput v1, LAll;->sf:I
    instance-of v2, v0, Ljava/lang/String;
    check-cast v0, Ljava/lang/String;
    new-instance v3, LAll;
    new-array v4, v1, [I
    filled-new-array {v1, v2, v3}, [I
    filled-new-array/range {v1 .. v5}, [I
    invoke-static/range {v1 .. v5}, LAll;->five(IIIII)V
    invoke-virtual {v3}, LAll;->run()V
    invoke-interface {v3}, Ljava/lang/Runnable;->run()V
    if-eqz v1, :end
    if-eq v1, v2, :end
    goto :mid
    :mid
    goto/16 :mid2
    :mid2
    goto/32 :sw
    :sw
    packed-switch v1, :pswitch
    sparse-switch v1, :sswitch
    fill-array-data v4, :arr
    :end
    const-wide v0, 1L
    return-wide v0
    :pswitch
    .packed-switch 10
        :end
        :mid
        :mid2
    .end packed-switch
    :sswitch
    .sparse-switch
        -5 -> :end
        100 -> :mid
    .end sparse-switch
    :arr
    .array-data 4
        1 2 3
    .end array-data
.end method

.method public static five(IIIII)V
    .registers 5
    throw v0
.end method

.method public static handles(Ljava/lang/invoke/MethodHandle;)V
    .registers 8
    const-method-handle v0, invoke-static@LAll;->five(IIIII)V
    const-method-type v1, (II)I
    invoke-polymorphic {p0, v1, v2}, @MH@->invoke(@OBJS@)Ljava/lang/Object;, (II)V
    invoke-polymorphic/range {p0 .. p0}, @MH@->invokeExact(@OBJS@)Ljava/lang/Object;, ()V
    invoke-custom {v1}, call_site_0("doIt", (I)V, "extra")@@BOOT@
    invoke-custom/range {v1 .. v1}, call_site_0("doIt", (I)V, "extra")@@BOOT@
    :try_start
    invoke-static {}, LAll;->handles2()V
    :try_end
    .catch Ljava/lang/RuntimeException; {:try_start .. :try_end} :h
    .catchall {:try_start .. :try_end} :h
    :h
    return-void
.end method

.method public static handles2()V
    .registers 0
    return-void
.end method

.method public static boot(@BOOTARGS@)Ljava/lang/invoke/CallSite;
    .registers 4
    const/4 v0, 0
    return-object v0
.end method

.method public native nat()V
.end method
"""

BOOTARGS = (
    "Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
    "Ljava/lang/invoke/MethodType;Ljava/lang/String;"
)
SOURCE = (
    SOURCE.replace("@BOOT@", f"LAll;->boot({BOOTARGS})Ljava/lang/invoke/CallSite;")
    .replace("@BOOTARGS@", BOOTARGS)
    .replace("@MH@", "Ljava/lang/invoke/MethodHandle;")
    .replace("@OBJS@", "[Ljava/lang/Object;")
)

SECOND = r""".class public LAll;
.super Ljava/lang/Thread;
.method public run()V
    .registers 1
    const-string v0, "shadowed"
    return-void
.end method
"""

CALLER = r""".class public LCaller;
.super Ljava/lang/Object;
.method public static go()V
    .registers 1
    invoke-static {}, LAll;->handles2()V
    const-string v0, "hello"
    return-void
.end method
"""


def smali(tmp: Path, name: str, sources: dict[str, str]) -> Path:
    src = tmp / f"{name}-src"
    src.mkdir()
    for file, text in sources.items():
        (src / file).write_text(text, encoding="utf-8")
    out = tmp / f"{name}.dex"
    subprocess.run(
        ["smali", "a", "--api", "28", "-o", str(out), str(src)], check=True, capture_output=True
    )
    return out


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("dex-smali")
    return {
        "all": smali(tmp, "all", {"All.smali": SOURCE}),
        "second": smali(tmp, "second", {"All.smali": SECOND, "Caller.smali": CALLER}),
    }


@pytest.fixture(scope="session")
def dex(built: dict[str, Path]) -> DexFile:
    diags = Diagnostics()
    d = DexFile.parse(built["all"].read_bytes(), "classes.dex", diags)
    assert not list(diags), [str(x) for x in diags]
    return d


def method(dex: DexFile, name: str):
    (cls,) = [c for c in dex.classes if c.descriptor == "LAll;"]
    (m,) = [m for m in cls.methods if dex.method_ref(m.method_idx).name == name]
    return m


def test_c_core_is_built_and_used():
    assert _dexcore.__file__.endswith((".so", ".pyd"))
    assert len(OPCODES) == 256
    assert OPCODES[0x6E][:3] == ("invoke-virtual", "35c", "method")
    assert OPCODES[0xFA][:2] == ("invoke-polymorphic", "45cc")


def test_every_format_is_covered(dex: DexFile):
    formats = {i.format for m in dex.iter_methods() for i in dex.iter_instructions(m)}
    everything = {fmt for _, fmt, _, _ in OPCODES} | {"payload"}
    assert everything - formats == set()
    payloads = {
        i.mnemonic
        for m in dex.iter_methods()
        for i in dex.iter_instructions(m)
        if i.payload is not None
    }
    assert payloads == {"packed-switch-data", "sparse-switch-data", "array-data"}


@pytest.mark.skipif(shutil.which("dexdump") is None, reason="dexdump not installed")
def test_mnemonics_match_dexdump(built: dict[str, Path], dex: DexFile):
    out = subprocess.run(["dexdump", "-d", str(built["all"])], capture_output=True, check=True)
    theirs: dict[str, list[tuple[int, str]]] = {}
    current: list[tuple[int, str]] = []
    for line in out.stdout.decode("utf-8", "replace").splitlines():
        m = re.match(r"^[0-9a-f]{6}: [^|]*\|([0-9a-f]{4}): ([\w\-/]+)", line)
        if m:
            current.append((int(m.group(1), 16), m.group(2)))
            continue
        m = re.match(r"^[0-9a-f]{6}:\s+\|\[[0-9a-f]{6}\] All\.(\w+|<init>):", line)
        if m:
            current = theirs.setdefault(m.group(1), [])
    for m in dex.iter_methods():
        name = dex.method_ref(m.method_idx).name
        if m.code_off:
            assert [(i.offset, i.mnemonic) for i in dex.iter_instructions(m)] == theirs[name]


def test_operands(dex: DexFile):
    insns = {i.offset: i for i in dex.iter_instructions(method(dex, "formats"))}
    assert insns[0x2].literal == -3
    assert insns[0x4].literal == -1234
    assert insns[0x6].literal == 0x7F010000
    assert insns[0x8].literal == 0x4000000000000000
    assert insns[0xA].literal == 0x12345678
    assert insns[0xD].literal == 0x123456789ABCDEF
    assert insns[0x14].literal == -100000
    assert insns[0x17].ref == "hello" and insns[0x19].ref == "jumbo"
    assert insns[0x1C].ref == "Ljava/lang/String;"
    assert insns[0x1E].registers == (19, 256)
    assert insns[0x20].registers == (257, 258)
    assert insns[0x25].registers == (22, 23, 24)
    assert insns[0x29].registers == (28, 29) and insns[0x29].literal == -5
    assert insns[0x2F].ref == "LAll;->f:Ljava/lang/String;"
    assert insns[0x3F].registers == (1, 2, 3)
    assert insns[0x42].registers == (1, 2, 3, 4, 5) and insns[0x42].is_range
    assert insns[0x45].ref == "LAll;->five(IIIII)V"
    assert insns[0x4E].target == 0x61
    assert insns[0x52].target == 0x53 and insns[0x53].target == 0x55
    assert insns[0x55].target == 0x58
    packed = insns[0x68].payload
    assert packed == (10, (0x61 - 0x58, 0x53 - 0x58, 0x55 - 0x58))
    assert insns[0x72].payload == ((-5, 100), (0x61 - 0x5B, 0x53 - 0x5B))
    assert insns[0x7C].payload == (4, 3, bytes([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]))
    handles = {i.offset: i for i in dex.iter_instructions(method(dex, "handles"))}
    assert handles[0x2].ref == "(II)I"
    assert handles[0x4].mnemonic == "invoke-polymorphic"
    assert handles[0x4].ref == (
        "Ljava/lang/invoke/MethodHandle;->invoke([Ljava/lang/Object;)Ljava/lang/Object;, (II)V"
    )
    assert handles[0x4].registers == (7, 1, 2)
    assert handles[0x8].registers == (7,) and handles[0x8].is_range
    assert handles[0xC].mnemonic == "invoke-custom" and handles[0xC].ref == "call_site@0"


def test_strings_and_classes(dex: DexFile):
    run = {i.offset: i for i in dex.iter_instructions(method(dex, "run"))}
    assert run[0].ref == "Ünïcödé \x00 nul \U0001f600"
    (cls,) = dex.classes
    assert cls.superclass == "Ljava/lang/Object;"
    assert cls.interfaces == ("Ljava/lang/Runnable;",)
    assert cls.source_file == "All.java"
    assert [dex.pools.field_ref(f.field_idx).name for f in cls.static_fields] == ["sf"]
    assert [dex.pools.field_ref(f.field_idx).name for f in cls.instance_fields] == ["f"]
    assert len(cls.direct_methods) == 6 and len(cls.virtual_methods) == 2
    nat = method(dex, "nat")
    assert nat.code_off == 0 and dex.code_item(nat) is None
    code = dex.code_item(method(dex, "handles"))
    assert code.registers_size == 8 and code.ins_size == 1
    (block,) = code.tries
    assert [h.type_desc for h in block.handlers] == ["Ljava/lang/RuntimeException;", None]
    assert dex.pools.find_string("jumbo") is not None
    assert dex.pools.find_string("nope") is None
    assert dex.pools.proto(dex.pools.find_method_ids("LAll;", "five")[0]) is not None


def test_code_index(dex: DexFile):
    p = dex.pools
    (five,) = p.find_method_ids("LAll;", "five", "(IIIII)V")
    formats = method(dex, "formats").method_idx
    assert [(r.caller, r.offset) for r in dex.call_sites(five)] == [(formats, 0x45)]
    assert [(r.caller, r.offset) for r in dex.string_refs(p.find_string("jumbo"))] == [
        (formats, 0x19)
    ]
    (f,) = p.find_field_ids("LAll;", "f")
    assert [r.offset for r in dex.field_reads(f)] == [0x2F]
    assert sorted(r.offset for r in dex.field_writes(f)) == [0x2, 0x31]
    ops = sorted(OPCODES[r.opcode][0] for r in dex.type_refs(p.find_type("[I")))
    assert ops == ["filled-new-array", "filled-new-array/range", "new-array"]
    poly = p.find_method_ids("Ljava/lang/invoke/MethodHandle;")
    assert sorted(r.offset for m in poly for r in dex.call_sites(m)) == [0x4, 0x8]


def test_disassemble_excerpt(dex: DexFile):
    text = dex.disassemble(method(dex, "formats"), 0x45, 0x4E)
    assert text.splitlines() == [
        "0045: invoke-static/range {v1 .. v5}, LAll;->five(IIIII)V",
        "0048: invoke-virtual {v3}, LAll;->run()V",
        "004b: invoke-interface {v3}, Ljava/lang/Runnable;->run()V",
    ]


def test_dexset_first_definition_wins(built: dict[str, Path]):
    diags = Diagnostics()
    files = [
        ("classes2.dex", built["second"].read_bytes()),
        ("classes.dex", built["all"].read_bytes()),
    ]
    dexes = DexSet.parse(files, diags)
    assert [d.name for d in dexes.dexes] == ["classes.dex", "classes2.dex"]
    winner, cls = dexes.find_class("LAll;")
    assert winner.name == "classes.dex" and cls.superclass == "Ljava/lang/Object;"
    assert "dex.duplicate_class" in diags.codes()
    # the shadowed LAll;->run in classes2.dex is dead code; Caller's refs are live
    assert dexes.string_refs("shadowed") == []
    sites = dexes.call_sites("LAll;", "handles2")
    assert sorted((s.dex.name, s.caller.class_desc, s.offset) for s in sites) == [
        ("classes.dex", "LAll;", 0x12),
        ("classes2.dex", "LCaller;", 0),
    ]
    assert {s.dex.name for s in dexes.string_refs("hello")} == {"classes.dex", "classes2.dex"}
    assert dexes.superclasses("LAll;") == ["Ljava/lang/Object;"]
    assert dexes.is_subtype("LAll;", "Ljava/lang/Runnable;")
    assert dexes.subclasses("Ljava/lang/Runnable;") == ["LAll;"]
