"""What kind of package a file is, decided by its content, never by its extension.

Most mobile packages are ZIP archives told apart by the names inside them (an APK has a
binary ``AndroidManifest.xml``, an AAB ``BundleConfig.pb`` and ``base/manifest/``, an IPA
``Payload/*.app/``...). The others have a magic number (wxapkg: 0xBE ... 0xED). A file that
is no package at all is named by what it looks like (PDF, PNG, ELF, plain ZIP, text...), so
the user learns at once that they uploaded the wrong file.

:func:`sniff` looks at the first bytes only; :func:`classify_archive` at the entry names
(and a few entry heads) of an already opened, bounded :class:`Archive`. The engine uses both
(``mobsec.engine``); the format ids are the keys of ``mobsec.pipelines.PIPELINES``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mobsec.ingest.archive import Archive

# Format id -> platform. "unknown" is everything else (the description says what it is).
PLATFORM_OF = {
    "apk": "android",
    "apks": "android",
    "xapk": "android",
    "apkm": "android",
    "aab": "android",
    "aar": "android",
    "jar": "android",
    "ipa": "ios",
    "hap": "harmony",
    "harmony-app": "harmony",
    "wxapkg": "miniprogram",
}
FORMATS = (*PLATFORM_OF, "unknown")
SNIFF_BYTES = 4096

_AXML_MAGIC = b"\x03\x00\x08\x00"  # ResChunk RES_XML_TYPE with an 8-byte header
_APK_ROOT = re.compile(r"^(AndroidManifest\.xml|classes\d*\.dex|resources\.arsc)$")
_AAB_MODULE_MANIFEST = re.compile(r"^[^/]+/manifest/AndroidManifest\.xml$")
_IPA_APP = re.compile(r"(^|/)Payload/[^/]+\.app/")


@dataclass(frozen=True, slots=True)
class Detection:
    format: str  # one of FORMATS
    en: str  # what the file is, for messages: "an Android App Bundle (AAB)"
    zh: str
    kind: str = ""  # for "unknown": a short id of what it looks like ("pdf", "zip", "text")

    @property
    def platform(self) -> str | None:
        return PLATFORM_OF.get(self.format)

    @property
    def is_package(self) -> bool:
        return self.format != "unknown"


def _pkg(fmt: str, en: str, zh: str) -> Detection:
    return Detection(fmt, en, zh)


def _other(kind: str, en: str, zh: str) -> Detection:
    return Detection("unknown", en, zh, kind)


APK = _pkg("apk", "an Android package (APK)", "Android 安装包 (APK)")
APKS = _pkg("apks", "an Android split-APK set (.apks)", "Android 拆分 APK 集合 (.apks)")
XAPK = _pkg(
    "xapk", "an XAPK bundle (split APKs with manifest.json)", "XAPK 包(拆分 APK 与 manifest.json)"
)
APKM = _pkg("apkm", "an APKM bundle (split APKs with info.json)", "APKM 包(拆分 APK 与 info.json)")
AAB = _pkg("aab", "an Android App Bundle (AAB)", "Android App Bundle (AAB)")
AAR = _pkg("aar", "an Android library (AAR)", "Android 库 (AAR)")
JAR = _pkg("jar", "a Java archive (JAR)", "Java 归档 (JAR)")
IPA = _pkg("ipa", "an iOS app (IPA)", "iOS 应用 (IPA)")
HAP = _pkg("hap", "a HarmonyOS module (HAP)", "HarmonyOS 模块 (HAP)")
HARMONY_APP = _pkg("harmony-app", "a HarmonyOS app pack (APP)", "HarmonyOS 应用包 (APP)")
WXAPKG = _pkg("wxapkg", "a WeChat mini-program package (wxapkg)", "微信小程序包 (wxapkg)")
WXAPKG_ENCRYPTED = _pkg(
    "wxapkg",
    "an encrypted PC-WeChat mini-program package (wxapkg, V1MMWX)",
    "PC 微信加密的小程序包 (wxapkg, V1MMWX)",
)
PLAIN_ZIP = _other(
    "zip",
    "a ZIP archive with no app package content (no AndroidManifest.xml, classes.dex, "
    "Payload/*.app, module.json, split APKs...)",
    "不含应用安装包内容的 ZIP 压缩包(没有 AndroidManifest.xml、classes.dex、Payload/*.app、"
    "module.json、拆分 APK 等)",
)
EMPTY_ZIP = _other("zip", "an empty ZIP archive", "空的 ZIP 压缩包")

# (magic, offset) -> what it is. Checked in order; the first match wins.
_MAGIC: list[tuple[bytes, int, Detection]] = [
    (b"%PDF-", 0, _other("pdf", "a PDF document", "PDF 文档")),
    (b"\x89PNG\r\n\x1a\n", 0, _other("png", "a PNG image", "PNG 图片")),
    (b"\xff\xd8\xff", 0, _other("jpeg", "a JPEG image", "JPEG 图片")),
    (b"GIF8", 0, _other("gif", "a GIF image", "GIF 图片")),
    (b"\x7fELF", 0, _other("elf", "an ELF binary (a native library or program)", "ELF 二进制文件(原生库或程序)")),
    (b"dex\n", 0, _other("dex", "a bare DEX file (Dalvik bytecode, not a package)", "单独的 DEX 文件(Dalvik 字节码,不是安装包)")),
    (b"\xcf\xfa\xed\xfe", 0, _other("macho", "a Mach-O binary (not an IPA)", "Mach-O 二进制文件(不是 IPA)")),
    (b"\xce\xfa\xed\xfe", 0, _other("macho", "a Mach-O binary (not an IPA)", "Mach-O 二进制文件(不是 IPA)")),
    (b"PANDA\x00\x00\x00", 0, _other("abc", "a bare Ark bytecode file (modules.abc, not a HAP)", "单独的方舟字节码文件(modules.abc,不是 HAP)")),
    (b"MZ", 0, _other("pe", "a Windows executable (PE)", "Windows 可执行文件 (PE)")),
    (b"\x1f\x8b", 0, _other("gzip", "a gzip-compressed file", "gzip 压缩文件")),
    (b"BZh", 0, _other("bzip2", "a bzip2-compressed file", "bzip2 压缩文件")),
    (b"\xfd7zXZ\x00", 0, _other("xz", "an xz-compressed file", "xz 压缩文件")),
    (b"7z\xbc\xaf\x27\x1c", 0, _other("7z", "a 7-Zip archive", "7-Zip 压缩包")),
    (b"Rar!\x1a\x07", 0, _other("rar", "a RAR archive", "RAR 压缩包")),
    (b"ustar", 257, _other("tar", "a tar archive", "tar 归档")),
    (b"SQLite format 3\x00", 0, _other("sqlite", "an SQLite database", "SQLite 数据库")),
    (b"bplist00", 0, _other("plist", "a binary property list (not an IPA)", "二进制属性列表(不是 IPA)")),
]  # fmt: skip
_CLASS_FILE = _other("class", "a Java class file (not a JAR)", "Java 类文件(不是 JAR)")
_FAT_MACHO = _other(
    "macho", "a universal Mach-O binary (not an IPA)", "通用 Mach-O 二进制文件(不是 IPA)"
)
_EMPTY = _other("empty", "an empty file", "空文件")
_BINARY = _other("binary", "unrecognised binary data", "无法识别的二进制数据")


def sniff(head: bytes) -> Detection | None:
    """What the first bytes say, or None when only the ZIP reader can tell (a ZIP, or data
    that may be a ZIP with a prefix). ``head`` is the first :data:`SNIFF_BYTES` bytes."""
    if not head:
        return _EMPTY
    if head[:6] == b"V1MMWX":
        return WXAPKG_ENCRYPTED
    if len(head) >= 14 and head[0] == 0xBE and head[13] == 0xED:
        return WXAPKG
    if head[:2] == b"PK":
        return None
    for magic, offset, det in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return det
    if head[:4] == b"\xca\xfe\xba\xbe":
        # Shared by Java class files and fat Mach-O: a fat header's next word is a small
        # architecture count, a class file's is its minor/major version (major >= 45).
        return _FAT_MACHO if int.from_bytes(head[4:8], "big") < 45 else _CLASS_FILE
    return None


def describe_non_zip(head: bytes) -> Detection:
    """What a file that is neither a known magic nor a readable ZIP looks like."""
    found = sniff(head)
    if found is not None and not found.is_package:
        return found
    text = _as_text(head)
    if text is None:
        return _BINARY
    stripped = text.lstrip("\ufeff \t\r\n").lower()
    if stripped.startswith(("<!doctype html", "<html")):
        return _other("html", "an HTML page", "HTML 网页")
    if stripped.startswith("<?xml") or stripped.startswith("<"):
        return _other("xml", "an XML text document", "XML 文本文档")
    if stripped.startswith(("{", "[")):
        return _other("json", "a JSON text document", "JSON 文本文档")
    return _other("text", "a plain text file", "纯文本文件")


def _as_text(head: bytes) -> str | None:
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 4:  # not just a multi-byte character cut by the sniff window
            return None
        text = head[: e.start].decode("utf-8")
    printable = sum(1 for c in text if c.isprintable() or c in "\t\r\n")
    return text if text and printable / len(text) > 0.95 else None


def classify_archive(archive: Archive) -> Detection:
    """Which package an opened ZIP is, by the names (and a few heads) of its entries.

    Order matters where formats overlap: an AAR has a root ``AndroidManifest.xml`` like an
    APK but in text form; a HAP has ``pack.info`` like an APP pack; an XAPK/APKM/APKS is a
    ZIP of APKs with its own index file.
    """
    names = archive.names()
    if not names:
        return EMPTY_ZIP
    root = {n for n in names if "/" not in n}
    root_apks = [n for n in root if n.lower().endswith(".apk")]
    has_abc = any(n.endswith(".abc") for n in names)
    if "AndroidManifest.xml" in root:
        head = archive.head("AndroidManifest.xml", 8) or b""
        if head[:4] != _AXML_MAGIC and ("classes.jar" in root or "R.txt" in root):
            return AAR
        return APK
    if any(_APK_ROOT.match(n) for n in root):
        return APK
    if "BundleConfig.pb" in root or any(_AAB_MODULE_MANIFEST.match(n) for n in names):
        return AAB
    if "toc.pb" in root or any(
        n.startswith(("splits/", "standalones/")) and n.endswith(".apk") for n in names
    ):
        return APKS
    if root_apks and "manifest.json" in root:
        return XAPK
    if root_apks and "info.json" in root:
        return APKM
    if any(_IPA_APP.search(n) for n in names):
        return IPA
    if "pack.info" in root and any(n.lower().endswith(".hap") for n in root):
        return HARMONY_APP
    if "module.json" in root or (("config.json" in root or "pack.info" in root) and has_abc):
        return HAP
    if root_apks and len(root_apks) == len(root):
        return APKS  # a bare set of APKs (universal.apk alone, or adb install-multiple style)
    if "META-INF/MANIFEST.MF" in names or any(n.endswith(".class") for n in names):
        return JAR
    ipas = [n for n in names if n.lower().endswith(".ipa") and not n.startswith("__MACOSX/")]
    if len(ipas) == 1:
        return IPA  # an IPA zipped once more: the iOS reader opens the inner one (bounded)
    return PLAIN_ZIP
