"""elf.py on a library with 20,000 dynamic symbols (built here) and on every native library
of the corpus: the same exports as pyelftools, every corpus library read. Why elf.py has its
own reader (speed against pyelftools) is measured in bench/bench_readers.py, not here."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.elf import analyze_elf

N_SYMBOLS = 20_000


def _pyelftools_symbols(data: bytes) -> tuple[int, int]:
    elf = ELFFile(io.BytesIO(data))
    dynsym = elf.get_section_by_name(".dynsym")
    imported = exported = 0
    for sym in dynsym.iter_symbols():
        if not sym.name:
            continue
        if sym["st_shndx"] == "SHN_UNDEF":
            imported += 1
        else:
            exported += 1
    return imported, exported


@pytest.fixture(scope="module")
def big_library(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    if shutil.which("gcc") is None:
        pytest.skip("gcc not installed")
    root = tmp_path_factory.mktemp("elf-big")
    src = root / "big.c"
    src.write_text("".join(f"int v_{i} = {i};\n" for i in range(N_SYMBOLS)))
    out = root / "libbig.so"
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(out), str(src)], check=True)
    return out.read_bytes()


@pytest.mark.slow
def test_big_symbol_table(big_library: bytes) -> None:
    lib = analyze_elf(big_library, "lib/x86_64/libbig.so", Diagnostics())
    assert lib is not None
    assert len(lib.exported_symbols) >= N_SYMBOLS
    # Same answer as pyelftools for the exports we build.
    _imp, exp = _pyelftools_symbols(big_library)
    assert exp == len(lib.exported_symbols)


@pytest.mark.corpus
def test_corpus_libraries_are_read(corpus_apks: Path) -> None:
    libs: list[tuple[str, bytes]] = []
    for apk in sorted(corpus_apks.glob("*/*.apk")):
        try:
            with zipfile.ZipFile(apk) as zf:
                libs += [
                    (i.filename, zf.read(i))
                    for i in zf.infolist()
                    if i.filename.startswith("lib/") and i.filename.endswith(".so")
                ]
        except zipfile.BadZipFile:
            continue
    libs = [(n, d) for n, d in libs if d[:4] == b"\x7fELF"]
    assert libs
    for name, data in libs:
        assert analyze_elf(data, name, Diagnostics()) is not None, name
