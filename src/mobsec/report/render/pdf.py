"""The PDF report: the HTML report laid out for paper by WeasyPrint.

Same HTML as ``html.py`` (one template to keep right); the ``@media print`` / ``@page``
rules in ``static/report.css`` add page numbers ("3 / 12"), chapter page breaks, and the
table of contents' page references (``target-counter``). WeasyPrint runs no JavaScript and
the page makes no request, and we also give it a URL fetcher that refuses everything, so a
string in the report can never make PDF rendering touch the network or the file system.
Chinese needs a CJK font: the CSS asks for WenQuanYi Zen Hei (Debian fonts-wqy-zenhei,
installed by ./dev) or Noto Sans CJK.
"""

from __future__ import annotations

import logging
from typing import Any

from mobsec.report.render import RenderError
from mobsec.report.render.html import render_html


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"mobsec PDF rendering loads nothing (refused {url[:80]})")


def render_pdf(doc: dict[str, Any], lang: str = "zh-CN") -> bytes:
    """The PDF bytes of the report; RenderError when WeasyPrint or its libraries are missing."""
    try:
        import weasyprint
    except (ImportError, OSError) as e:  # OSError: pango/cairo shared libraries not found
        raise RenderError(
            f"PDF output needs WeasyPrint and pango (./dev setup installs them): {e}"
        ) from e
    html = render_html(doc, lang)
    # WeasyPrint logs every unsupported CSS property at WARNING; the screen-only rules are
    # expected to be ignored, so keep stderr for real problems.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    pdf = weasyprint.HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    if not pdf:
        raise RenderError("WeasyPrint produced no PDF")
    return bytes(pdf)
