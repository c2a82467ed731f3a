"""The PDF report: Chinese text, page numbers and a table of contents, checked with poppler."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mobsec.report.render import render
from tests.report.findings_doc import report_doc


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        reason = f"{name} not installed (poppler-utils; ./dev setup installs it)"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return path


def _run(*args: str) -> str:
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)
    return proc.stdout


@pytest.fixture(scope="module")
def pdf_path(fixture_apk: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    doc: dict[str, Any] = report_doc(fixture_apk("manifest-rich"))
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(render(doc, "pdf", "zh-CN"))
    return path


def test_pdf_text_has_chinese_titles_page_numbers_and_toc(pdf_path: Path) -> None:
    pdftotext = _tool("pdftotext")
    assert pdf_path.read_bytes()[:5] == b"%PDF-"
    pages = int(re.search(r"Pages:\s+(\d+)", _run(_tool("pdfinfo"), str(pdf_path))).group(1))
    assert pages >= 3
    text = _run(pdftotext, "-layout", str(pdf_path), "-")
    for zh in (
        "安全检测报告",
        "目录",
        "概览",
        "风险评级",
        "检测结果",
        "分组密码使用 ECB 模式",
        "修复建议",
    ):
        assert zh in text, zh
    # page numbers "n / N" on every page
    for n in (1, pages):
        assert re.search(rf"\b{n} / {pages}\b", text), n
    # table of contents with page references: "检测结果 ....... 4"
    toc = text.split("目录", 1)[1][:3000]
    refs = re.findall(r"(概览|检测结果|诊断信息)\s*\.{3,}\s*(\d+)", toc)
    assert len(refs) == 3, toc[:600]
    numbers = [int(p) for _, p in refs]
    assert numbers == sorted(numbers) and all(1 <= p <= pages for p in numbers)
    # the findings chapter starts on the page the TOC says
    findings_page = dict(refs)["检测结果"]
    page_text = _run(pdftotext, "-f", findings_page, "-l", findings_page, str(pdf_path), "-")
    assert "检测结果" in page_text


def test_pdf_pages_render(pdf_path: Path, tmp_path: Path) -> None:
    pdftoppm = _tool("pdftoppm")
    _run(pdftoppm, "-png", "-r", "40", "-f", "1", "-l", "2", str(pdf_path), str(tmp_path / "p"))
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == 2
    for png in pngs:
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 3000


def test_pdf_in_english_via_cli(fixture_apk: Callable[[str], Path], tmp_path: Path) -> None:
    import subprocess as sp
    import sys

    out = tmp_path / "r.pdf"
    proc = sp.run(
        [sys.executable, "-m", "mobsec.cli", "scan", "-q", "--lang", "en", "-o", str(out),
         str(fixture_apk("java-basic"))],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    text = _run(_tool("pdftotext"), str(out), "-")
    assert "Security report" in text and "Contents" in text and "安全检测报告" not in text
