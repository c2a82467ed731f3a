"""The app's launcher icon, for the report: resolved from the manifest and resources.

``<application android:icon>`` (or ``roundIcon``) names a resource; its configurations
give one file per screen density. The densest PNG or WebP under the size cap is taken;
an adaptive icon (XML) is followed to its foreground drawable once. The bytes come from
the package (attacker-controlled): only files whose magic says PNG or WebP are kept, and
they are carried base64-encoded with that media type, never interpreted here.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.axml import ANDROID_NS, parse_axml

if TYPE_CHECKING:
    from mobsec.ingest.apk import ApkPackage

MAX_ICON_BYTES = 96 * 1024
_DENSITY = ("xxxhdpi", "xxhdpi", "xhdpi", "hdpi", "tvdpi", "mdpi", "ldpi")


def _density(config: str) -> int:
    """Higher is denser; unknown configurations rank lowest but still count."""
    parts = set(config.split("-"))
    for rank, name in enumerate(_DENSITY):
        if name in parts:
            return len(_DENSITY) - rank
    return 0


def bitmap_media_type(data: bytes) -> str | None:
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def resource_files(pkg: ApkPackage, res_id: int) -> list[tuple[int, str]]:
    res = pkg.resources
    if res is None:
        return []
    out = []
    for config, value in res.values(res_id):
        path = value.value()
        if isinstance(path, str):
            out.append((_density(config), path))
    return sorted(out, reverse=True)


def launcher_icon_ids(pkg: ApkPackage) -> list[int]:
    """Resource ids of ``<application android:icon>`` then ``roundIcon`` (references only)."""
    root = pkg.manifest_xml
    app = next(root.iter("application"), None) if root is not None else None
    if app is None:
        return []
    out = []
    for name in ("icon", "roundIcon"):
        attr = app.attr(name, ANDROID_NS)
        if attr is not None and attr.is_reference():
            out.append(attr.data)
    return out


def app_icon(pkg: ApkPackage) -> dict[str, Any] | None:
    """{"path", "media_type", "size", "data_base64"} of the launcher icon, or None."""
    for res_id in launcher_icon_ids(pkg):
        found = _pick(pkg, res_id, follow=True)
        if found:
            return found
    return None


def _pick(pkg: ApkPackage, res_id: int, follow: bool) -> dict[str, Any] | None:
    for _, path in resource_files(pkg, res_id):
        entry = pkg.archive.get(path)
        if entry is None or entry.uncompressed_size > MAX_ICON_BYTES:
            continue
        data = pkg.archive.read(entry)
        if data is None:
            continue
        if path.endswith(".xml") and follow:  # adaptive icon: its foreground, once
            found = _foreground(pkg, data, path)
            if found:
                return found
            continue
        media = bitmap_media_type(data)
        if media and len(data) <= MAX_ICON_BYTES:
            return {
                "path": path,
                "media_type": media,
                "size": len(data),
                "data_base64": base64.b64encode(data).decode("ascii"),
            }
    return None


def _foreground(pkg: ApkPackage, data: bytes, path: str) -> dict[str, Any] | None:
    root = parse_axml(data, path, Diagnostics())  # a broken icon costs only the icon
    if root is None:
        return None
    for tag in ("foreground", "background"):
        for el in root.iter(tag):
            attr = el.attr("drawable", ANDROID_NS)
            if attr is not None and attr.is_reference():
                found = _pick(pkg, attr.data, follow=False)
                if found:
                    return found
    return None
