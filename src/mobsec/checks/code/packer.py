"""Packers and protectors ("加固"): the app's real code is encrypted and unpacked at run time.

Informational (MASVS-RESILIENCE): a reviewer must know that the DEX in the package is a
stub and the code they see is not the code that runs — every other finding on such an app
covers only the protector's loader. Recognised by the protector's own fingerprints
(``packers.json``: stub Application classes, packages, loader libraries and payload files
under ``lib/`` or ``assets/``), strongest first: the manifest's Application class (placed
at ``<application>``), a stub class in the DEX, a file. Without a known protector, a
high-entropy payload of no known format (``nested_code`` kind ``encrypted?``) is reported
at low confidence: it may be a packed app, or just encrypted game data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from fnmatch import translate
from functools import cache
from importlib import resources
from typing import Any

from mobsec.checks.code._common import GBT_RESILIENCE
from mobsec.checks.context import CheckContext, java_name
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text

CATALOG = "packers.json"
MAX_INDICATORS = 8  # per vendor in the message; the evidence lists all (bounded below)
MAX_EVIDENCE_LINES = 40
_SCANNED_DIRS = ("lib/", "assets/")


@dataclass(frozen=True)
class Packer:
    id: str
    en: str
    zh: str
    classes: frozenset[str]
    packages: tuple[str, ...]  # "com.secneo.apkwrapper." (dot-terminated: segment-aware)
    files: re.Pattern[str] | None


@dataclass
class Detection:
    packer: Packer
    app_class: str | None = None  # the manifest's Application/appComponentFactory is a stub
    classes: list[str] = field(default_factory=list)  # descriptors
    files: list[str] = field(default_factory=list)


def _packer(entry: dict[str, Any]) -> Packer:
    pats = [translate(p) for p in entry["files"]]
    return Packer(
        id=entry["id"],
        en=entry["vendor"]["en"],
        zh=entry["vendor"]["zh-CN"],
        classes=frozenset(entry["classes"]),
        packages=tuple(p.rstrip(".") + "." for p in entry["packages"]),
        files=re.compile("|".join(pats)) if pats else None,
    )


@cache
def load_catalog() -> tuple[Packer, ...]:
    """The packaged catalog (read once; it is data, not configuration)."""
    text = resources.files("mobsec.checks.code").joinpath(CATALOG).read_text(encoding="utf-8")
    return tuple(_packer(e) for e in json.loads(text)["packers"])


def class_matches(packer: Packer, name: str) -> bool:
    """Java class name ``name`` is one of the packer's stubs or inside its packages."""
    return name in packer.classes or name.startswith(packer.packages)


def detect(ctx: CheckContext, catalog: tuple[Packer, ...]) -> list[Detection]:
    """Every catalogued protector with at least one fingerprint in the package."""
    found: dict[str, Detection] = {}

    def hit(p: Packer) -> Detection:
        return found.setdefault(p.id, Detection(p))

    app = ctx.manifest.application if ctx.manifest is not None else None
    for name in (app.name, app.app_component_factory) if app is not None else ():
        for p in catalog:
            if name and class_matches(p, name) and hit(p).app_class is None:
                hit(p).app_class = name
    # One test per class against every packer at once (tens of thousands of classes).
    stub_descs = {_descriptor(c) for p in catalog for c in p.classes}
    prefixes = tuple("L" + pkg.replace(".", "/") for p in catalog for pkg in p.packages)
    for desc in ctx.code.classes:
        if desc in stub_descs or desc.startswith(prefixes):
            name = java_name(desc)
            for p in catalog:
                if class_matches(p, name):
                    hit(p).classes.append(desc)
    archive = ctx.facts.pkg.archive
    for path in archive.names() if archive is not None else []:
        if not path.startswith(_SCANNED_DIRS):
            continue
        base = path.rsplit("/", 1)[-1]
        for p in catalog:
            if p.files is not None and p.files.fullmatch(base):
                hit(p).files.append(path)
    return [found[k] for k in sorted(found)]


def _descriptor(java: str) -> str:
    return "L" + java.replace(".", "/") + ";"


