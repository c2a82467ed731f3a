"""The launcher icon, resolved from the manifest and resources, as perceptual hashes.

Resolution reuses :mod:`mobsec.facts.icon` (``android:icon`` / ``roundIcon``, one file per
density, densest first). An adaptive icon (XML) is followed to its layers; bitmap layers
are composited (background, then foreground) as the launcher would, vector layers are not
rendered and are skipped. The image bytes are attacker-controlled: the entry size is
bounded before it is read, the dimensions are read from the header and checked before any
pixel is decoded, Pillow's own bomb guard is set and turned into an error, and every
failure becomes a diagnostic naming the file and the problem.
"""

from __future__ import annotations

import io
import json
import warnings
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import imagehash
from PIL import Image, ImageFile, UnidentifiedImageError

from mobsec.diagnostics import Diagnostics
from mobsec.facts.icon import bitmap_media_type, launcher_icon_ids, resource_files
from mobsec.ingest.axml import ANDROID_NS, parse_axml

if TYPE_CHECKING:
    from mobsec.ingest.apk import ApkPackage


def _load_strictly(img: Image.Image) -> None:
    """Decode with truncated data and bad CRCs as errors: WeasyPrint, once imported, turns
    PIL's process-wide LOAD_TRUNCATED_IMAGES on, which would let a damaged icon through."""
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        img.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


MAX_ICON_FILE_BYTES = 2 << 20  # a launcher icon is a few KB; 2 MB leaves room for oddities
MAX_ICON_SIDE = 4096  # pixels per side; xxxhdpi launcher icons are 192 px
MAX_ICON_PIXELS = 4096 * 4096
# Pillow refuses images over twice this; we check the header ourselves first and keep
# Pillow's guard as a second line at our bound (never loosening a stricter setting).
if Image.MAX_IMAGE_PIXELS is None or Image.MAX_IMAGE_PIXELS > MAX_ICON_PIXELS:
    Image.MAX_IMAGE_PIXELS = MAX_ICON_PIXELS
HASH_SIZE = 8  # 64-bit hashes


class IconError(Exception):
    def __init__(self, code: str, en: str, zh: str) -> None:
        super().__init__(en)
        self.code, self.en, self.zh = code, en, zh


@dataclass(slots=True)
class IconHashes:
    path: str
    media_type: str
    width: int
    height: int
    phash: str  # 16 hex digits
    dhash: str
    layers: list[str] = field(default_factory=list)  # adaptive icon: the layer files used

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "media_type": self.media_type,
            "width": self.width,
            "height": self.height,
            "phash": self.phash,
            "dhash": self.dhash,
            "layers": list(self.layers),
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> IconHashes:
        return cls(
            str(doc["path"]),
            str(doc["media_type"]),
            int(doc["width"]),
            int(doc["height"]),
            str(doc["phash"]),
            str(doc["dhash"]),
            [str(x) for x in doc.get("layers", [])],
        )


def decode_icon(data: bytes, name: str) -> Image.Image:
    """The first frame of a PNG or WebP as RGBA, within the bounds; IconError otherwise."""
    if len(data) > MAX_ICON_FILE_BYTES:
        raise IconError(
            "similarity.icon_too_large",
            f"{name}: icon file of {len(data)} bytes is over the limit of {MAX_ICON_FILE_BYTES}",
            f"{name}:图标文件 {len(data)} 字节,超过上限 {MAX_ICON_FILE_BYTES}",
        )
    media = bitmap_media_type(data)
    if media is None:
        raise IconError(
            "similarity.icon_not_bitmap",
            f"{name}: the icon is neither PNG nor WebP",
            f"{name}:图标既不是 PNG 也不是 WebP",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=["PNG", "WEBP"])  # header only
            width, height = img.size
            if (
                width <= 0
                or height <= 0
                or width > MAX_ICON_SIDE
                or height > MAX_ICON_SIDE
                or width * height > MAX_ICON_PIXELS
            ):
                raise IconError(
                    "similarity.icon_dimensions",
                    f"{name}: icon of {width}x{height} pixels is outside the bounds "
                    f"(at most {MAX_ICON_SIDE} per side); not decoded",
                    f"{name}:图标尺寸 {width}x{height} 超出范围(每边最多 {MAX_ICON_SIDE}),未解码",
                )
            img.seek(0)
            _load_strictly(img)
            return img.convert("RGBA")
    except IconError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise IconError(
            "similarity.icon_bomb",
            f"{name}: refused as a decompression bomb: {e}",
            f"{name}:疑似解压炸弹,已拒绝解码:{e}",
        ) from e
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as e:
        raise IconError(
            "similarity.icon_malformed",
            f"{name}: the icon image is malformed: {type(e).__name__}: {str(e)[:200]}",
            f"{name}:图标图像格式错误:{type(e).__name__}:{str(e)[:200]}",
        ) from e


