"""Format detection by content: every corpus sample, the APK fixtures, and non-packages
named by what they look like (whatever their extension)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from mobsec.diagnostics import Diagnostics
from mobsec.engine import scan
from mobsec.ingest.archive import Archive
from mobsec.ingest.detect import FORMATS, PLATFORM_OF, classify_archive, describe_non_zip, sniff
from mobsec.pipelines import PIPELINES, pipeline_for
from mobsec.report.schema import validate_report

# corpus/formats/<dir>/ -> the format every file in it is
FORMAT_OF_DIR = {
    "aab": "aab", "aar": "aar", "apks": "apks", "hap": "hap", "harmony-app": "harmony-app",
    "ipa": "ipa", "jar": "jar", "wxapkg": "wxapkg",
}  # fmt: skip


def _detect(path: Path) -> str:
    head = path.read_bytes()[:4096]
    found = sniff(head)
    if found is None:
        with Archive.open(path, Diagnostics()) as archive:
            found = classify_archive(archive)
    return found.format


@pytest.mark.corpus
def test_every_corpus_format_sample_is_recognised(corpus_dir: Path) -> None:
    rows = (corpus_dir / "formats" / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(rows) >= 30
    for row in rows:
        rel = row.split("\t")[0]
        assert _detect(corpus_dir / "formats" / rel) == FORMAT_OF_DIR[rel.split("/")[0]], rel


@pytest.mark.corpus
def test_extension_does_not_decide(corpus_dir: Path, tmp_path: Path) -> None:
    """An AAB renamed .apk and an IPA renamed .zip are still what their content says."""
    aab = tmp_path / "looks-like.apk"
    shutil.copy(corpus_dir / "formats/aab/appinfo_android.aab", aab)
    ipa = tmp_path / "looks-like.zip"
    shutil.copy(corpus_dir / "formats/ipa/fastlane_very-capable-app.ipa", ipa)
    assert _detect(aab) == "aab"
    assert _detect(ipa) == "ipa"


def test_fixture_apk_is_an_apk(fixture_apk) -> None:
    assert _detect(fixture_apk("minimal-smali")) == "apk"


NON_PACKAGES = [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "pdf", "PDF", "PDF 文档"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png", "PNG image", "PNG 图片"),
    (b"\x7fELF\x02\x01\x01\x00" + bytes(56), "elf", "ELF binary", "ELF"),
    (b"dex\n035\x00" + bytes(100), "dex", "DEX file", "DEX"),
    (b"\xcf\xfa\xed\xfe\x0c\x00\x00\x01" + bytes(24), "macho", "Mach-O", "Mach-O"),
    (b"\xca\xfe\xba\xbe\x00\x00\x00\x02" + bytes(40), "macho", "universal Mach-O", "Mach-O"),
    (b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + bytes(40), "class", "Java class file", "Java 类"),
    (b"PANDA\x00\x00\x00" + bytes(40), "abc", "Ark bytecode", "方舟字节码"),
    (b"\x1f\x8b\x08\x00" + bytes(20), "gzip", "gzip", "gzip"),
    (b"<!DOCTYPE html><html><body>hi</body></html>", "html", "HTML", "HTML"),
    (b"<?xml version='1.0'?><manifest/>", "xml", "XML", "XML"),
    ('{"name": "不是安装包"}'.encode(), "json", "JSON", "JSON"),
    ("这只是一段文字 just text\n".encode() * 50, "text", "plain text", "纯文本"),
    (b"", "empty", "empty file", "空文件"),
    (bytes(range(256)) * 4, "binary", "unrecognised binary", "二进制"),
]


@pytest.mark.parametrize(("data", "kind", "en", "zh"), NON_PACKAGES)
def test_non_packages_are_named(data: bytes, kind: str, en: str, zh: str) -> None:
    found = describe_non_zip(data[:4096])
    assert (found.format, found.kind) == ("unknown", kind)
    assert en in found.en and zh in found.zh
    assert found.platform is None


@pytest.mark.parametrize(("data", "kind", "en", "zh"), NON_PACKAGES[:3] + NON_PACKAGES[-3:])
def test_scanning_a_non_package_reports_what_it_looks_like(
    tmp_path: Path, data: bytes, kind: str, en: str, zh: str
) -> None:
    path = tmp_path / "app.apk"  # the extension promises an APK; the content decides
    path.write_bytes(data)
    doc = scan(path).to_json()
    validate_report(doc)
    assert doc["package"]["format"] == "unknown" and doc["package"]["platform"] is None
    (err,) = [d for d in doc["diagnostics"] if d["level"] == "error"]
    assert err["code"] == "input.unsupported_format"
    assert err["detail"]["looks_like"] == kind
    assert en in err["message"]["en"] and zh in err["message"]["zh-CN"]
    assert doc["findings"] == [] and doc["manifest"] is None


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"readme.txt": b"hello", "img/logo.png": b"\x89PNG"}, "unknown"),
        ({}, "unknown"),
        ({"classes.dex": b"dex\n035\x00"}, "apk"),  # no manifest, but APK content: an APK
        ({"AndroidManifest.xml": b"<manifest/>", "classes.jar": b"PK", "R.txt": b""}, "aar"),
        ({"manifest.json": b"{}", "com.x.apk": b"PK", "config.arm64_v8a.apk": b"PK"}, "xapk"),
        ({"info.json": b"{}", "base.apk": b"PK", "split_config.en.apk": b"PK"}, "apkm"),
        ({"base.apk": b"PK", "split_config.xxhdpi.apk": b"PK"}, "apks"),
        ({"BundleConfig.pb": b"", "base/manifest/AndroidManifest.xml": b""}, "aab"),
        ({"x/Payload/A.app/Info.plist": b""}, "ipa"),
        ({"module.json": b"{}", "ets/modules.abc": b"PANDA"}, "hap"),
        ({"pack.info": b"{}", "entry-default.hap": b"PK"}, "harmony-app"),
        ({"META-INF/MANIFEST.MF": b"Manifest-Version: 1.0\n", "a/B.class": b""}, "jar"),
    ],
)
def test_zip_content_decides(tmp_path: Path, files: dict[str, bytes], expected: str) -> None:
    assert _detect(_zip(tmp_path / "upload.bin", files)) == expected


def test_plain_zip_is_named_plain_zip(tmp_path: Path) -> None:
    path = _zip(tmp_path / "app.apk", {"readme.txt": b"hello"})
    doc = scan(path).to_json()
    validate_report(doc)
    (err,) = [d for d in doc["diagnostics"] if d["level"] == "error"]
    assert err["code"] == "input.unsupported_format" and err["detail"]["looks_like"] == "zip"
    assert "ZIP archive" in err["message"]["en"] and "ZIP 压缩包" in err["message"]["zh-CN"]


def test_every_pipeline_is_a_known_format_and_loads() -> None:
    assert "apk" in PIPELINES
    for fmt in PIPELINES:
        assert fmt in FORMATS and fmt in PLATFORM_OF
        assert callable(pipeline_for(fmt))
    assert pipeline_for("unknown") is None