_META = dict(
    severity=Severity.INFO,
    owasp=["M7"],
    gbt_34975=GBT_RESILIENCE,
    masvs=["MASVS-RESILIENCE-3", "MASVS-RESILIENCE-4"],
    cwe=[656],
)


@check(
    "android.code.packer",
    title=("App packed by a protector (informational)", "应用已加固/加壳(提示信息)"),
    description=(
        "The package carries the stub of a known packer or protector (Bangcle, Tencent "
        "Legu, 360 Jiagu, iJiami, Baidu, Alibaba...), or a payload that looks encrypted. "
        "The DEX code in the package is then mostly the protector's loader: the app's own "
        "code is decrypted at run time, so static findings cover only what is visible. "
        "Packing raises the cost of reverse engineering; it is not a fix for weaknesses.",
        "安装包中含有已知加固/加壳厂商(梆梆、腾讯乐固、360 加固、爱加密、百度、阿里等)的壳程序,或"
        "疑似加密的载荷。此时包内 DEX 主要是加固方的加载器,应用自身代码在运行时解密,静态检测只覆盖"
        "可见部分。加固提高逆向成本,但不能替代漏洞修复。",
    ),
    remediation=(
        "For a complete assessment, analyse the unprotected build (or a memory dump of the "
        "unpacked code). Keep the protector up to date; known versions have public "
        "unpackers.",
        "如需完整评估,请检测加固前的安装包(或运行时脱壳后的代码)。保持加固方案为最新版本,旧版本"
        "已有公开的脱壳工具。",
    ),
    confidence=Confidence.HIGH,
    **_META,
)
def packer(ctx: CheckContext) -> Iterator[Finding]:
    detections = detect(ctx, load_catalog())
    payloads = [n for n in ctx.facts.pkg.nested_code if n.kind == "encrypted?"]
    for d in detections:
        yield _detection_finding(ctx, d, payloads)
    if detections:
        return
    for n in payloads:
        yield ctx.file_finding(
            n.path,
            evidence=f"{n.path}: {n.size} bytes, sha256 {n.sha256 or '?'}\n{n.note}",
            message=Text(
                f"possibly encrypted payload {n.path} (no known format; a packed app ships its "
                f"code like this, but so do apps with encrypted data)",
                f"疑似加密载荷 {n.path}(非已知格式;加固应用以此形式携带代码,但也可能只是加密数据)",
            ),
            key=f"payload:{n.path}",
            confidence=Confidence.LOW,
        )


def _detection_finding(ctx: CheckContext, d: Detection, payloads: list) -> Finding:
    p = d.packer
    indicators = (
        ([f"Application class {d.app_class}"] if d.app_class else [])
        + [f"class {java_name(c)}" for c in d.classes if java_name(c) != d.app_class]
        + [f"file {f}" for f in d.files]
    )
    shown = ", ".join(indicators[:MAX_INDICATORS]) + (
        f" (+{len(indicators) - MAX_INDICATORS})" if len(indicators) > MAX_INDICATORS else ""
    )
    message = Text(f"packed with {p.en}: {shown}", f"使用{p.zh}加固:{shown}")
    lines = indicators + [f"payload {n.path} ({n.note})" for n in payloads]
    evidence = "\n".join(lines[:MAX_EVIDENCE_LINES])
    # Only a stub named in the manifest or present in the DEX is certain; a file name alone
    # could be a coincidence.
    confidence = None if d.app_class or d.classes else Confidence.MEDIUM
    if d.app_class:
        app = ctx.manifest.application
        f = ctx.manifest_finding(
            line=app.line or None,
            subject="application",
            message=message,
            key=p.id,
            confidence=confidence,
        )
        return replace(f, evidence=(f.evidence + "\n" if f.evidence else "") + evidence)
    if d.classes:
        desc = d.classes[0]
        dex = ctx.code.classes[desc][0]
        f = ctx.file_finding(
            dex.name, evidence=evidence, message=message, key=p.id, owner=ctx.owner_of(desc)
        )
        return replace(f, location=replace(f.location, class_name=java_name(desc)))
    return ctx.file_finding(
        d.files[0], evidence=evidence, message=message, key=p.id, confidence=confidence
    )
