"""Renderers: the Report JSON document → the outputs people and services read.

Every renderer takes the Report *document* (``Report.to_json()``, possibly with a triage
section from :mod:`mobsec.report.baseline`), never the scan objects, so a stored report
renders the same as a fresh one. ``render(doc, fmt, lang)`` returns bytes ready to write.

| format | module       | for                                             |
|--------|--------------|-------------------------------------------------|
| json   | (the doc)    | machines; the contract (report.schema.json)     |
| sarif  | sarif.py     | GitHub / GitLab code scanning                   |
| html   | html.py      | people: one self-contained file, search/filter  |
| pdf    | pdf.py       | people who file reports: same HTML, paginated   |
| text   | terminal.py  | shells and CI logs                              |
| cyclonedx | cyclonedx.py | CycloneDX 1.6 SBOM from the inventory (.cdx.json) |
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

FORMATS = ("json", "sarif", "html", "pdf", "text", "cyclonedx")
# Output file suffix → format, for `-o report.html` without --format.
SUFFIXES = {
    ".json": "json",
    ".sarif": "sarif",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".txt": "text",
    ".text": "text",
}


class RenderError(Exception):
    """A renderer could not produce its output (e.g. PDF without its system libraries)."""


def format_for_path(path: Path) -> str | None:
    """The format a file name asks for (".sarif.json" is SARIF, ".cdx.json" CycloneDX), or
    None if it does not say."""
    name = path.name.lower()
    if name.endswith(".sarif.json"):
        return "sarif"
    if name.endswith((".cdx.json", ".cyclonedx.json")):
        return "cyclonedx"
    return SUFFIXES.get(path.suffix.lower())


def json_bytes(doc: Any) -> bytes:
    """``doc`` as indented UTF-8 JSON. orjson writes it at C speed without building a
    chunk per token (json.dumps with indent runs in Python: 11 s and ~600 MB for the 110 MB
    report of a 99,000-component manifest); json.dumps is the fallback for what orjson
    refuses (a lone surrogate, a non-string key, an integer past 64 bits)."""
    try:
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except TypeError:
        return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render(
    doc: dict[str, Any],
    fmt: str,
    lang: str | None = None,
    *,
    source_root: str | None = None,
    scope: str = "all",
    progress: Callable[[str], None] | None = None,
) -> bytes:
    """Render ``doc`` as ``fmt``; ``lang`` None means each format's default language.

    ``source_root``: SARIF source paths relative to it (see ``sarif_locations``).
    ``scope`` ("all", "app", "sdk"): whose findings the view shows (``groups.py``); the
    JSON document always keeps every finding. ``progress``: a line per PDF stage."""
    from mobsec.report.render.groups import scoped

    if fmt != "json":
        doc = scoped(doc, scope)
    if fmt == "json":
        return json_bytes(doc)
    if fmt == "text":  # cleans each line it prints
        from mobsec.report.render.terminal import render_text

        return render_text(doc, lang).encode("utf-8")
    from mobsec.report.render.sanitize import clean_doc

    doc = clean_doc(doc)  # control characters from the package made visible (sanitize.py)
    if fmt == "sarif":
        from mobsec.report.render.sarif import render_sarif

        log = render_sarif(doc, lang or "en", source_root)
        return json_bytes(log)
    if fmt == "cyclonedx":
        from mobsec.report.render.cyclonedx import render_cyclonedx

        return render_cyclonedx(doc).encode("utf-8")
    if fmt == "html":
        from mobsec.report.render.html import render_html

        return render_html(doc, lang or "zh-CN").encode("utf-8")
    if fmt == "pdf":
        from mobsec.report.render.pdf import render_pdf

        return render_pdf(doc, lang or "zh-CN", progress=progress)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
