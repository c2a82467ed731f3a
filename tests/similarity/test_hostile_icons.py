"""Hostile launcher icons: bombs, huge dimensions, malformed PNG/WebP.

Each gives a clear diagnostic naming the file within bounded time and memory, and the
rest of the fingerprint is still made. The images are written here byte by byte (a PNG
header can claim any size), then put into a real APK in place of its launcher icon.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from mobsec.similarity import fingerprint
from mobsec.similarity.icons import MAX_ICON_FILE_BYTES, IconError, decode_icon
from tests.fixtures.repackage import attacker_key, launcher_icon_paths, rezip, sign


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, idat: bytes) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


def bomb() -> bytes:
    """20000 x 20000 RGBA (1.6 GB decoded) from a few hundred KB of zeros, deflated."""
    row = b"\x00" * (1 + 4 * 20000)
    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(row) for _ in range(200)) + comp.flush()
    return png(20000, 20000, data)


def valid_png(size: tuple[int, int] = (48, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (200, 30, 30, 255)).save(out, format="PNG")
    return out.getvalue()


HOSTILE = {
    "bomb": (bomb(), "similarity.icon_bomb"),  # Pillow's guard, at our bound, fires on open
    "tall": (png(2, 5000, zlib.compress(b"\x00" * 10)), "similarity.icon_dimensions"),
    "wide": (png(1_000_000, 1, zlib.compress(b"\x00" * 10)), "similarity.icon_dimensions"),
    "zero": (png(0, 0, b""), "similarity.icon_malformed"),
    "truncated": (valid_png()[:60], "similarity.icon_malformed"),
    "bad_crc_idat": (png(48, 48, b"not deflate data"), "similarity.icon_malformed"),
    "webp_garbage": (b"RIFF\x20\x00\x00\x00WEBPVP8 " + b"\xff" * 40, "similarity.icon_malformed"),
    "not_an_image": (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "similarity.icon_not_bitmap"),
    "too_big_file": (
        b"\x89PNG\r\n\x1a\n" + b"\x00" * MAX_ICON_FILE_BYTES,
        "similarity.icon_too_large",
    ),
}


@pytest.mark.parametrize("truncated_allowed", [False, True])
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_icon_is_refused_quickly_with_its_name(
    name: str, truncated_allowed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # True is how WeasyPrint leaves PIL once imported (any PDF rendered in the process).
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", truncated_allowed)
    data, code = HOSTILE[name]
    started = time.perf_counter()
    with pytest.raises(IconError) as info:
        decode_icon(data, f"res/mipmap-xxxhdpi/{name}.png")
    assert time.perf_counter() - started < 2.0
    assert info.value.code == code, info.value.en
    assert f"{name}.png" in info.value.en and f"{name}.png" in info.value.zh


def test_valid_icon_decodes() -> None:
    img = decode_icon(valid_png((96, 64)), "ok.png")
    assert img.size == (96, 64) and img.mode == "RGBA"


def test_hostile_icon_inside_an_apk_costs_only_the_icon(corpus_apks: Path, tmp_path: Path) -> None:
    genuine = corpus_apks / "vulnapps" / "InsecureBankv2.apk"
    icons = launcher_icon_paths(genuine)
    replace = {p: bomb() for p in icons}
    rezip(genuine, tmp_path / "u.apk", replace, set())
    sign(tmp_path / "u.apk", tmp_path / "bomb.apk", attacker_key(tmp_path))
    started = time.perf_counter()
    fp = fingerprint(tmp_path / "bomb.apk")
    assert time.perf_counter() - started < 30
    assert fp.icon is None  # every density is the bomb
    refused = {d["file"] for d in fp.diagnostics if d["code"] == "similarity.icon_bomb"}
    assert icons[0] in refused
    assert fp.package == "com.android.insecurebankv2" and fp.code.methods > 0
    with zipfile.ZipFile(tmp_path / "bomb.apk") as z:
        assert len(z.read(icons[0])) < 1_000_000  # the bomb is small on disk


def test_adaptive_icon_bitmap_layers_are_composited(tmp_path: Path) -> None:
    """An adaptive icon (API 26 XML) whose layers are bitmaps: hashed as the launcher
    draws it, background then foreground; a different foreground gives another hash."""
    from shutil import copytree

    from tests.fixtures.build import APPS_DIR, build_apk

    def app(name: str, colour: tuple[int, int, int, int]) -> Path:
        src = tmp_path / name
        copytree(APPS_DIR / "minimal-smali", src)
        manifest = src / "AndroidManifest.xml"
        text = manifest.read_text(encoding="utf-8")
        text = text.replace("<application", '<application android:icon="@mipmap/ic_launcher"', 1)
        manifest.write_text(text, encoding="utf-8")
        (src / "res" / "mipmap-anydpi-v26").mkdir(parents=True)
        (src / "res" / "mipmap-anydpi-v26" / "ic_launcher.xml").write_text(
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<adaptive-icon xmlns:android="http://schemas.android.com/apk/res/android">\n'
            '  <background android:drawable="@drawable/ic_bg"/>\n'
            '  <foreground android:drawable="@drawable/ic_fg"/>\n'
            "</adaptive-icon>\n",
            encoding="utf-8",
        )
        drawable = src / "res" / "drawable"
        drawable.mkdir()
        Image.new("RGBA", (108, 108), (20, 90, 200, 255)).save(drawable / "ic_bg.png")
        fg = Image.new("RGBA", (108, 108), (0, 0, 0, 0))
        for x in range(30, 78):
            for y in range(20, 40 + (x % 7) * 6):
                fg.putpixel((x, y), colour)
        fg.save(drawable / "ic_fg.png")
        return build_apk(src)

    first = fingerprint(app("adaptive-a", (255, 255, 255, 255)))
    assert first.icon is not None
    assert first.icon.path.endswith("ic_launcher.xml")
    assert [p.rsplit("/", 1)[-1] for p in first.icon.layers] == ["ic_bg.png", "ic_fg.png"]
    again = fingerprint(app("adaptive-b", (255, 255, 255, 255)))
    assert again.icon is not None and again.icon.phash == first.icon.phash
    other = fingerprint(app("adaptive-c", (230, 40, 40, 255)))
    assert other.icon is not None and other.icon.dhash != first.icon.dhash
