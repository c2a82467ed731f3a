"""The class-file reader agrees with ``javap -c -p -l`` (the JDK's own disassembler) on
every class of the corpus JARs and of a fixture built by javac: methods, source file, and
every invoke, field access and string ``ldc`` at its bytecode offset, and line numbers."""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from tests.conftest import CORPUS
from tests.fixtures.sdkbuild import SDKS, build_jar

from mobsec.ingest.jvm import ClassInfo, MemberRef, parse_class
from mobsec.ingest.jvm.bytecode import FIELD_READ, FIELD_WRITE, INVOKE, NEW, STRING

JARS = sorted((CORPUS / "formats" / "jar").glob("*.jar"))
_MNEMONIC = {
    0xB2: "getstatic",
    0xB3: "putstatic",
    0xB4: "getfield",
    0xB5: "putfield",
    0xB6: "invokevirtual",
    0xB7: "invokespecial",
    0xB8: "invokestatic",
    0xB9: "invokeinterface",
    0x12: "ldc",
    0x13: "ldc_w",
    0xBB: "new",
}
_INSN = re.compile(r"^\s+(\d+): (\w+)\s+#\d+(?:,\s+\d+)?\s+// (\w+) ?(.*)$")
_LINE = re.compile(r"^\s+line (\d+): (\d+)$")
_SIMPLE_STRING = re.compile(r"[\x20-\x7e\n\t\r]*")  # what javap prints unambiguously
_ESC = re.compile(r"\\([nrtbf'\"\\])")
_UNESC = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "'": "'", '"': '"', "\\": "\\"}


def _internal(desc: str) -> str:
    return desc[1:-1] if desc.startswith("L") else f'"{desc}"'


def _ours(cls: ClassInfo) -> tuple[Counter, Counter]:
    refs: Counter = Counter()
    lines: Counter = Counter()
    for m in cls.methods:
        lines.update(m.lines)
        for insn in m.code:
            mn = _MNEMONIC[insn.opcode]
            t = insn.target
            if insn.kind in (INVOKE, FIELD_READ, FIELD_WRITE):
                assert isinstance(t, MemberRef)
                owner = "" if t.owner == cls.name else _internal(t.owner) + "."
                name = f'"{t.name}"' if t.name.startswith("<") else t.name
                refs[(insn.offset, mn, f"{owner}{name}:{t.desc}")] += 1
            elif insn.kind == STRING and _SIMPLE_STRING.fullmatch(str(t)):
                refs[(insn.offset, mn, str(t).rstrip())] += 1  # javap drops trailing blanks
            elif insn.kind == NEW:
                own = _internal(str(t))
                refs[(insn.offset, mn, own)] += 1
    return refs, lines


def _javap(jar: Path, names: list[str]) -> dict[str, tuple[str | None, int, Counter, Counter]]:
    out = subprocess.run(
        ["javap", "-c", "-p", "-l", "-cp", str(jar), *names],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    ).stdout
    result: dict[str, tuple[str | None, int, Counter, Counter]] = {}
    source = None
    name = ""
    for line in out.splitlines():
        if line.startswith("Compiled from "):
            source = line.split('"')[1]
            continue
        if not line.startswith(" ") and "{" in line:
            head = line.split("{")[0].split(" extends ")[0].split(" implements ")[0].split()
            name = head[-1].split("<")[0]
            result[name] = (source, 0, Counter(), Counter())
            source = None
            continue
        src, n_methods, refs, lines = result.get(name, (None, 0, Counter(), Counter()))
        if (
            line.startswith("  ")
            and not line.startswith("   ")
            and line.rstrip().endswith(";")
            and "(" in line
        ):
            result[name] = (src, n_methods + 1, refs, lines)
        elif m := _INSN.match(line):
            offset, mn, kind, what = int(m[1]), m[2], m[3], m[4]
            if mn in _MNEMONIC.values() and kind in (
                "Method",
                "InterfaceMethod",
                "Field",
                "String",
                "class",
            ):
                if kind == "String":
                    what = _ESC.sub(lambda e: _UNESC[e[1]], what)  # javap escapes these
                    if not _SIMPLE_STRING.fullmatch(what):
                        continue
                if kind == "class" and mn != "new":
                    continue
                refs[(offset, mn, what.rstrip())] += 1
        elif m := _LINE.match(line):
            lines[(int(m[2]), int(m[1]))] += 1
    return result


def _check_jar(jar: Path) -> int:
    with zipfile.ZipFile(jar) as z:
        classes = {
            n[:-6].replace("/", "."): parse_class(z.read(n))
            for n in z.namelist()
            if n.endswith(".class")
        }
    want = _javap(jar, sorted(classes))
    assert set(want) == set(classes)
    for name, cls in classes.items():
        source, n_methods, refs, lines = want[name]
        ours, our_lines = _ours(cls)
        assert cls.source_file == source, name
        # javap lists <clinit> as "static {};" (no parenthesis): count it apart
        assert sum(1 for m in cls.methods if m.name != "<clinit>") == n_methods, name
        assert ours == refs, (name, (ours - refs).most_common(3), (refs - ours).most_common(3))
        assert our_lines == lines, name
    return len(classes)


@pytest.mark.corpus
@pytest.mark.parametrize("jar", JARS, ids=lambda p: p.name)
def test_corpus_jar_matches_javap(jar: Path, corpus_dir: Path) -> None:
    assert _check_jar(jar) > 5


def test_fixture_jar_matches_javap(tmp_path: Path) -> None:
    jar = build_jar(SDKS / "tracker", tmp_path / "tracker.jar")
    assert _check_jar(jar) == 1
