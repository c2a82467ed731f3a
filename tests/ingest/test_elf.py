"""ELF analysis on real libraries: built here with gcc / aarch64-linux-gnu-gcc in twin pairs
(each hardening property on in one, off in the other), checked against ``readelf``, and the
native libraries of the labelled corpus."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from mobsec.diagnostics import Diagnostics, Level
from mobsec.ingest.elf import NativeLibrary, abi_from_path, analyze_elf, elf_strings

READELF = shutil.which("readelf")
COMPILERS = {"x86_64": "gcc", "arm64-v8a": "aarch64-linux-gnu-gcc"}

SOURCE = r"""
#include <string.h>
#include <stdio.h>
char sink[64];
int copy_it(const char *src, size_t n) {
    char buf[32];
    strcpy(buf, src);          /* known destination size: FORTIFY makes __strcpy_chk */
    memcpy(sink, src, n);      /* runtime size: FORTIFY makes __memcpy_chk */
    printf("%s\n", buf);
    return buf[0];
}
static int hidden_helper(int x) __attribute__((visibility("hidden")));
static int hidden_helper(int x) { return x * 3; }
int use_hidden(int x) { return hidden_helper(x); }
const char *secret_token(void) { return "token=AKIAEXAMPLESECRET1234"; }
"""

HARDENED = [
    "-O2", "-D_FORTIFY_SOURCE=2", "-fstack-protector-strong",
    "-Wl,-z,relro,-z,now", "-Wl,-z,noexecstack", "-Wl,-soname,libhard.so",
]  # fmt: skip
WEAK = [
    "-O0", "-U_FORTIFY_SOURCE", "-fno-stack-protector",
    "-Wl,-z,norelro", "-Wl,-z,lazy", "-Wl,-z,execstack",
]  # fmt: skip
VARIANTS: dict[str, list[str]] = {
    "hardened": HARDENED,
    "weak": WEAK,
    "partial_relro": ["-O0", "-Wl,-z,relro", "-Wl,-z,lazy"],
    "runpath": ["-O0", "-Wl,--enable-new-dtags", "-Wl,-rpath,/data/local/tmp/x:/sdcard/y"],
    "rpath": ["-O0", "-Wl,--disable-new-dtags", "-Wl,-rpath,/data/local/tmp/x"],
    "stripped": ["-O0", "-s"],
}


def _compile(cc: str, src: Path, out: Path, flags: list[str], shared: bool = True) -> Path:
    args = [cc, *(["-shared", "-fPIC"] if shared else []), *flags, "-o", str(out), str(src)]
    subprocess.run(args, check=True, capture_output=True)
    return out


@pytest.fixture(scope="module", params=sorted(COMPILERS))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """{variant: path} of shared objects for one ABI, placed under lib/<abi>/."""
    abi = request.param
    cc = shutil.which(COMPILERS[abi])
    if cc is None:
        pytest.skip(f"{COMPILERS[abi]} not installed")
    root = tmp_path_factory.mktemp(f"elf-{abi}")
    src = root / "fx.c"
    src.write_text(SOURCE)
    libdir = root / "lib" / abi
    libdir.mkdir(parents=True)
    libs = {v: _compile(cc, src, libdir / f"lib{v}.so", f) for v, f in VARIANTS.items()}
    return abi, root, libs


def _analyze(path: Path, root: Path) -> tuple[NativeLibrary, Diagnostics]:
    diags = Diagnostics()
    lib = analyze_elf(path.read_bytes(), str(path.relative_to(root)), diags)
    assert lib is not None, [str(d) for d in diags]
    return lib, diags


def test_identity_and_abi(built) -> None:
    abi, root, libs = built
    lib, diags = _analyze(libs["hardened"], root)
    assert lib.abi == abi
    assert (lib.machine, lib.bits, lib.endian) == (
        ("X86_64", 64, "little") if abi == "x86_64" else ("AArch64", 64, "little")
    )
    assert lib.elf_type == "DYN"
    assert lib.soname == "libhard.so"
    assert "libc.so.6" in lib.needed
    assert {"copy_it", "secret_token", "use_hidden", "sink"} <= set(lib.exported_symbols)
    assert "hidden_helper" not in lib.exported_symbols
    assert "elf.abi_mismatch" not in diags.codes()
    assert lib.to_json()["hardening"]["relro"] == "full"


def test_each_property_fires_on_fixture_and_not_on_twin(built) -> None:
    _abi, root, libs = built
    hard = _analyze(libs["hardened"], root)[0].hardening
    weak = _analyze(libs["weak"], root)[0].hardening
    assert hard.nx and not weak.nx
    assert hard.stack_canary and not weak.stack_canary
    assert hard.fortify and not weak.fortify
    assert {"__strcpy_chk", "__memcpy_chk"} <= set(hard.fortified_functions)
    assert weak.fortified_functions == []
    assert {"strcpy", "memcpy"} <= set(weak.fortifiable_functions)
    assert "strcpy" not in hard.fortifiable_functions
    assert (hard.relro, weak.relro) == ("full", "none")
    assert hard.bind_now and not weak.bind_now
    partial = _analyze(libs["partial_relro"], root)[0].hardening
    assert partial.relro == "partial" and not partial.bind_now
    assert hard.pie and weak.pie  # shared objects are position independent
    assert not hard.textrel and not weak.textrel


def test_rpath_runpath_and_stripped(built) -> None:
    _abi, root, libs = built
    runpath = _analyze(libs["runpath"], root)[0].hardening
    assert runpath.runpath == ["/data/local/tmp/x", "/sdcard/y"] and runpath.rpath == []
    rpath = _analyze(libs["rpath"], root)[0].hardening
    assert rpath.rpath == ["/data/local/tmp/x"] and rpath.runpath == []
    assert _analyze(libs["hardened"], root)[0].hardening.rpath == []
    assert _analyze(libs["stripped"], root)[0].hardening.stripped
    assert not _analyze(libs["weak"], root)[0].hardening.stripped


def test_abi_mismatch_is_a_warning(built) -> None:
    _abi, _root, libs = built
    wrong = "armeabi-v7a"
    diags = Diagnostics()
    lib = analyze_elf(libs["hardened"].read_bytes(), f"lib/{wrong}/libhard.so", diags)
    assert lib is not None and lib.abi == wrong
    [d] = [d for d in diags if d.code == "elf.abi_mismatch"]
    assert d.level is Level.WARNING and d.file == f"lib/{wrong}/libhard.so" and d.zh


def test_strings_come_from_rodata(built) -> None:
    _abi, _root, libs = built
    data = libs["hardened"].read_bytes()
    strings = list(elf_strings(data))
    assert "token=AKIAEXAMPLESECRET1234" in strings
    assert "copy_it" not in strings  # .dynstr is not .rodata
    assert len(list(elf_strings(data, limit=1))) == 1


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc not installed")
def test_executables_pie_and_textrel(tmp_path: Path) -> None:
    src = tmp_path / "main.c"
    src.write_text("int main(void) { return 0; }\n")
    pie = _compile("gcc", src, tmp_path / "pie", ["-fPIE", "-pie"], shared=False)
    nopie = _compile("gcc", src, tmp_path / "nopie", ["-fno-PIE", "-no-pie"], shared=False)
    assert _analyze(pie, tmp_path)[0].hardening.pie
    nopie_lib = _analyze(nopie, tmp_path)[0]
    assert nopie_lib.elf_type == "EXEC" and not nopie_lib.hardening.pie
    # An absolute address in .text of a shared object forces a text relocation.
    asm = tmp_path / "tr.s"
    asm.write_text(
        ".data\n.globl var\nvar: .quad 1\n.text\n.globl f\n.type f,@function\n"
        'f: movabs $var, %rax\nret\n.section .note.GNU-stack,"",@progbits\n'
    )
    textrel = _compile("gcc", asm, tmp_path / "libtr.so", ["-Wl,-z,notext"])
    lib, diags = _analyze(textrel, tmp_path)
    assert lib.hardening.textrel and "elf.textrel" in diags.codes()


# ---- comparison with readelf ---------------------------------------------------------------

_SYM_RE = re.compile(
    r"^\s*\d+:\s+[0-9a-f]+\s+\S+\s+\S+\s+(?P<bind>\S+)\s+(?P<vis>\S+)\s+(?P<ndx>\S+)\s+(?P<name>\S+)"
)


def readelf_facts(path: Path) -> dict[str, object]:
    """What readelf says about the properties we compute (independent implementation)."""

    def run(*args: str) -> str:
        return subprocess.run(
            [READELF, "-W", *args, str(path)], check=True, capture_output=True, text=True
        ).stdout

    dyn = run("-d")
    phdrs = run("-l")
    syms = run("--dyn-syms")
    imported, exported = set(), set()
    for line in syms.splitlines():
        m = _SYM_RE.match(line)
        if not m:
            continue
        name = m["name"].split("@")[0]
        if m["ndx"] == "UND":
            imported.add(name)
        elif m["bind"] != "LOCAL" and m["vis"] in ("DEFAULT", "PROTECTED"):
            exported.add(name)
    stack = re.search(r"GNU_STACK\s+(?:\S+\s+){5}(\S+)", phdrs)
    bind_now = bool(re.search(r"\(BIND_NOW\)|\(FLAGS\).*BIND_NOW|\(FLAGS_1\).*NOW", dyn))
    return {
        "needed": re.findall(r"\(NEEDED\)\s+Shared library: \[(.*)\]", dyn),
        "soname": (re.findall(r"\(SONAME\)\s+Library soname: \[(.*)\]", dyn) or [None])[0],
        "imported": imported,
        "exported": exported,
        "nx": stack is not None and "E" not in stack.group(1),
        "relro": ("full" if bind_now else "partial") if "GNU_RELRO" in phdrs else "none",
        "bind_now": bind_now,
        "textrel": "(TEXTREL)" in dyn or bool(re.search(r"\(FLAGS\).*TEXTREL", dyn)),
    }


def ours(lib: NativeLibrary) -> dict[str, object]:
    return {
        "needed": lib.needed,
        "soname": lib.soname,
        "imported": set(lib.imported_symbols),
        "exported": set(lib.exported_symbols),
        "nx": lib.hardening.nx,
        "relro": lib.hardening.relro,
        "bind_now": lib.hardening.bind_now,
        "textrel": lib.hardening.textrel,
    }


@pytest.mark.skipif(READELF is None, reason="readelf (binutils) not installed")
def test_matches_readelf_on_built_libraries(built) -> None:
    _abi, root, libs = built
    for variant, path in libs.items():
        assert ours(_analyze(path, root)[0]) == readelf_facts(path), variant


def _corpus_libs(corpus_apks: Path, tmp_path: Path) -> list[tuple[str, Path]]:
    """Every .so under lib/ of the corpus APKs, extracted to tmp_path (never into the repo)."""
    out = []
    for apk in sorted(corpus_apks.glob("*/*.apk")):
        try:
            with zipfile.ZipFile(apk) as zf:
                for info in zf.infolist():
                    if info.filename.startswith("lib/") and info.filename.endswith(".so"):
                        dest = tmp_path / apk.stem / info.filename
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        dest.write_bytes(zf.read(info))
                        out.append((info.filename, dest))
        except zipfile.BadZipFile:
            continue  # malformed corpus archives are the archive reader's business
    return out


@pytest.mark.corpus
@pytest.mark.skipif(READELF is None, reason="readelf (binutils) not installed")
def test_corpus_libraries_parse_and_match_readelf(corpus_apks: Path, tmp_path: Path) -> None:
    libs = _corpus_libs(corpus_apks, tmp_path)
    real = [(n, p) for n, p in libs if p.read_bytes()[:4] == b"\x7fELF"]
    assert len(real) >= 30  # diva, UnCrackable 2-4, dvba, ovaa, droidbench Native
    names = {p.name for _n, p in real}
    assert "libdivajni.so" in names
    for name, path in real:
        diags = Diagnostics()
        lib = analyze_elf(path.read_bytes(), name, diags)
        assert lib is not None, name
        assert not [d for d in diags if d.level is Level.ERROR], name
        assert "elf.abi_mismatch" not in diags.codes(), name
        assert lib.abi == abi_from_path(name)
        assert ours(lib) == readelf_facts(path), name
    # Non-ELF files named .so (apksig's 6-byte fake.so) are an error, never an exception.
    for name, path in libs:
        if path.read_bytes()[:4] != b"\x7fELF":
            diags = Diagnostics()
            assert analyze_elf(path.read_bytes(), name, diags) is None
            assert "elf.not_elf" in diags.codes() or "elf.truncated" in diags.codes()


@pytest.mark.corpus
def test_diva_hardening(corpus_apks: Path) -> None:
    """diva's libdivajni.so: strcpy without FORTIFY, executable stack (GNU_STACK RWE)."""
    with zipfile.ZipFile(corpus_apks / "vulnapps" / "diva-beta.apk") as zf:
        data = zf.read("lib/armeabi-v7a/libdivajni.so")
    diags = Diagnostics()
    lib = analyze_elf(data, "lib/armeabi-v7a/libdivajni.so", diags)
    assert lib is not None
    assert (lib.machine, lib.bits, lib.soname) == ("ARM", 32, "libdivajni.so")
    assert "strcpy" in lib.hardening.fortifiable_functions and not lib.hardening.fortify
    assert not lib.hardening.nx
    assert any(s.startswith("Java_jakhar_aseem_diva_") for s in lib.exported_symbols)
