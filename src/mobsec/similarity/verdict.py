"""The verdict on a candidate against one genuine app, with its confidence and evidence.

- **genuine**: signed (verifiably) with a registered certificate, and it is this app (same
  package name, or its code, or its name or icon).
- **repackaged**: the genuine app's own code, signed with another certificate; what was
  injected or removed (classes, SDKs, permissions) is listed.
- **counterfeit**: imitates the name, icon or package name, with different code.
- **unrelated**: none of the above.

The thresholds live in :mod:`mobsec.similarity.signals` and were chosen on part of the
labelled set only (bench/eval_similarity.py reports the held-out transformations too).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mobsec.similarity.model import AppFingerprint
from mobsec.similarity.signals import (
    Signal,
    certificate_signal,
    code_diff,
    code_signal,
    icon_signal,
    name_signal,
    package_signal,
    permission_signal,
    resource_signal,
    sdk_signal,
)

VERDICTS = ("genuine", "repackaged", "counterfeit", "unrelated")
VERDICT_TITLES = {
    "genuine": ("Genuine", "正版"),
    "repackaged": ("Repackaged", "二次打包"),
    "counterfeit": ("Counterfeit", "仿冒"),
    "unrelated": ("Unrelated", "无关"),
}
RESOURCE_SAME_APP = 0.7  # overlap that says "the same app" when the code cannot say it


@dataclass(slots=True)
class Comparison:
    verdict: str
    confidence: float
    candidate: AppFingerprint
    genuine: AppFingerprint
    signals: list[Signal]
    reasons_en: list[str] = field(default_factory=list)
    reasons_zh: list[str] = field(default_factory=list)
    injected: dict[str, list[Any]] = field(default_factory=dict)
    removed: dict[str, list[Any]] = field(default_factory=dict)

    def signal(self, sig_id: str) -> Signal:
        return next(s for s in self.signals if s.id == sig_id)

    def to_json(self) -> dict[str, Any]:
        en, zh = VERDICT_TITLES[self.verdict]
        return {
            "verdict": self.verdict,
            "verdict_title": {"en": en, "zh-CN": zh},
            "confidence": round(self.confidence, 3),
            "reasons": {"en": self.reasons_en, "zh-CN": self.reasons_zh},
            "candidate": _summary(self.candidate),
            "genuine": _summary(self.genuine),
            "signals": [s.to_json() for s in self.signals],
            "injected": self.injected,
            "removed": self.removed,
        }


def _summary(fp: AppFingerprint) -> dict[str, Any]:
    return {
        "file": fp.file_name,
        "sha256": fp.sha256,
        "size": fp.size,
        "package": fp.package,
        "name": fp.display_name,
        "names": fp.names,
        "version_name": fp.version_name,
        "version_code": fp.version_code,
        "certificates": list(fp.certificates),
    }


def compare(
    candidate: AppFingerprint,
    genuine: AppFingerprint,
    registered_certs: Iterable[str] | None = None,
) -> Comparison:
    """Compare ``candidate`` with ``genuine``. ``registered_certs`` are the owner's signing
    certificate SHA-256s (hex); by default the genuine fingerprint's own."""
    certs = {c.lower().replace(":", "") for c in (registered_certs or genuine.certificates)}
    diff = code_diff(candidate, genuine)
    signals = [
        certificate_signal(candidate, certs),
        package_signal(candidate, genuine),
        name_signal(candidate, genuine),
        icon_signal(candidate, genuine),
        resource_signal(candidate, genuine),
        code_signal(diff),
        sdk_signal(candidate, genuine),
        permission_signal(candidate, genuine),
    ]
    by_id = {s.id: s for s in signals}
    cert, pkg, name, icon = by_id["certificate"], by_id["package"], by_id["name"], by_id["icon"]
    res, code = by_id["resources"], by_id["code"]

    same_code = code.matched or (not diff.comparable and res.score >= RESOURCE_SAME_APP)
    # A similar package name alone is how app series are named (uncrackable1/2/3); only
    # the same package name counts without the name or icon.
    imitation = max(
        name.score if name.matched else 0.0,
        icon.score if icon.matched else 0.0,
        pkg.score if pkg.score == 1.0 or (pkg.matched and (name.matched or icon.matched)) else 0.0,
    )
    en: list[str] = []
    zh: list[str] = []
    if candidate.sha256 == genuine.sha256:  # the registered file itself, signed or not
        verdict, confidence = "genuine", 1.0
        en.append("byte-identical to the registered package (same SHA-256)")
        zh.append("与已登记的安装包完全相同(SHA-256 一致)")
    elif cert.matched and (pkg.score == 1.0 or same_code):
        verdict = "genuine"
        confidence = 0.99 if pkg.score == 1.0 else 0.9
        en.append("signed with a registered certificate")
        zh.append("使用已登记的签名证书")
    elif cert.matched:  # the owner's key on another app of theirs: not a copy of this one
        verdict = "unrelated"
        confidence = 0.8
        en.append("signed with a registered certificate but another app (package and code differ)")
        zh.append("使用已登记的签名证书,但为另一款应用(包名和代码不同)")
    elif same_code:
        verdict = "repackaged"
        strength = code.score if diff.comparable else res.score
        confidence = min(0.99, 0.6 + 0.4 * strength)
        if diff.comparable:
            en.append(f"{code.score:.0%} of the genuine app's own code is in it")
            zh.append(f"包含正版应用自有代码的 {code.score:.0%}")
        else:
            en.append(f"{res.score:.0%} of the resource files are identical")
            zh.append(f"{res.score:.0%} 的资源文件完全相同")
        en.append("signed with a certificate that is not registered")
        zh.append("签名证书未登记")
    elif imitation:
        verdict = "counterfeit"
        confidence = min(0.99, 0.5 + 0.5 * imitation)
        for s in (name, icon, pkg):
            if s.matched:
                en.append(f"imitates the {TITLES_EN[s.id]}: {s.summary_en}")
                zh.append(f"仿冒{TITLES_ZH[s.id]}:{s.summary_zh}")
        en.append("its code is not the genuine app's")
        zh.append("代码与正版应用不同")
    else:
        verdict = "unrelated"
        confidence = min(0.99, 1.0 - 0.5 * max(name.score, icon.score, code.score, res.score))
        en.append("no name, icon, package or code similarity over the thresholds")
        zh.append("名称、图标、包名和代码相似度均未达到阈值")

    sdks, perms = by_id["sdks"].evidence, by_id["permissions"].evidence
    return Comparison(
        verdict,
        confidence,
        candidate,
        genuine,
        signals,
        en,
        zh,
        injected={
            "classes": diff.injected_classes[:200],
            "sdks": sdks["added"],
            "permissions": perms["added"],
        },
        removed={
            "classes": diff.removed_classes[:200],
            "sdks": sdks["removed"],
            "permissions": perms["removed"],
        },
    )


TITLES_EN = {"name": "app name", "icon": "launcher icon", "package": "package name"}
TITLES_ZH = {"name": "应用名称", "icon": "启动图标", "package": "包名"}
