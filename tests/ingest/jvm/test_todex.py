"""Class files translated to DEX (mobsec.ingest.jvm.todex): the translated code holds the
same facts as ``javap -c -p -l`` shows (every invoke, field access, ``new`` and string
``ldc`` at its JVM offset, every line), on the corpus JARs and javac-built fixtures; hostile
bytecode (fuzzed, ``jsr``, a stack deeper than the register frame, a bomb entry) gives a
bounded, named diagnostic, never an exception, and never a DEX our reader finds broken."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import CORPUS
from tests.fixtures.sdkbuild import SDKS, build_jar
from tests.ingest.jvm.test_javap import _MNEMONIC, _SIMPLE_STRING, _internal, _javap

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.archive import Archive
from mobsec.ingest.jvm import ClassFormatError, JvmCode, parse_class
from mobsec.ingest.jvm.todex import JvmDexFile, to_dex

JARS = sorted((CORPUS / "formats" / "jar").glob("*.jar"))
FUZZ = settings(max_examples=150, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])
INVOKES = range(0x74, 0x79)
FIELDS = range(0x52, 0x6E)


def _code(jar: Path) -> tuple[JvmCode, Diagnostics]:
    diags = Diagnostics()
    code = JvmCode()
    with Archive.open(jar.read_bytes(), diags, display_name=jar.name) as arch:
        code.add_jar(arch, "", diags)
    return code, diags


def _translated_refs(dex: JvmDexFile) -> dict[str, tuple[Counter, Counter]]:
    """Per class (Java name): (offset, javap mnemonic, member) of the translated code's
    references, mapped back to JVM offsets, and the (pc, line) pairs of its line table."""
    out: dict[str, tuple[Counter, Counter]] = {}
    for method_idx, o in dex.origins.items():
        refs, lines = out.setdefault(o.cls.name[1:-1].replace("/", "."), (Counter(), Counter()))
        method = dex.method_by_idx(method_idx)
        assert method is not None
        table = dex.line_table(method)
        seen_lines = set()
        for pc, line in zip(*((table.addresses, table.lines) if table else ((), ())), strict=True):
            seen_lines.add((o.translated.jvm_pc(pc), line))
        lines.update(seen_lines)
        for insn in dex.iter_instructions(method):
            jvm = o.translated.jvm_pc(insn.offset)
            assert jvm is not None
            mn = _MNEMONIC.get(o.method.bytecode[jvm])
            if insn.opcode in INVOKES:
                ref = dex.method_ref(insn.index)
                owner, name, desc = ref.class_desc, ref.name, ref.proto
            elif insn.opcode in FIELDS:
                f = dex.pools.field_ref(insn.index)
                owner, name, desc = f.class_desc, f.name, f.type_desc
            elif insn.opcode == 0x1A and _SIMPLE_STRING.fullmatch(insn.ref or ""):
                refs[(jvm, mn, (insn.ref or "").rstrip())] += 1
                continue
            elif insn.opcode == 0x22:
                refs[(jvm, mn, _internal(dex.type_desc(insn.index)))] += 1
                continue
            else:
                continue
            own = "" if owner == o.cls.name else _internal(owner) + "."
            shown = f'"{name}"' if name.startswith("<") else name
            refs[(jvm, mn, f"{own}{shown}:{desc}")] += 1
    return out


def _check(jar: Path) -> int:
    code, diags = _code(jar)
    result = to_dex(code, diags)
    assert result.untranslated == 0, [d.en for d in diags]
    assert not [d for d in diags if d.level != "info"], [d.en for d in diags]
    names = sorted(c[1:-1].replace("/", ".") for c in code.classes)
    want = _javap(jar, names)
    got: dict[str, tuple[Counter, Counter]] = {}
    for dex in result.dex.dexes:
        assert isinstance(dex, JvmDexFile)
        got.update(_translated_refs(dex))
    for name in names:
        _src, _n, refs, lines = want[name]
        ours, our_lines = got.get(name, (Counter(), Counter()))
        assert ours == refs, (name, (ours - refs).most_common(3), (refs - ours).most_common(3))
        # every line javap lists is in the translated line table at the same JVM offset
        # (javap repeats a line at each of its offsets; one entry per address is kept)
        assert set(our_lines) <= set(lines) and {ln for _, ln in lines} == {
            ln for _, ln in our_lines
        }, name
    return len(names)


@pytest.mark.corpus
@pytest.mark.parametrize("jar", JARS, ids=lambda p: p.name)
def test_corpus_translation_matches_javap(jar: Path, corpus_dir: Path) -> None:
    assert _check(jar) > 5


@pytest.mark.parametrize("name", ["unsafe", "tracker"])
def test_fixture_translation_matches_javap(name: str, tmp_path: Path) -> None:
    assert _check(build_jar(SDKS / name, tmp_path / f"{name}.jar")) >= 1


@pytest.fixture(scope="module")
def crypto_class(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    jar = build_jar(SDKS / "unsafe", tmp_path_factory.mktemp("todex") / "u.jar")
    with zipfile.ZipFile(jar) as z:
        return z.read("com/example/unsafe/Crypto.class")


def _jar(entries: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def _translate(
    data: bytes, allowed: tuple[str, ...] = ("jvm.bad_class",)
) -> tuple[int, Diagnostics]:
    diags = Diagnostics()
    code = JvmCode()
    with Archive.open(data, diags, display_name="fuzz.jar") as arch:
        code.add_jar(arch, "", diags)
    result = to_dex(code, diags)
    bad = [d for d in diags if d.level != "info" and not d.code.startswith(allowed)]
    assert not bad, [(d.code, d.en) for d in bad]  # the written DEX always reads back whole
    for dex in result.dex.dexes:
        for cls in dex.classes:
            for m in cls.methods:
                list(dex.iter_instructions(m))
    return result.untranslated, diags


@FUZZ
@given(data=st.data())
def test_fuzzed_bytecode_translates_or_is_named(crypto_class: bytes, data: st.DataObject) -> None:
    """Bytes changed inside the class (mostly inside its code): the reader refuses it, or
    every method is translated into a DEX that reads back, or left out with a reason."""
    raw = bytearray(crypto_class)
    start = len(raw) // 3  # past most of the constant pool: the methods and their code
    for _ in range(data.draw(st.integers(1, 6))):
        pos = data.draw(st.integers(start, len(raw) - 1))
        raw[pos] = data.draw(st.integers(0, 255))
    try:
        parse_class(bytes(raw))
    except ClassFormatError:
        return
    untranslated, diags = _translate(_jar({"com/example/unsafe/Crypto.class": bytes(raw)}))
    named = [d for d in diags if d.code == "jvm.untranslated_method"]
    assert len(named) == min(untranslated, 20)
    assert all(d.en.startswith("method ") and d.zh for d in named)


def _patch_first_code(cls: bytes, find: bytes, replace: bytes) -> bytes:
    at = cls.index(find)
    return cls[:at] + replace + cls[at + len(find) :]


def test_jsr_is_left_out_with_its_reason(crypto_class: bytes) -> None:
    """``token()`` is ``new Random; dup; invokespecial; invokevirtual nextInt; ireturn``:
    its ``dup`` (0x59) becomes ``jsr`` to an offset inside the code."""
    cls = parse_class(crypto_class)
    token = next(m for m in cls.methods if m.name == "token")
    patched_code = bytes([0xA8, 0x00, 0x03]) + token.bytecode[3:]  # jsr +3 over the new
    bad = _patch_first_code(crypto_class, token.bytecode, patched_code)
    untranslated, diags = _translate(_jar({"com/example/unsafe/Crypto.class": bad}))
    assert untranslated == 1
    (d,) = [d for d in diags if d.code == "jvm.untranslated_method"]
    assert d.file == "com/example/unsafe/Crypto.class" and "token()I" in d.en
    assert "0xa8" in d.en


def test_frame_larger_than_the_register_fields(tmp_path: Path) -> None:
    """200 locals and 60 nested calls (60 values on the operand stack) need more registers
    than Dalvik's 8-bit register fields address; the method is left out, named, and the
    rest of the class translated."""
    src = tmp_path / "src" / "deep"
    src.mkdir(parents=True)
    nested = "0"
    for i in range(60):
        nested = f"add(v{i}, {nested})"
    local_vars = " ".join(f"int v{i} = {i};" for i in range(200))
    src.joinpath("Deep.java").write_text(
        "package deep;\npublic class Deep {\n"
        "  static int add(int a, int b) { return a + b; }\n"
        f"  public static int deep() {{ {local_vars} return {nested}; }}\n"
        "  public static int shallow() { return add(1, 2); }\n}\n"
    )
    jar = build_jar(tmp_path / "src", tmp_path / "deep.jar")
    untranslated, diags = _translate(jar.read_bytes())
    assert untranslated == 1
    (d,) = [d for d in diags if d.code == "jvm.untranslated_method"]
    assert "deep()I" in d.en and "registers" in d.en


def test_bomb_entry_is_refused_before_it_is_inflated(crypto_class: bytes) -> None:
    bomb = _jar(
        {"a/Bomb.class": b"\xca\xfe\xba\xbe" + bytes(300 * 1024 * 1024), "a/C.class": crypto_class},
        zipfile.ZIP_DEFLATED,
    )
    untranslated, diags = _translate(bomb, ("zip.",))
    assert untranslated == 0
    named = {d.code: d for d in diags if d.level != "info"}
    assert named and all(d.file.endswith("a/Bomb.class") for d in named.values()), named
