"""The PDF report: the HTML report laid out for paper by WeasyPrint.

Same template as ``html.py`` (one template to keep right), rendered ``for_print``: no
filters or script, evidence cut to a few lines, SDK places listed without evidence. The
``@media print`` / ``@page`` rules in ``static/report.css`` add page numbers ("3 / 12"),
chapter page breaks, and the table of contents' page references (``target-counter``).
WeasyPrint runs no JavaScript and the page makes no request, and we also give it a URL
fetcher that refuses everything, so a string in the report can never make PDF rendering
touch the network or the file system. Chinese needs a CJK font: ``fonts.py`` finds one at
render time, and a zh-CN PDF without one fails instead of printing boxes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from mobsec.report.render import RenderError
from mobsec.report.render.fonts import cjk_family, missing_font_message
from mobsec.report.render.html import render_html

Progress = Callable[[str], None]


ICON_PREFIXES = ("data:image/png;base64,", "data:image/webp;base64,")


def no_network_fetcher(weasyprint: Any) -> Any:
    """A URL fetcher that loads nothing but the app icon the page embeds (a PNG/WebP data
    URI): no network, no file system, whatever a string in the report says."""

    class NoNetwork(weasyprint.URLFetcher):  # type: ignore[misc, name-defined]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith(ICON_PREFIXES):
                raise ValueError(f"mobsec PDF rendering loads nothing (refused {url[:80]})")
            return super().fetch(url, headers)

    return NoNetwork(allowed_protocols=("data",), timeout=5)


def check_pdf_fonts(lang: str) -> None:
    """RenderError when a PDF in ``lang`` cannot be typeset on this machine."""
    if lang == "zh-CN" and cjk_family() is None:
        raise RenderError(missing_font_message())


def render_pdf(
    doc: dict[str, Any],
    lang: str = "zh-CN",
    progress: Progress | None = None,
) -> bytes:
    """The PDF bytes of the report; RenderError when WeasyPrint, its libraries or (for
    zh-CN) a Chinese font are missing. ``progress`` receives a line per stage."""
    say = progress or (lambda _msg: None)
    try:
        import weasyprint
    except (ImportError, OSError) as e:  # OSError: pango/cairo shared libraries not found
        raise RenderError(
            f"PDF output needs WeasyPrint and pango (./dev setup installs them): {e}"
        ) from e
    check_pdf_fonts(lang)
    started = time.perf_counter()
    html = render_html(doc, lang, for_print=True)
    say("PDF: layout / 排版")
    pdf, pages = html_to_pdf(html, weasyprint)
    say(
        f"PDF: {pages} pages in {time.perf_counter() - started:.1f} s / "
        f"{pages} 页，用时 {time.perf_counter() - started:.1f} 秒"
    )
    return pdf


def html_to_pdf(html: str, weasyprint: Any = None) -> tuple[bytes, int]:
    """(PDF bytes, page count) of a self-contained page, with the CJK font first and a
    fetcher that loads nothing; also used by the platform's test reports and certificates
    (check fonts with ``check_pdf_fonts`` first)."""
    if weasyprint is None:
        try:
            import weasyprint
        except (ImportError, OSError) as e:
            raise RenderError(f"PDF output needs WeasyPrint and pango: {e}") from e
    family = cjk_family()
    # WeasyPrint logs every unsupported CSS property at WARNING; the screen-only rules are
    # expected to be ignored, so keep stderr for real problems.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    stylesheets = []
    if family:  # the font fontconfig found comes first, whatever the CSS lists
        name = family.replace("\\", "").replace('"', "")
        stylesheets.append(weasyprint.CSS(string=f'body {{ font-family: "{name}", sans-serif; }}'))
    document = weasyprint.HTML(string=html, url_fetcher=no_network_fetcher(weasyprint)).render(
        stylesheets=stylesheets
    )
    pdf = document.write_pdf()
    if not pdf:
        raise RenderError("WeasyPrint produced no PDF")
    return bytes(pdf), len(document.pages)
