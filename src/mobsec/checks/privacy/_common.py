"""Metadata shared by the privacy checks."""

from __future__ import annotations

from mobsec.facts.privacy.collection import PiAccess
from mobsec.report.model import Text

GBT_PRIVACY = "4.1 安全功能要求 / 个人信息收集使用告知与同意 (personal information)"
GBT_PERMISSIONS = "4.1 安全功能要求 / 权限使用 (permissions)"
GBT_SDK = "4.1 安全功能要求 / 第三方SDK管理 (third-party SDKs)"


def access_message(access: PiAccess, extra_en: str = "", extra_zh: str = "") -> Text:
    s = access.source
    en = f"{s.name.en} reads {s.pi_type}"
    zh = f"{s.name.zh} 读取{_pi_zh(access)}"
    if access.detail:
        en += f" ({access.detail})"
        zh += f"（{access.detail}）"
    return Text(en + extra_en, zh + extra_zh)


def _pi_zh(access: PiAccess) -> str:
    from mobsec.facts.privacy.catalog import load_pi_catalog

    t = load_pi_catalog().types.get(access.source.pi_type)
    return t.name.zh if t else access.source.pi_type
