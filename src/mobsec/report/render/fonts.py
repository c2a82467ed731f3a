"""The Chinese font a PDF is typeset with, found on this machine when the PDF is rendered.

WeasyPrint draws a character the fonts it is given lack as a box, silently: a zh-CN PDF on
a machine without a CJK font would be boxes from the first line to the last and the run
would still succeed. So the font is looked up with fontconfig (``fc-list :lang=zh``, the
same library pango renders with) and named first in the PDF's font list; without one,
rendering a zh-CN PDF fails with the package names that fix it.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

# Preferred when present (checked in this order), else the first family fontconfig lists.
PREFERRED = (
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
)
FIX = {
    "en": "install a Chinese font, e.g. `apt install fonts-wqy-zenhei` or `apt install "
    "fonts-noto-cjk` on Debian/Ubuntu (./dev setup installs fonts-wqy-zenhei)",
    "zh-CN": "请安装中文字体，例如 Debian/Ubuntu 上执行 `apt install fonts-wqy-zenhei` 或 "
    "`apt install fonts-noto-cjk`（./dev setup 会安装 fonts-wqy-zenhei）",
}


@cache
def cjk_family() -> str | None:
    """The family name of an installed font covering Chinese, or None."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    # one line per font: "WenQuanYi Zen Hei,文泉驛正黑,文泉驿正黑"; the first name is Latin
    families = sorted({line.split(",")[0].strip() for line in out.splitlines()} - {""})
    for name in PREFERRED:
        if name in families:
            return name
    return families[0] if families else None


def missing_font_message() -> str:
    return (
        "no Chinese (CJK) font found by fontconfig (fc-list :lang=zh); a zh-CN PDF would show "
        f"boxes instead of text: {FIX['en']} / 未找到中文字体，PDF 中的中文将无法显示：{FIX['zh-CN']}"
    )
