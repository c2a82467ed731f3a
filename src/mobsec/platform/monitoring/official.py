"""The genuine-app registry: an organisation marks its apps official and names them (zh/en,
pinyin derived), with their official channels, icon and signing certificates. What a scan
of a genuine version says (label, icon, certificates) fills in what the owner left empty."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction

from mobsec.platform.accounts import access, audit, roles
from mobsec.platform.core.errors import UserError
from mobsec.platform.registry.models import App

MAX_CHANNELS = 20
MAX_CERTIFICATES = 20
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def pinyin(name: str) -> str:
    """Toneless pinyin of the Han characters, other characters kept: 支付宝 → "zhi fu bao"."""
    from pypinyin import lazy_pinyin

    parts = [p.strip() for p in lazy_pinyin(name[:255])]
    return " ".join(p for p in parts if p).lower()[:1000]


def parse_channels(value: Any) -> list[dict[str, str]]:
    """Official channels from the API (a list of {name, url}) or the page (one per line,
    "name url"). Each URL must be http(s) with a host."""
    if isinstance(value, str):
        items = []
        for line in value.splitlines():
            line = line.strip()
            if line:
                name, _, url = line.rpartition(" ")
                items.append({"name": name.strip() or url, "url": url})
        value = items
    if not isinstance(value, list) or len(value) > MAX_CHANNELS:
        raise _invalid(
            f"official channels: a list of at most {MAX_CHANNELS} {{name, url}} entries",
            f"官方渠道：最多 {MAX_CHANNELS} 个 {{name, url}} 条目的列表",
        )
    out = []
    for item in value:
        name = str((item or {}).get("name") or "").strip() if isinstance(item, dict) else ""
        url = str((item or {}).get("url") or "").strip() if isinstance(item, dict) else ""
        parts = urlsplit(url)
        if not name or parts.scheme not in ("http", "https") or not parts.hostname:
            raise _invalid(
                f"official channel {name or url!r}: needs a name and an http(s) URL",
                f"官方渠道 {name or url!r}：需要名称和 http(s) 地址",
            )
        out.append({"name": name[:100], "url": url[:500]})
    return out


def parse_certificates(value: Any) -> list[str]:
    """Signing-certificate SHA-256s (hex; colons and spaces allowed) the owner registers."""
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list) or len(value) > MAX_CERTIFICATES:
        raise _invalid(
            f"certificates: a list of at most {MAX_CERTIFICATES} SHA-256 values",
            f"证书：最多 {MAX_CERTIFICATES} 个 SHA-256 值的列表",
        )
    out = []
    for v in value:
        digest = str(v).replace(":", "").strip().lower()
        if not _SHA256.match(digest):
            raise _invalid(
                f"certificate {str(v)[:80]!r} is not a SHA-256 (64 hex digits)",
                f"证书 {str(v)[:80]!r} 不是 SHA-256（64 位十六进制）",
            )
        out.append(digest)
    return out


def _invalid(en: str, zh: str) -> UserError:
    return UserError("monitoring.invalid", en, zh, status=400)


def set_official(
    user,
    app: App,
    *,
    official: bool,
    name_zh: str | None = None,
    name_en: str | None = None,
    channels: Any = None,
    certificates: Any = None,
    request=None,
) -> App:
    """Mark the app official (or not) with its names, channels and extra certificates.
    Needs ``manage`` on the app. Marking it official fingerprints its versions (jobs)."""
    if not access.can(user, roles.MANAGE, app=app):
        raise UserError("forbidden", "You may not do this.", "您无权执行此操作。", status=403)
    with transaction.atomic():
        app = App.objects.select_for_update().get(pk=app.pk)
        app.official = bool(official)
        if name_zh is not None:
            app.official_name_zh = name_zh.strip()[:255]
            app.official_pinyin = pinyin(app.official_name_zh)
        if name_en is not None:
            app.official_name_en = name_en.strip()[:255]
        if channels is not None:
            app.official_channels = parse_channels(channels)
        if certificates is not None:
            app.certificates = list(
                dict.fromkeys([*app.certificates, *parse_certificates(certificates)])
            )
        _fill_from_latest_scan(app)
        app.save()
        audit.record("app_official", actor=user, organisation=app.organisation,
                     target=app.public_id, request=request,
                     details={"official": app.official, "channels": len(app.official_channels)})  # fmt: skip
        if app.official:
            from . import actions

            transaction.on_commit(lambda: actions.fingerprint_versions(app))
    return app


def fill_from_report(app: App, doc: dict[str, Any]) -> bool:
    """Fill what the owner left empty from a genuine version's Report JSON: the names from
    the label (zh or en by its script), the icon. Certificates are the registry's own."""
    info = doc.get("app") or {}
    label = str(info.get("label") or "").strip()[:255]
    changed = False
    if label and not (app.official_name_zh or app.official_name_en):
        if any("\u4e00" <= ch <= "\u9fff" for ch in label):
            app.official_name_zh, app.official_pinyin = label, pinyin(label)
        else:
            app.official_name_en = label
        changed = True
    icon = icon_from_report(doc)
    if icon and not app.official_icon:
        app.official_icon = icon
        changed = True
    return changed


def icon_from_report(doc: dict[str, Any]) -> dict[str, Any]:
    icon = (doc.get("app") or {}).get("icon") or {}
    data = icon.get("data_base64")
    if not isinstance(data, str) or icon.get("media_type") not in ("image/png", "image/webp"):
        return {}
    try:
        raw = base64.b64decode(data, validate=True)
    except ValueError:
        return {}
    return {
        "media_type": icon["media_type"],
        "data_base64": data,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "path": str(icon.get("path") or "")[:300],
    }


def _fill_from_latest_scan(app: App) -> None:
    from mobsec.platform.scans.models import Scan

    scan = (
        Scan.objects.filter(version__app=app, state=Scan.State.DONE, report__isnull=False)
        .select_related("report")
        .order_by("-version__uploaded_at", "-created_at")
        .first()
    )
    if scan is not None:
        fill_from_report(app, scan.report.document)


def icon_data_uri(app: App) -> str:
    icon = app.official_icon or {}
    if icon.get("media_type") in ("image/png", "image/webp") and icon.get("data_base64"):
        return f"data:{icon['media_type']};base64,{icon['data_base64']}"
    return ""
