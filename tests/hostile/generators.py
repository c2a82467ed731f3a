"""Generators of hostile packages: the shapes of issue 15, at any size.

Each ``case_*`` function writes one crafted APK (or output-path trap) into a directory and
returns its path; the size parameters let the tests build small instances that still prove
the mechanism and ``bench/bench_hostile.py`` build the full-size ones. Nothing generated
here is committed. The ZIP and binary-XML writers are ours (not :mod:`zipfile`) because the
point is to write what a normal writer refuses: central-directory records sharing one local
header, compressed sizes padded with junk, thousands of unknown signing-block pairs.

Run ``python -m tests.hostile.generators OUT_DIR`` to write every case at its CI size.
"""

from __future__ import annotations

import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ANDROID_NS = "http://schemas.android.com/apk/res/android"
NO = 0xFFFFFFFF
TYPE_STRING, TYPE_INT_DEC, TYPE_INT_BOOLEAN = 0x03, 0x10, 0x12
ATTR_ID = {  # android: attribute resource ids (framework public.xml)
    "name": 0x01010003,
    "exported": 0x01010010,
    "minSdkVersion": 0x0101020C,
    "targetSdkVersion": 0x01010270,
    "inputType": 0x01010220,
    "id": 0x010100D0,
}

# ------------------------------------------------------------------------------------ ZIP


@dataclass
class Member:
    """One central-directory record. ``share`` makes it point at another member's local
    header (the overlapping-entries trick); ``pad`` appends junk after the deflate stream and
    counts it in the declared compressed size (the padded-ratio trick)."""

    name: str
    stream: bytes = b""  # raw deflate (method 8) or the data itself (method 0)
    usize: int = 0
    crc: int = 0
    method: int = 8
    pad: int = 0
    share: str | None = None


def deflated(data: bytes, name: str) -> Member:
    """Deflated, its declared compressed size padded with junk to pass a 200:1 ratio check
    on declared sizes (what the issue's attacker did)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    m = Member(name, c.compress(data) + c.flush(), len(data), zlib.crc32(data))
    m.pad = ratio_padding(m)
    return m


def stored(data: bytes, name: str) -> Member:
    return Member(name, data, len(data), zlib.crc32(data), method=0)


def deflated_chunks(chunks: Iterable[bytes], name: str) -> Member:
    """Deflate a stream given in chunks (hundreds of MiB never held at once), padded."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    out, size, crc = [], 0, 0
    for ch in chunks:
        out.append(c.compress(ch))
        size += len(ch)
        crc = zlib.crc32(ch, crc)
    out.append(c.flush())
    m = Member(name, b"".join(out), size, crc)
    m.pad = ratio_padding(m)
    return m


