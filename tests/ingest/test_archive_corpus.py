"""ZIP reader on the labelled corpus: every APK, the apksig ZIP test vectors, speed.

Independent references: ``zipfile`` for entry lists, CRCs and contents, and ``aapt``
(AOSP libziparchive) for which files Android's reader opens at all.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import pytest

from mobsec.diagnostics import Diagnostics, InputError, Level
from mobsec.ingest.archive import Archive

pytestmark = pytest.mark.corpus

AG = "androguard"

# Every corpus file that yields any diagnostic, with exactly the codes it yields after
# opening it and reading every entry. All other corpus APKs must read cleanly.
EXPECTED = {
    "APK__apksig__empty-unsigned.apk": {"zip.empty"},
    "APK__apksig__v2-only-empty.apk": {"zip.empty"},
    "APK__apksig__v3-only-empty.apk": {"zip.empty"},
    "APK__apksig__mismatched-compression-method.apk": {"zip.header_mismatch"},
    "APK__apksig__v1-only-with-cr-in-entry-name.apk": {"zip.unsafe_name"},
    "APK__apksig__v1-only-with-lf-in-entry-name.apk": {"zip.unsafe_name"},
    "APK__apksig__v1-only-with-nul-in-entry-name.apk": {"zip.unsafe_name"},
    "APK__apksig__v1v2v3-with-rsa-2048-lineage-3-signers-invalid-zip.apk": {"zip.cd_overlaps_eocd"},
    "APK__apksig__v2-only-garbage-between-cd-and-eocd.apk": {"zip.garbage_before_eocd"},
    "APK__apksig__v2-only-truncated-cd.apk": {
        "zip.cd_overlaps_eocd",
        "zip.bad_cd_entry",
        "zip.entry_count_mismatch",
    },
    # The local header's name differs from the CD's in one byte ("sesources.arsc").
    "APK__apksig__v3-only-with-rsa-pkcs1-sha512-8192-digest-mismatch.apk": {"zip.header_mismatch"},
    "APK__apksig__weird-compression-method.apk": {"zip.unsupported_method"},
}


def _all_apks(corpus_apks: Path) -> list[Path]:
    return sorted(corpus_apks.glob("*/*.apk"))


def test_corpus_sweep(corpus_apks: Path) -> None:
    """Every corpus file opens (or raises InputError), reads fully; none takes more than 5 s
    (a hang guard: the slowest, the 17 MB appium APK, takes ~0.15 s)."""
    files = _all_apks(corpus_apks)
    assert len(files) > 500
    seen: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    slowest = (0.0, "")
    for path in files:
        diags = Diagnostics()
        t0 = time.perf_counter()
        try:
            with Archive.open(path, diags) as arch:
                for entry in arch.entries:
                    arch.read(entry)
        except InputError as exc:  # none in today's corpus; a clear message is enough
            assert exc.diagnostic.en and exc.diagnostic.zh
            diags.add(Level.ERROR, exc.diagnostic.code, "", exc.diagnostic.en, "")
        elapsed = time.perf_counter() - t0
        assert elapsed < 5.0, (path.name, elapsed)  # hang guard
        slowest = max(slowest, (elapsed, path.name))
        if len(diags):
            seen[path.name] = diags.codes()
            counts.update(diags.codes())
    print(f"\n{len(files)} corpus files; slowest {slowest[1]} {slowest[0] * 1000:.0f} ms")
    for code, n in sorted(counts.items()):
        print(f"  {code}: {n} file(s)")
    assert seen == EXPECTED


def test_agrees_with_zipfile(corpus_apks: Path) -> None:
    """Entry lists, CRCs and sizes equal zipfile's wherever zipfile opens the file;
    contents equal for the androguard set (every entry zipfile can decompress)."""
    compared = 0
    for path in _all_apks(corpus_apks):
        try:
            ref = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            continue
        with ref, Archive.open(path, Diagnostics()) as arch:
            infos = ref.infolist()
            assert [e.raw_name for e in arch.entries] == [
                i.orig_filename.encode("utf-8" if i.flag_bits & 0x800 else "cp437") for i in infos
            ], path.name
            for e, i in zip(arch.entries, infos, strict=True):
                assert (e.crc32, e.compressed_size, e.uncompressed_size) == (
                    i.CRC,
                    i.compress_size,
                    i.file_size,
                )
                # zipfile refuses the EXPECTED oddities (e.g. local name mismatch).
                if path.parent.name == AG and path.name not in EXPECTED:
                    assert arch.read(e) == ref.read(i), (path.name, e.name)
        compared += 1
    assert compared > 500


def test_aapt_opens_exactly_what_we_call_openable(corpus_apks: Path) -> None:
    aapt = shutil.which("aapt")
    if aapt is None:
        pytest.skip("aapt not installed (apt install aapt)")
    for name, codes in EXPECTED.items():
        path = corpus_apks / AG / name
        diags = Diagnostics()
        Archive.open(path, diags).close()
        rejects = any(d.detail.get("libziparchive") == "rejects" for d in diags)
        res = subprocess.run([aapt, "list", str(path)], capture_output=True)
        assert (res.returncode == 0) is not rejects, (name, codes)
        if res.returncode == 0 and "zip.unsafe_name" not in codes:
            with Archive.open(path, Diagnostics()) as arch:
                assert res.stdout.decode().split("\n")[:-1] == arch.names(), name


def test_apksig_zip_vectors(corpus_apks: Path) -> None:
    ag = corpus_apks / AG

    def open_(name: str) -> tuple[Archive, Diagnostics]:
        diags = Diagnostics()
        return Archive.open(ag / name, diags), diags

    arch, _ = open_("APK__apksig__empty-unsigned.apk")
    assert arch.size == 22 and arch.entries == []

    for suffix in ("cr", "lf", "nul"):
        arch, diags = open_(f"APK__apksig__v1-only-with-{suffix}-in-entry-name.apk")
        unsafe = [e for e in arch.entries if not e.safe_name]
        assert len(unsafe) == 1 and unsafe[0].name.startswith("test.txt")
        assert arch.read(unsafe[0]) is not None

    for name in (
        "APK__apksig__v1-only-max-sized-eocd-comment.apk",
        "APK__apksig__v2-only-max-sized-eocd-comment.apk",
    ):
        arch, diags = open_(name)
        assert len(arch.comment) == 0xFFFF and list(diags) == []
        assert arch.eocd_offset == arch.size - 22 - 0xFFFF

    arch, diags = open_("APK__apksig__v2-only-garbage-between-cd-and-eocd.apk")
    (d,) = list(diags)
    assert d.detail["gap"] == arch.eocd_offset - arch.cd_end == 7

    arch, _ = open_("APK__apksig__v2-only-truncated-cd.apk")
    assert arch.names() == ["resources.arsc", "AndroidManifest.xml"]

    # CD says deflate, local header says stored: Android (and we) use the CD's method.
    arch, _ = open_("APK__apksig__mismatched-compression-method.apk")
    rsa = arch.get("META-INF/CERT.RSA")
    assert rsa is not None and (rsa.method, rsa.lh_method) == (8, 0)
    assert (arch.read(rsa) or b"")[:1] == b"\x30"  # a DER SEQUENCE

    # Method 21 in both headers; the bytes are deflate, as Android's verifier assumes.
    arch, diags = open_("APK__apksig__weird-compression-method.apk")
    assert arch.read("META-INF/CERT.RSA") is None
    der = arch.read("META-INF/CERT.RSA", android_compat=True)
    assert der is not None and der[:1] == b"\x30" and len(der) == 1160
    assert "zip.unsupported_method" in {d.code for d in diags if d.level == Level.ERROR}

    arch, diags = open_("APK__Invalid.apk")  # "invalid" is its manifest, not its ZIP
    assert list(diags) == [] and arch.get("AndroidManifest.xml") is not None


def test_open_and_read_all_dex_of_large_apk(corpus_apks: Path) -> None:
    """Open the 18 MB APK and inflate every classes*.dex, byte-identical to zlib inflating
    the same spans (its speed is measured in bench/bench_readers.py)."""
    path = corpus_apks / "realworld" / "appium-uiautomator2-server-v10.6.6.apk"
    if not path.is_file():
        pytest.skip(f"{path.name} not in this corpus")
    diags = Diagnostics()
    with Archive.open(path, diags) as arch:
        dex = [n for n in arch.names() if n.startswith("classes") and n.endswith(".dex")]
        total = 0
        for name in dex:
            data = arch.read(name)
            entry = arch.get(name)
            assert data is not None and entry is not None
            with arch.view(entry.data_offset, entry.data_offset + entry.compressed_size) as src:
                assert zlib.decompressobj(-15).decompress(src) == data, name
            total += len(data)
    assert len(dex) == 16 and total > 10_000_000
    assert list(diags) == []
