"""Nested code: an APK built here hides a DEX as a PNG, a DEX jar and a class jar in assets/,
an ELF in res/raw/, a fake .so that is a DEX, an encrypted-looking blob, and archives inside
archives; the corpus pivaa.apk carries ExternalCode.jar. Read through our Archive reader."""

from __future__ import annotations

import hashlib
import io
import random
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.archive import Archive
from mobsec.ingest.nested import (
    EntryRef,
    NestedCode,
    find_nested_code,
    find_nested_code_in_archive,
    shannon_entropy,
    sniff,
)
from mobsec.limits import Limits

SMALI = """.class public Lcom/example/Payload;
.super Ljava/lang/Object;
.method public static run()I
    .registers 1
    const/16 v0, 42
    return v0
.end method
"""
JAVA = "public class Plugin { public static int run() { return 7; } }\n"


def _zip(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A real DEX (smali), a real class file (javac) and a real ELF (gcc)."""
    missing = [t for t in ("smali", "javac", "gcc") if shutil.which(t) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")
    root = tmp_path_factory.mktemp("nested")
    (root / "Payload.smali").write_text(SMALI)
    subprocess.run(
        ["smali", "a", "-o", str(root / "classes.dex"), str(root / "Payload.smali")],
        check=True,
        capture_output=True,
    )
    (root / "Plugin.java").write_text(JAVA)
    subprocess.run(["javac", "-d", str(root), str(root / "Plugin.java")], check=True)
    (root / "h.c").write_text("int helper(int x) { return x + 1; }\n")
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-o", str(root / "libh.so"), str(root / "h.c")], check=True
    )
    return {
        "dex": (root / "classes.dex").read_bytes(),
        "class": (root / "Plugin.class").read_bytes(),
        "elf": (root / "libh.so").read_bytes(),
    }


@pytest.fixture(scope="module")
def apk(artifacts: dict[str, bytes]) -> bytes:
    dex, cls, elf = artifacts["dex"], artifacts["class"], artifacts["elf"]
    rng = random.Random(1)
    blob = bytes(rng.getrandbits(8) for _ in range(100_000))
    inner_apk = _zip({"AndroidManifest.xml": b"\3\0\x08\0", "classes.dex": dex})
    return _zip(
        {
            "AndroidManifest.xml": b"\3\0\x08\0",
            "classes.dex": dex,  # expected: not reported
            "classes2.dex": dex,  # expected: not reported
            "lib/x86_64/libh.so": elf,  # expected: not reported
            "lib/x86_64/libfake.so": dex,  # a DEX posing as a native library
            "assets/data.png": dex,
            "assets/plugin.jar": _zip({"META-INF/MANIFEST.MF": b"x", "classes.dex": dex}),
            "assets/classes.jar": _zip({"com/ex/Plugin.class": cls}),
            "assets/bundle.zip": _zip({"payload/update.apk": inner_apk, "readme.txt": b"hi"}),
            "assets/depth.zip": _zip({"a.zip": _zip({"b.zip": _zip({"c.dex": dex})})}),
            "assets/images.zip": _zip({"a.txt": b"plain text only"}),
            "assets/broken.dat": b"PK\x03\x04" + b"\xff" * 200,
            "assets/blob.bin": blob,
            "assets/photo.png": b"\x89PNG\r\n\x1a\n" + blob,  # high entropy, but a PNG
            "assets/notes.txt": b"lorem ipsum " * 5000,
            "res/raw/helper": elf,
            "res/raw/Plugin.class": cls,
            "res/raw/empty": b"",
        }
    )


@pytest.fixture(scope="module")
def found(apk: bytes) -> tuple[dict[str, NestedCode], Diagnostics]:
    diags = Diagnostics()
    with Archive.open(apk, diags, display_name="fixture.apk") as arch:
        items = find_nested_code_in_archive(arch, diags)
    by_path = {i.path: i for i in items}
    assert len(by_path) == len(items), "a path is reported twice"
    return by_path, diags


def test_expected_code_is_not_reported(found) -> None:
    items, _ = found
    assert not {"classes.dex", "classes2.dex", "lib/x86_64/libh.so"} & set(items)


def test_content_decides_not_the_name(found, artifacts) -> None:
    items, _ = found
    png = items["assets/data.png"]
    assert png.kind == "dex"
    assert png.sha256 == hashlib.sha256(artifacts["dex"]).hexdigest()
    assert png.size == len(artifacts["dex"])
    assert ".png" in png.note
    assert items["lib/x86_64/libfake.so"].kind == "dex"
    helper = items["res/raw/helper"]
    assert helper.kind == "elf" and "X86_64 64-bit DYN" in helper.note
    assert helper.sha256 == hashlib.sha256(artifacts["elf"]).hexdigest()
    assert items["res/raw/Plugin.class"].kind == "class"
    assert items["res/raw/Plugin.class"].note == ""  # honest extension: no disguise note


def test_archives_are_classified_by_their_entries(found) -> None:
    items, _ = found
    jar = items["assets/plugin.jar"]
    assert jar.kind == "jar" and jar.inner_entries == ["META-INF/MANIFEST.MF", "classes.dex"]
    assert "plugin.jar!/classes.dex" not in " ".join(items)  # a jar's own dex is the jar
    assert items["assets/classes.jar"].kind == "jar"
    assert "Java class jar" in items["assets/classes.jar"].note
    bundle = items["assets/bundle.zip"]
    assert bundle.kind == "zip"
    inner = items["assets/bundle.zip!/payload/update.apk"]
    assert inner.kind == "apk"
    assert "assets/images.zip" not in items  # an archive with no code in it


def test_nesting_depth_is_bounded(found) -> None:
    items, _ = found
    assert items["assets/depth.zip"].kind == "zip"
    level1 = items["assets/depth.zip!/a.zip"]
    assert "nesting limit" in level1.note and level1.inner_entries == ["b.zip"]
    assert not [p for p in items if p.count("!/") > 1]


def test_broken_archive_is_reported_with_a_diagnostic(found) -> None:
    items, diags = found
    assert items["assets/broken.dat"].kind == "zip"
    assert "unreadable" in items["assets/broken.dat"].note
    [d] = [d for d in diags if d.code == "nested.bad_archive"]
    assert d.file == "assets/broken.dat" and d.zh


def test_encrypted_looking_assets(found) -> None:
    items, _ = found
    blob = items["assets/blob.bin"]
    assert blob.kind == "encrypted?" and blob.size == 100_000
    assert "possibly encrypted payload" in blob.note
    assert "assets/photo.png" not in items
    assert "assets/notes.txt" not in items
    assert "res/raw/empty" not in items
    assert all(isinstance(i.to_json()["inner_entries"], list) for i in items.values())


def test_entropy_and_sniff() -> None:
    assert shannon_entropy(b"") == 0.0
    assert shannon_entropy(b"a" * 100) == 0.0
    assert abs(shannon_entropy(bytes(range(256)) * 64) - 8.0) < 1e-9
    assert sniff(b"dex\n035\0") == "dex" and sniff(b"dex\n03") is None
    assert sniff(b"dey\n036\0") == "odex" and sniff(b"vdex0027") == "vdex"
    assert sniff(b"\xca\xfe\xba\xbe\0\0\0\x02") is None  # fat Mach-O, not a class file
    assert sniff(b"\xca\xfe\xba\xbe\0\0\0\x34") == "class"


def test_reads_only_prefixes_of_ordinary_entries(apk: bytes) -> None:
    """Only found code (and sampled assets) is read whole; everything else costs 64 bytes."""
    whole: list[str] = []
    diags = Diagnostics()
    with Archive.open(apk, diags) as arch:

        def refs():
            for e in arch.entries:
                yield EntryRef(
                    e.name,
                    e.uncompressed_size,
                    lambda n, e=e: arch.head(e, n),
                    lambda m, e=e: (whole.append(e.name), arch.read(e, max_bytes=m))[1],
                )

        items = find_nested_code(refs(), diags)
    # Whole reads: the code found, plus small archives read to list their entries.
    assert set(whole) == {i.path for i in items if "!/" not in i.path} | {"assets/images.zip"}
    assert "classes.dex" not in whole and "assets/notes.txt" not in whole


@pytest.mark.corpus
def test_pivaa_external_code(corpus_apks: Path) -> None:
    diags = Diagnostics()
    with Archive.open(corpus_apks / "vulnapps" / "pivaa.apk", diags) as arch:
        items = {i.path: i for i in find_nested_code_in_archive(arch, diags)}
    ext = items["assets/com/htbridge/raw/ExternalCode.jar"]
    assert ext.kind == "jar" and "classes.dex" in ext.inner_entries
    assert items["assets/com/htbridge/raw/ExternalCode.class"].kind == "class"
    dx = items["assets/com/htbridge/raw/dx.jar"]
    assert dx.kind == "jar" and len(dx.inner_entries) == 200 and "608 entries" in dx.note
    assert "assets/vulnerabilities.json" not in items and "classes.dex" not in items


@pytest.mark.corpus
def test_corpus_no_false_positives(corpus_apks: Path) -> None:
    """find_nested_code over the vulnapps and realworld: only pivaa carries nested code. Its
    speed is measured in bench/bench_readers.py; the time bound here is a hang guard (the
    worst APK normally takes ~50 ms)."""
    worst = 0.0
    for apk in sorted([*corpus_apks.glob("vulnapps/*.apk"), *corpus_apks.glob("realworld/*.apk")]):
        diags = Diagnostics()
        with Archive.open(apk, diags) as arch:
            start = time.perf_counter()
            items = find_nested_code_in_archive(arch, diags)
            elapsed = time.perf_counter() - start
        worst = max(worst, elapsed)
        if apk.name != "pivaa.apk":
            assert {i.kind for i in items} <= {"class"}, (apk.name, items)
    assert worst < 5.0  # hang guard, not a speed target


# ---- hostile input ---------------------------------------------------------------------------


def _refs(files: dict[str, bytes]) -> list[EntryRef]:
    return [
        EntryRef(
            name,
            len(data),
            lambda n, d=data: d[:n],
            lambda m, d=data: d if len(d) <= m else None,
        )
        for name, data in files.items()
    ]


_MAGICS = [b"", b"dex\n035\0", b"PK\x03\x04", b"\x7fELF\x02\x01\x01", b"dey\n", b"\xca\xfe\xba\xbe"]


@settings(
    max_examples=150,
    deadline=5000,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    st.dictionaries(
        st.sampled_from(["assets/a", "assets/b.png", "res/raw/c", "lib/x86/libd.so", "e"]),
        st.tuples(st.sampled_from(_MAGICS), st.binary(max_size=2048)).map(lambda t: t[0] + t[1]),
        max_size=5,
    )
)
def test_fuzz_entries_never_raise(files: dict[str, bytes]) -> None:
    diags = Diagnostics()
    items = find_nested_code(_refs(files), diags)
    assert all(i.kind in ("dex", "jar", "apk", "zip", "elf", "odex", "class") for i in items)


@settings(max_examples=100, deadline=5000, derandomize=True)
@given(st.binary(max_size=512), st.integers(0, 400))
def test_fuzz_damaged_nested_zip(noise: bytes, at: int) -> None:
    good = bytearray(_zip({"classes.dex": b"dex\n035\0" + b"\0" * 100, "x.txt": b"x" * 50}))
    good[at : at + len(noise)] = noise
    data = b"PK\x03\x04" + bytes(good[4:])
    items = find_nested_code(_refs({"assets/p.jar": data}), Diagnostics(), Limits())
    assert [i.path for i in items if "!/" not in i.path] in ([], ["assets/p.jar"])


def test_entry_larger_than_hash_cap_is_not_read() -> None:
    huge = EntryRef("assets/big.dex", 1 << 40, lambda n: b"dex\n035\0"[:n], lambda m: None)
    [item] = find_nested_code([huge], Diagnostics())
    assert item.kind == "dex" and item.sha256 is None and item.size == 1 << 40