def ratio_padding(m: Member, ratio: int = 190) -> int:
    """Junk bytes that make declared compressed size x ratio cover the output."""
    return max(0, -(-m.usize // ratio) - len(m.stream))


def write_zip(path: Path, members: list[Member], signing_block: bytes = b"") -> Path:
    offsets: dict[str, tuple[int, Member]] = {}
    with path.open("wb") as f:
        for m in members:
            if m.share is not None:
                continue
            raw = m.name.encode("utf-8", "surrogateescape")
            csize = len(m.stream) + m.pad
            offsets[m.name] = (f.tell(), m)
            f.write(
                struct.pack(
                    "<LHHHHHLLLHH",
                    0x04034B50,
                    20,
                    0x800,
                    m.method,
                    0,
                    0x21,
                    m.crc,
                    csize,
                    m.usize,
                    len(raw),
                    0,
                )
            )
            f.write(raw)
            f.write(m.stream)
            f.write(os.urandom(m.pad) if m.pad < 1 << 20 else b"\xa5" * m.pad)
        f.write(signing_block)
        cd_start = f.tell()
        for m in members:
            off, owner = offsets[m.share] if m.share is not None else offsets[m.name]
            raw = m.name.encode("utf-8", "surrogateescape")
            csize = len(owner.stream) + owner.pad
            f.write(
                struct.pack(
                    "<LHHHHHHLLLHHHHHLL",
                    0x02014B50,
                    20,
                    20,
                    0x800,
                    owner.method,
                    0,
                    0x21,
                    owner.crc,
                    csize,
                    owner.usize,
                    len(raw),
                    0,
                    0,
                    0,
                    0,
                    0,
                    off,
                )
            )
            f.write(raw)
        cd_end = f.tell()
        n = len(members)
        f.write(
            struct.pack(
                "<LHHHHLLH",
                0x06054B50,
                0,
                0,
                min(n, 0xFFFF),
                min(n, 0xFFFF),
                cd_end - cd_start,
                cd_start,
                0,
            )
        )
    return path


# ----------------------------------------------------------------------------- binary XML


class Axml:
    """A compact AXML writer: intern strings, then emit start/end element chunks."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self.index: dict[str, int] = {}
        self.attr_names: list[str] = []  # first strings, in resource-map order
        self.body: list[bytes] = []

    def s(self, text: str) -> int:
        i = self.index.get(text)
        if i is None:
            i = self.index[text] = len(self.strings)
            self.strings.append(text)
        return i

    def start(self, tag: str, attrs: list[tuple[str, object]] = (), line: int = 0) -> None:
        line = line or len(self.body) + 1  # one element per line, as aapt2 output has
        body = []
        for name, value in attrs:
            ns = self.s(ANDROID_NS) if name in ATTR_ID else NO
            if isinstance(value, bool):
                vt, data, raw = TYPE_INT_BOOLEAN, NO if value else 0, NO
            elif isinstance(value, int):
                vt, data, raw = TYPE_INT_DEC, value & NO, NO
            else:
                vt, data = TYPE_STRING, self.s(str(value))
                raw = data
            body.append(struct.pack("<IIIHBBI", ns, self.s(name), raw, 8, 0, vt, data))
        ext = struct.pack("<IIHHHHHH", NO, self.s(tag), 20, 20, len(body), 0, 0, 0)
        size = 16 + len(ext) + 20 * len(body)
        self.body.append(struct.pack("<HHIII", 0x102, 16, size, line, NO) + ext + b"".join(body))

    def end(self, tag: str) -> None:
        self.body.append(struct.pack("<HHIIIII", 0x103, 16, 24, 1, NO, NO, self.s(tag)))

    def raw_chunks(self, chunks: Iterable[bytes]) -> None:
        self.body.extend(chunks)

    def build(self) -> bytes:
        # The resource map covers the first strings: put known attribute names first.
        names = [n for n in ATTR_ID if n in self.index]
        order = names + [s for s in self.strings if s not in ATTR_ID]
        pos = {s: i for i, s in enumerate(order)}
        remap = {old: pos[s] for old, s in enumerate(self.strings)}
        body = b"".join(self.body)
        body = _remap_string_refs(body, remap)
        pool = _pool(order)
        resmap = struct.pack("<HHI", 0x180, 8, 8 + 4 * len(names)) + b"".join(
            struct.pack("<I", ATTR_ID[n]) for n in names
        )
        ns = struct.pack(
            "<HHIIIII", 0x100, 16, 24, 1, NO, pos.get("android", 0), pos.get(ANDROID_NS, 0)
        )
        doc = pool + resmap + ns + body
        return struct.pack("<HHI", 3, 8, 8 + len(doc)) + doc


def _remap_string_refs(body: bytes, remap: dict[int, int]) -> bytes:
    """Rewrite string indexes in start/end chunks after reordering the pool."""
    out = bytearray(body)
    pos = 0
    m = lambda v: v if v == NO else remap[v]  # noqa: E731
    while pos < len(out):
        ctype, _h, size = struct.unpack_from("<HHI", out, pos)
        if ctype == 0x102:
            ns, name = struct.unpack_from("<II", out, pos + 16)
            struct.pack_into("<II", out, pos + 16, m(ns), m(name))
            (count,) = struct.unpack_from("<H", out, pos + 28)
            for i in range(count):
                at = pos + 36 + 20 * i
                a_ns, a_name, a_raw = struct.unpack_from("<III", out, at)
                struct.pack_into("<III", out, at, m(a_ns), m(a_name), m(a_raw))
                (vt,) = struct.unpack_from("<B", out, at + 15)
                if vt == TYPE_STRING:
                    (d,) = struct.unpack_from("<I", out, at + 16)
                    struct.pack_into("<I", out, at + 16, m(d))
        elif ctype == 0x103:
            ns, name = struct.unpack_from("<II", out, pos + 16)
            struct.pack_into("<II", out, pos + 16, m(ns), m(name))
        pos += size
    return bytes(out)


def _pool(strings: list[str]) -> bytes:
    blobs = []
    for s in strings:
        b = s.encode("utf-8")
        n, nb = len(s), len(b)
        head = bytes([n]) if n < 0x80 else bytes([0x80 | n >> 8, n & 0xFF])
        head += bytes([nb]) if nb < 0x80 else bytes([0x80 | nb >> 8, nb & 0xFF])
        blobs.append(head + b + b"\x00")
    offs, pos = [], 0
    for b in blobs:
        offs.append(pos)
        pos += len(b)
    data = b"".join(blobs)
    data += b"\x00" * (-len(data) % 4)
    start = 28 + 4 * len(strings)
    head = struct.pack("<HHIIIIII", 1, 28, start + len(data), len(strings), 0, 0x100, start, 0)
    return head + b"".join(struct.pack("<I", o) for o in offs) + data


def manifest(
    activities: int = 1,
    launcher: bool = True,
    package: str = "com.hostile.app",
    min_sdk: int = 21,
    main: str = "com.hostile.app.Main",
) -> bytes:
    """A binary manifest with ``activities`` exported activities (the first the launcher)."""
    x = Axml()
    x.start("manifest", [("package", package)])
    x.start("uses-sdk", [("minSdkVersion", min_sdk), ("targetSdkVersion", 28)])
    x.end("uses-sdk")
    x.start("application", [])
    for i in range(activities):
        name = main if i == 0 else f"{package}.A{i}"
        x.start("activity", [("name", name), ("exported", True)])
        if i == 0 and launcher:
            x.start("intent-filter")
            x.start("action", [("name", "android.intent.action.MAIN")])
            x.end("action")
            x.start("category", [("name", "android.intent.category.LAUNCHER")])
            x.end("category")
            x.end("intent-filter")
        x.end("activity")
    x.end("application")
    x.end("manifest")
    return x.build()


def layout(elements: int, attrs_per_element: int) -> bytes:
    """A binary layout: ``elements`` views under one root, each with many attributes."""
    x = Axml()
    x.start("LinearLayout", [])
    _repeat(x, "EditText", attrs_per_element, elements)
    x.end("LinearLayout")
    return x.build()


def _repeat(x: Axml, tag: str, attrs: int, times: int) -> None:
    """``times`` copies of one element with ``attrs`` integer attributes whose values are
    random nibbles: the file compresses about 20:1 like real data, not 1000:1 (a ratio
    check on the bytes consumed would stop a too-regular file before any XML limit)."""
    x.start(tag, [(f"a{j}", j) for j in range(attrs)])
    x.end(tag)
    end, start = x.body.pop(), x.body.pop()
    rnd = random.Random(15)
    for _ in range(times):
        el = bytearray(start)
        noise = rnd.randbytes(attrs)
        for j in range(attrs):
            el[36 + 20 * j + 16] = noise[j] & 0x0F
        x.body.append(bytes(el))
        x.body.append(end)


# ------------------------------------------------------------------------------------- DEX

_SMALI_MAIN = """\
.class public Lcom/hostile/app/Main;
.super Landroid/app/Activity;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 4
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    const-string v0, "phone"
    invoke-virtual {p0, v0}, Lcom/hostile/app/Main;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/telephony/TelephonyManager;
    invoke-virtual {v0}, Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;
    move-result-object v1
    const-string v2, "id"
    invoke-static {v2, v1}, Landroid/util/Log;->d(Ljava/lang/String;Ljava/lang/String;)I
@TRIES@
    return-void
@HANDLERS@
.end method
"""


def dex_with_tries(tries: int, scratch: Path, handlers: int = 2) -> bytes:
    """classes.dex whose launcher onCreate reads the device id and has ``tries`` try items
    (``handlers`` handler lists in turn, so the assembler cannot merge neighbouring ranges)."""
    body = []
    for i in range(tries):
        h = i % handlers
        body.append(f"    :try_start_{i}\n    nop\n    :try_end_{i}\n")
        kind = ".catchall" if h else ".catch Ljava/lang/Exception;"
        body.append(f"    {kind} {{:try_start_{i} .. :try_end_{i}}} :handler_{h}\n")
    code = "".join(f"    :handler_{h}\n    return-void\n" for h in range(handlers))
    src = _SMALI_MAIN.replace("@TRIES@", "".join(body)).replace("@HANDLERS@", code if tries else "")
    return _smali(src, scratch)


def _smali(src: str, scratch: Path) -> bytes:
    if shutil.which("smali") is None:
        raise RuntimeError("smali is needed to assemble the DEX cases (apt-get install smali)")
    d = Path(tempfile.mkdtemp(dir=scratch))
    (d / "Main.smali").write_text(src)
    out = d / "classes.dex"
    subprocess.run(
        ["smali", "assemble", "-o", str(out), str(d / "Main.smali")],
        check=True,
        capture_output=True,
    )
    return out.read_bytes()


def small_dex(scratch: Path) -> bytes:
    return dex_with_tries(0, scratch)


# ---------------------------------------------------------------------------- the cases


def _zeros(total: int, head: bytes = b"") -> Iterator[bytes]:
    yield head
    left = total - len(head)
    block = b"\x00" * (1 << 20)
    while left > 0:
        yield block[: min(left, len(block))]
        left -= len(block)


def case_overlapping_dex(out: Path, mib: int = 400, copies: int = 10) -> Path:
    """``classes.dex`` .. ``classesN.dex`` all pointing at one local header holding a ``mib``
    MiB deflate stream whose declared size is padded so the declared ratio is 200:1."""
    dex = deflated_chunks(_zeros(mib << 20, b"dex\n035\x00"), "classes.dex")
    members = [deflated(manifest(), "AndroidManifest.xml"), dex]
    members += [Member(f"classes{i}.dex", share="classes.dex") for i in range(2, copies + 1)]
    return write_zip(out / f"overlapping-dex-{mib}m-x{copies}.apk", members)


def case_padded_dex(out: Path, mib: int = 500) -> Path:
    dex = deflated_chunks(_zeros(mib << 20, b"dex\n035\x00"), "classes.dex")
    members = [deflated(manifest(), "AndroidManifest.xml"), dex]
    return write_zip(out / f"padded-dex-{mib}m.apk", members)


def _sparse(total: int, head: bytes, seed: int) -> Iterator[bytes]:
    """Mostly zeros with one random byte in 64: compresses about 40:1, under any sane ratio."""
    rnd = random.Random(seed)
    yield head
    left = total - len(head)
    while left > 0:
        block = bytearray(min(left, 1 << 20))
        block[::64] = rnd.randbytes(len(block[::64]))
        yield bytes(block)
        left -= len(block)


def case_many_dex(out: Path, mib: int = 40, files: int = 8) -> Path:
    """``files`` distinct DEX entries (own local headers) of ``mib`` MiB each, each within
    every decompression limit (not valid DEX inside): peak memory must follow the largest
    file, not the sum."""
    members = [deflated(manifest(), "AndroidManifest.xml")]
    for i in range(1, files + 1):
        name = "classes.dex" if i == 1 else f"classes{i}.dex"
        members.append(deflated_chunks(_sparse(mib << 20, b"dex\n035\x00", i), name))
    return write_zip(out / f"many-dex-{mib}m-x{files}.apk", members)


def case_attribute_layouts(
    out: Path, elements: int = 900, attrs: int = 3300, copies: int = 6
) -> Path:
    lay = deflated(layout(elements, attrs), "res/layout/a.xml")
    members = [deflated(manifest(), "AndroidManifest.xml"), lay]
    members += [Member(f"res/layout/a{i}.xml", share="res/layout/a.xml") for i in range(copies - 1)]
    return write_zip(out / f"layouts-{elements}x{attrs}-x{copies}.apk", members)


def case_text_xml_wide(out: Path, elements: int = 15_000_000) -> Path:
    # two tag names at random: ~1 bit per element, about 30:1 (see _repeat)
    text = b"<manifest>" + b"".join(random.Random(15).choices((b"<a/>", b"<b/>"), k=elements))
    text += b"</manifest>"
    members = [deflated(text, "AndroidManifest.xml")]
    return write_zip(out / f"text-xml-wide-{elements}.apk", members)


def case_text_xml_deep(out: Path, depth: int = 8_000_000) -> Path:
    tags = random.Random(15).choices((b"a", b"b"), k=depth)
    text = b"<manifest>" + b"".join(b"<%s>" % t for t in tags)
    text += b"".join(b"</%s>" % t for t in reversed(tags)) + b"</manifest>"
    members = [deflated(text, "AndroidManifest.xml")]
    return write_zip(out / f"text-xml-deep-{depth}.apk", members)


def case_text_xml_attrs(out: Path, attrs: int = 2_000_000) -> Path:
    """One element with millions of attributes (a neighbour of the wide/deep cases)."""
    text = b"<manifest " + b" ".join(b'a%d="1"' % i for i in range(attrs)) + b"/>"
    members = [deflated(text, "AndroidManifest.xml")]
    return write_zip(out / f"text-xml-attrs-{attrs}.apk", members)


def case_binary_xml_attrs(out: Path, elements: int = 50_000, attrs: int = 60) -> Path:
    """A binary manifest whose elements carry many attributes each (total-attribute limit)."""
    x = Axml()
    x.start("manifest", [("package", "com.hostile.app")])
    x.start("application", [])
    _repeat(x, "meta-data", attrs, elements)
    x.end("application")
    x.end("manifest")
    members = [deflated(x.build(), "AndroidManifest.xml")]
    return write_zip(out / f"binary-xml-attrs-{elements}x{attrs}.apk", members)


def case_many_components(out: Path, n: int = 99_000, scratch: Path | None = None) -> Path:
    members = [deflated(manifest(activities=n), "AndroidManifest.xml")]
    if scratch is not None:
        members.append(deflated(small_dex(scratch), "classes.dex"))
    return write_zip(out / f"components-{n}.apk", members)


def case_signing_pairs(out: Path, pairs: int = 100_000) -> Path:
    """An APK Signing Block holding ``pairs`` empty pairs of unknown ids."""
    body = b"".join(struct.pack("<QI", 4, 0x7E57_0000 + (i & 0xFFFF)) for i in range(pairs))
    size = len(body) + 8 + 16
    block = struct.pack("<Q", size) + body + struct.pack("<Q", size) + b"APK Sig Block 42"
    members = [deflated(manifest(), "AndroidManifest.xml")]
    return write_zip(out / f"signing-pairs-{pairs}.apk", members, signing_block=block)


def case_many_entries(out: Path, n: int = 250_000, scratch: Path | None = None) -> Path:
    """A v1-signed APK plus ``n`` entries its MANIFEST.MF does not list."""
    assert scratch is not None
    signed = _v1_signed(scratch)
    members = _members_of(signed)
    members += [stored(b"", f"x/{i}") for i in range(n)]
    return write_zip(out / f"entries-{n}.apk", members)


def case_control_chars(out: Path, scratch: Path | None = None) -> Path:
    """Entry names and a package name with ANSI escapes, NUL and other control characters."""
    evil = "\x1b[2J\x1b[31mEVIL\x1b[0m\x07\x00\x08\x7f\u202e"
    man = deflated(manifest(package="com.e" + evil.replace("\x00", "")), "AndroidManifest.xml")
    man.pad = 999  # junk after the deflate stream, counted in the compressed size
    members = [
        man,
        deflated(b"\x00" * 4096, f"assets/{evil}.so"),
        deflated(b"not an elf", f"lib/arm64-v8a/{evil}.so"),
        deflated(b"dex\n035\x00junk", f"classes2{evil}.dex"),
    ]
    if scratch is not None:
        members.append(deflated(small_dex(scratch), "classes.dex"))
    return write_zip(out / "control-chars.apk", members)


def case_dex_tries(
    out: Path, tries: int = 65_535, claimed: int | None = 65_535, scratch: Path | None = None
) -> Path:
    """The launcher's onCreate with ``tries`` real try items; ``claimed`` rewrites its
    ``tries_size`` (a u16) so the try items and handler lists read past the real ones."""
    assert scratch is not None
    dex = dex_with_tries(tries, scratch)
    if claimed is not None:
        dex = _claim_tries(dex, claimed)
    members = [deflated(manifest(), "AndroidManifest.xml"), deflated(dex, "classes.dex")]
    return write_zip(out / f"dex-tries-{tries}-claims-{claimed}.apk", members)


def _claim_tries(dex: bytes, claimed: int) -> bytes:
    from mobsec.diagnostics import Diagnostics
    from mobsec.ingest.dex import DexFile

    parsed = DexFile.parse(dex, "classes.dex", Diagnostics())
    (m,) = [m for m in parsed.iter_methods() if parsed.method_ref(m.method_idx).name == "onCreate"]
    data = bytearray(dex)
    struct.pack_into("<H", data, m.code_off + 6, claimed)
    struct.pack_into("<I", data, 8, zlib.adler32(bytes(data[12:])))
    return bytes(data)


def _v1_signed(scratch: Path) -> Path:
    """A small APK signed with v1 only by apksigner (the fixtures' keystore)."""
    from tests.fixtures.build import KEY_ALIAS, KEYSTORE, KEYSTORE_PASSWORD_FILE

    unsigned = write_zip(scratch / "v1-unsigned.apk", [deflated(manifest(), "AndroidManifest.xml")])
    out = scratch / "v1-signed.apk"
    password = KEYSTORE_PASSWORD_FILE.read_text(encoding="utf-8").strip()
    subprocess.run(
        [
            "apksigner",
            "sign",
            "--ks",
            str(KEYSTORE),
            "--ks-key-alias",
            KEY_ALIAS,
            "--ks-pass",
            f"pass:{password}",
            "--min-sdk-version",
            "21",
            "--v1-signing-enabled=true",
            "--v2-signing-enabled=false",
            "--v3-signing-enabled=false",
            "--v4-signing-enabled=false",
            "--out",
            str(out),
            str(unsigned),
        ],
        check=True,
        capture_output=True,
    )
    return out


def _members_of(apk: Path) -> list[Member]:
    import zipfile

    out = []
    with zipfile.ZipFile(apk) as z:
        for info in z.infolist():
            out.append(deflated(z.read(info), info.filename))
    return out


# What the tests and the benchmark run: name -> (generator, CI size, full size (the issue's)).
CASES: dict[str, tuple[Callable[..., Path], dict, dict]] = {
    "overlapping-dex": (
        case_overlapping_dex,
        {"mib": 64, "copies": 10},
        {"mib": 400, "copies": 10},
    ),
    "padded-dex": (case_padded_dex, {"mib": 96}, {"mib": 500}),
    "many-dex": (case_many_dex, {"mib": 24, "files": 6}, {"mib": 100, "files": 12}),
    "attribute-layouts": (
        case_attribute_layouts,
        {"elements": 300, "attrs": 1000, "copies": 6},
        {"elements": 900, "attrs": 3300, "copies": 6},
    ),
    "text-xml-wide": (case_text_xml_wide, {"elements": 3_000_000}, {"elements": 15_000_000}),
    "text-xml-deep": (case_text_xml_deep, {"depth": 2_000_000}, {"depth": 8_000_000}),
    "text-xml-attrs": (case_text_xml_attrs, {"attrs": 300_000}, {"attrs": 2_000_000}),
    "binary-xml-attrs": (
        case_binary_xml_attrs,
        {"elements": 20_000, "attrs": 40},
        {"elements": 90_000, "attrs": 200},
    ),
    "many-components": (case_many_components, {"n": 5_000}, {"n": 99_000}),
    "signing-pairs": (case_signing_pairs, {"pairs": 100_000}, {"pairs": 100_000}),
    "many-entries": (case_many_entries, {"n": 60_000}, {"n": 250_000}),
    "control-chars": (case_control_chars, {}, {}),
    "dex-tries": (case_dex_tries, {"tries": 2, "claimed": 65_535}, {"tries": 2, "claimed": 65_535}),
    "dex-tries-real": (
        case_dex_tries,
        {"tries": 30_000, "claimed": None},
        {"tries": 65_535, "claimed": None},
    ),
}
NEEDS_SCRATCH = {"many-components", "many-entries", "control-chars", "dex-tries", "dex-tries-real"}


def generate(name: str, out: Path, full: bool = False, **override: object) -> Path:
    fn, ci, big = CASES[name]
    kwargs = dict(big if full else ci)
    kwargs.update(override)
    if name in NEEDS_SCRATCH:
        kwargs["scratch"] = out
    return fn(out, **kwargs)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path(tempfile.mkdtemp(prefix="hostile-"))
    full = "--full" in argv
    out.mkdir(parents=True, exist_ok=True)
    for name in CASES:
        p = generate(name, out, full=full)
        print(f"{name:<20} {p.stat().st_size / 2**20:8.2f} MB  {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
