"""One language per output: `--lang en` without Chinese, `--lang zh-CN` without raw
identifiers or untranslated labels. Text from the package (labels, class names, evidence,
policy sentences) is exempt: it is shown as the app has it, in ``mono``/``pkg`` elements,
``<pre>`` and ``<q>``.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import mobsec
from mobsec.facts.owners import SdkCatalog
from mobsec.report.render import render
from mobsec.report.render.html import render_html

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
VOID = {"br", "meta", "input", "img", "link", "rect", "hr", "wbr", "source"}


class _Visible(HTMLParser):
    """The text a reader sees that the report itself wrote (package text left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.skip: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        exempt = tag in {"pre", "q", "script", "style", "title"} or {"mono", "pkg"} & set(classes)
        self.skip.append(exempt)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.skip:
            self.skip.pop()

    def handle_data(self, data: str) -> None:
        if not any(self.skip):
            self.parts.append(data)


def visible(html: str) -> str:
    p = _Visible()
    p.feed(html)
    return " ".join(" ".join(p.parts).split())


@pytest.fixture(scope="module")
def doc(corpus_apks: Path) -> dict[str, Any]:
    return mobsec.scan(corpus_apks / "vulnapps" / "InsecureBankv2.apk").to_json()


@pytest.mark.parametrize("for_print", [False, True], ids=["screen", "pdf-page"])
def test_english_html_has_no_chinese(doc: dict[str, Any], for_print: bool) -> None:
    text = visible(render_html(doc, "en", for_print=for_print))
    found = sorted(set(re.findall(r"\S*[\u4e00-\u9fff]+\S*", text)))
    assert not found, found[:20]


def test_english_summary_has_no_chinese(doc: dict[str, Any]) -> None:
    text = render(doc, "text", "en").decode("utf-8")
    assert not CJK.search(text), [x for x in text.splitlines() if CJK.search(x)][:5]


RAW = {
    # ids the renderers used to print as such: protection levels, diagnostic levels,
    # severities, owner kinds, SDK categories. (Check messages may name Android terms such
    # as "activity" or "signature" on purpose.)
    "dangerous", "normal", "critical", "warning", "error", "unknown-third-party", *(
        s.category for s in SdkCatalog.load() if "-" in s.category  # plainly an id
    ),
}  # fmt: skip


@pytest.mark.parametrize("for_print", [False, True], ids=["screen", "pdf-page"])
def test_chinese_html_shows_no_raw_identifiers(doc: dict[str, Any], for_print: bool) -> None:
    text = visible(render_html(doc, "zh-CN", for_print=for_print))
    words = set(re.findall(r"(?<![\w./-])[a-z][a-z-]+(?![\w./-])", text))
    assert not words & RAW, sorted(words & RAW)


def test_chinese_summary_is_translated(doc: dict[str, Any]) -> None:
    text = render(doc, "text", "zh-CN").decode("utf-8")
    for en in ("Top findings", "findings:", "Risk rating", "time:", "line ", "high ", "medium "):
        assert en not in text, en


def test_permissions_have_descriptions_and_exported_components_what_they_expose(
    doc: dict[str, Any],
) -> None:
    zh = render(doc, "html", "zh-CN").decode("utf-8")
    en = render(doc, "html", "en").decode("utf-8")
    assert "读取通讯录" in zh and "Read the user&#39;s contacts" in en  # READ_CONTACTS
    table = zh.split('id="exposure-table"', 1)[1].split("</table>", 1)[0]
    exported = [
        c for c in doc["manifest"]["components"] if c["exported"] and c.get("enabled", True)
    ]
    assert table.count("<tr data-kind=") == len(exported)
    assert "content://com.android.insecurebankv2.TrackUserContentProvider" in table
    assert "可通过其内容 URI 查询或修改的数据" in table and "任意应用" in table
    assert json.dumps(doc)  # untouched