def hash_image(img: Image.Image) -> tuple[str, str]:
    """(pHash, dHash) of an RGBA image flattened on white, as 16 hex digits each."""
    flat = Image.new("RGBA", img.size, (255, 255, 255, 255))
    flat.alpha_composite(img)
    rgb = flat.convert("RGB")
    return str(imagehash.phash(rgb, hash_size=HASH_SIZE)), str(
        imagehash.dhash(rgb, hash_size=HASH_SIZE)
    )


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


@cache
def _templates() -> tuple[int, list[tuple[str, str]]]:
    doc = json.loads(
        resources.files("mobsec.similarity").joinpath("data/template_icons.json").read_text("utf-8")
    )
    return int(doc["max_distance"]), [(i["phash"], i["what"]) for i in doc["icons"]]


def template_icon(phash: str) -> str | None:
    """What stock template icon ``phash`` is (IDE project templates), or None."""
    limit, icons = _templates()
    for known, what in icons:
        if hamming(known, phash) <= limit:
            return what
    return None


def icon_hashes(pkg: ApkPackage, diags: Diagnostics) -> IconHashes | None:
    """Hashes of the launcher icon, or None (no icon, or only vector drawables)."""
    for res_id in launcher_icon_ids(pkg):
        found = _resolve(pkg, res_id, diags, follow=True)
        if found is not None:
            return found
    return None


def _read(pkg: ApkPackage, path: str, diags: Diagnostics) -> bytes | None:
    entry = pkg.archive.get(path)
    if entry is None:
        return None
    if entry.uncompressed_size > MAX_ICON_FILE_BYTES:
        diags.warning(
            "similarity.icon_too_large",
            path,
            f"{path}: icon file of {entry.uncompressed_size} bytes is over the limit of "
            f"{MAX_ICON_FILE_BYTES}; skipped",
            f"{path}:图标文件 {entry.uncompressed_size} 字节,超过上限 {MAX_ICON_FILE_BYTES},已跳过",
        )
        return None
    return pkg.archive.read(entry, max_bytes=MAX_ICON_FILE_BYTES)


def _resolve(pkg: ApkPackage, res_id: int, diags: Diagnostics, follow: bool) -> IconHashes | None:
    for _, path in resource_files(pkg, res_id):
        data = _read(pkg, path, diags)
        if data is None:
            continue
        if path.endswith(".xml"):
            if follow:
                found = _adaptive(pkg, data, path, diags)
                if found is not None:
                    return found
            continue
        try:
            img = decode_icon(data, path)
        except IconError as e:
            diags.warning(e.code, path, e.en, e.zh)
            continue
        phash, dhash = hash_image(img)
        media = bitmap_media_type(data) or ""
        return IconHashes(path, media, img.width, img.height, phash, dhash)
    return None


def _layer(pkg: ApkPackage, res_id: int, diags: Diagnostics) -> tuple[str, Image.Image] | None:
    for _, path in resource_files(pkg, res_id):
        if path.endswith(".xml"):
            continue  # a vector or colour drawable: not rendered
        data = _read(pkg, path, diags)
        if data is None:
            continue
        try:
            return path, decode_icon(data, path)
        except IconError as e:
            diags.warning(e.code, path, e.en, e.zh)
    return None


def _adaptive(pkg: ApkPackage, data: bytes, path: str, diags: Diagnostics) -> IconHashes | None:
    """An adaptive icon: its bitmap layers composited, background first."""
    root = parse_axml(data, path, Diagnostics())  # a broken icon XML costs only the icon
    if root is None:
        return None
    layers: list[tuple[str, Image.Image]] = []
    for tag in ("background", "foreground"):
        for el in root.iter(tag):
            attr = el.attr("drawable", ANDROID_NS)
            if attr is not None and attr.is_reference():
                found = _layer(pkg, attr.data, diags)
                if found is not None:
                    layers.append(found)
            break
    if not layers:
        return None
    size = max(img.size for _, img in layers)
    canvas = Image.new("RGBA", size, (255, 255, 255, 0))
    for _, img in layers:
        canvas.alpha_composite(img.resize(size) if img.size != size else img)
    phash, dhash = hash_image(canvas)
    first = layers[-1][0]
    data0 = pkg.archive.read(first, max_bytes=MAX_ICON_FILE_BYTES) or b""
    return IconHashes(
        path,
        bitmap_media_type(data0) or "",
        size[0],
        size[1],
        phash,
        dhash,
        [p for p, _ in layers],
    )
