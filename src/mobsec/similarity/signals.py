"""Similarity signals between a candidate and a genuine app, each with its evidence.

Each signal answers one question a reviewer can check by hand: is the signing
certificate a registered one, is the package name the same, does the name imitate the
genuine name, does the icon look the same (perceptual hashes), how many resource files
are byte-identical (FSquaDRA's overlap coefficient), how much of the genuine app's own
code is in the candidate and how much of the candidate's code is not in the genuine app
(per-method fingerprints, both ways), which SDKs and permissions were added or removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mobsec.similarity.icons import hamming, template_icon
from mobsec.similarity.model import AppFingerprint
from mobsec.similarity.names import best_name_match, edit_distance

MAX_EVIDENCE_ITEMS = 20
MIN_CODE_METHODS = 3  # below this the genuine app's own code is too small to compare
ICON_MATCH_BITS = 10  # pHash Hamming distance at or under which icons look the same
NAME_MATCH = 0.75
PACKAGE_MATCH = 0.8

TITLES = {
    "certificate": ("Signing certificate", "签名证书"),
    "package": ("Package name", "包名"),
    "name": ("App name", "应用名称"),
    "icon": ("Launcher icon", "启动图标"),
    "resources": ("Identical resource files", "相同资源文件"),
    "code": ("Code similarity", "代码相似度"),
    "sdks": ("SDKs added / removed", "新增 / 移除的 SDK"),
    "permissions": ("Permissions added / removed", "新增 / 移除的权限"),
}


@dataclass(slots=True)
class Signal:
    id: str
    score: float  # 0..1: how strongly this signal ties the candidate to the genuine app
    matched: bool  # over this signal's own threshold
    summary_en: str
    summary_zh: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        en, zh = TITLES[self.id]
        return {
            "id": self.id,
            "title": {"en": en, "zh-CN": zh},
            "score": round(self.score, 3),
            "matched": self.matched,
            "summary": {"en": self.summary_en, "zh-CN": self.summary_zh},
            "evidence": self.evidence,
        }


def _cut(items: Iterable[str]) -> list[str]:
    return sorted(items)[:MAX_EVIDENCE_ITEMS]


def certificate_signal(c: AppFingerprint, registered: set[str]) -> Signal:
    shared = set(c.certificates) & registered
    ok = bool(shared) and c.signature_verified
    evidence = {
        "candidate": list(c.certificates),
        "registered": sorted(registered),
        "signature_verified": c.signature_verified,
    }
    if ok:
        return Signal(
            "certificate",
            1.0,
            True,
            "Signed with a registered certificate (signature verified)",
            "使用已登记的证书签名(签名验证通过)",
            evidence,
        )
    if shared:  # a copied signature block that does not verify proves nothing
        return Signal(
            "certificate",
            0.0,
            False,
            "Carries a registered certificate but its signature does not verify",
            "包含已登记的证书,但签名验证未通过",
            evidence,
        )
    return Signal(
        "certificate",
        0.0,
        False,
        "Signed with a certificate that is not registered",
        "签名证书未登记",
        evidence,
    )


def package_signal(c: AppFingerprint, g: AppFingerprint) -> Signal:
    a, b = c.package.lower(), g.package.lower()
    if a and a == b:
        score = 1.0
    elif a and b:
        score = 1.0 - edit_distance(a, b) / max(len(a), len(b))
        if b in a or a in b:
            score = max(score, 0.85)
    else:
        score = 0.0
    matched = score >= PACKAGE_MATCH
    same = score == 1.0
    return Signal(
        "package",
        score,
        matched,
        "Same package name" if same else f"Package name {c.package!r} vs {g.package!r}",
        "包名相同" if same else f"包名 {c.package!r} 与 {g.package!r}",
        {"candidate": c.package, "genuine": g.package},
    )


def name_signal(c: AppFingerprint, g: AppFingerprint) -> Signal:
    match = best_name_match(c.names, g.names)
    if match is None:
        return Signal("name", 0.0, False, "No app name to compare", "无可比较的应用名称", {})
    how_zh = {
        "exact": "完全相同",
        "confusable": "形近字符替换后相同",
        "pinyin": "拼音相同",
        "brand": "包含品牌名称",
        "edit": "编辑距离相近",
        "none": "不相似",
    }[match.how]
    return Signal(
        "name",
        match.score,
        match.score >= NAME_MATCH,
        f"{match.candidate!r} vs {match.genuine!r}: {match.how}",
        f"{match.candidate!r} 与 {match.genuine!r}:{how_zh}",
        match.to_json(),
    )


def icon_signal(c: AppFingerprint, g: AppFingerprint) -> Signal:
    if c.icon is None or g.icon is None:
        return Signal("icon", 0.0, False, "No bitmap icon to compare", "无可比较的位图图标", {})
    d_p = hamming(c.icon.phash, g.icon.phash)
    d_d = hamming(c.icon.dhash, g.icon.dhash)
    score = max(0.0, 1.0 - d_p / 32)
    template = template_icon(g.icon.phash)
    matched = d_p <= ICON_MATCH_BITS and template is None  # dHash: evidence only
    en = f"Perceptual hash distance {d_p} bits (pHash), {d_d} bits (dHash) of 64"
    zh = f"感知哈希距离 {d_p} 位(pHash)、{d_d} 位(dHash),共 64 位"
    if template is not None:
        en += f"; the genuine icon is a stock template icon ({template}): not evidence"
        zh += f";正版应用使用的是开发工具模板图标({template}),不作为仿冒证据"
    return Signal(
        "icon",
        score,
        matched,
        en,
        zh,
        {
            "template_icon": template,
            "phash_distance": d_p,
            "dhash_distance": d_d,
            "candidate": c.icon.to_json(),
            "genuine": g.icon.to_json(),
        },
    )


def resource_signal(c: AppFingerprint, g: AppFingerprint) -> Signal:
    """FSquaDRA: files with identical bytes, overlap coefficient |A∩B| / min(|A|, |B|)."""
    a, b = set(c.resources.values()), set(g.resources.values())
    if not a or not b:
        return Signal(
            "resources", 0.0, False, "No resource files to compare", "无可比较的资源文件", {}
        )
    shared = a & b
    overlap = len(shared) / min(len(a), len(b))
    jaccard = len(shared) / len(a | b)
    paths = [p for p, h in c.resources.items() if h in shared]
    return Signal(
        "resources",
        overlap,
        overlap >= 0.5,
        f"{len(shared)} identical files: overlap coefficient {overlap:.2f} (Jaccard {jaccard:.2f})",
        f"{len(shared)} 个相同文件:重叠系数 {overlap:.2f}(Jaccard {jaccard:.2f})",
        {
            "shared": len(shared),
            "candidate_files": len(a),
            "genuine_files": len(b),
            "overlap": round(overlap, 3),
            "jaccard": round(jaccard, 3),
            "shared_examples": _cut(paths),
        },
    )


@dataclass(slots=True)
class CodeDiff:
    genuine_in_candidate: float  # containment of the genuine app's own code
    candidate_in_genuine: float  # containment of the candidate's code in the genuine app
    genuine_methods: int
    candidate_methods: int
    shared_methods: int
    injected_classes: list[str]
    removed_classes: list[str]
    comparable: bool


def code_diff(c: AppFingerprint, g: AppFingerprint) -> CodeDiff:
    g_own, g_all = g.code.app_set(), g.code.all_set()
    c_all = c.code.all_set()
    shared = g_own & c_all
    g2c = len(shared) / len(g_own) if g_own else 0.0
    c2g = len(c_all & g_all) / len(c_all) if c_all else 0.0
    injected = [
        desc
        for group in (c.code.app, c.code.lib)
        for desc, hashes in group.items()
        if not any(h in g_all for h in hashes)
    ]
    removed = [desc for desc, hashes in g.code.app.items() if not any(h in c_all for h in hashes)]
    return CodeDiff(
        g2c,
        c2g,
        len(g_own),
        len(c_all),
        len(shared),
        sorted(injected),
        sorted(removed),
        len(g_own) >= MIN_CODE_METHODS,
    )


def code_signal(diff: CodeDiff) -> Signal:
    evidence = {
        "genuine_in_candidate": round(diff.genuine_in_candidate, 3),
        "candidate_in_genuine": round(diff.candidate_in_genuine, 3),
        "genuine_methods": diff.genuine_methods,
        "candidate_methods": diff.candidate_methods,
        "shared_methods": diff.shared_methods,
        "injected_classes": diff.injected_classes[:MAX_EVIDENCE_ITEMS],
        "injected_class_count": len(diff.injected_classes),
        "removed_classes": diff.removed_classes[:MAX_EVIDENCE_ITEMS],
        "removed_class_count": len(diff.removed_classes),
        "comparable": diff.comparable,
    }
    if not diff.comparable:
        return Signal(
            "code",
            diff.genuine_in_candidate,
            False,
            f"The genuine app has only {diff.genuine_methods} own methods: too little to compare",
            f"正版应用自有方法仅 {diff.genuine_methods} 个,不足以比较",
            evidence,
        )
    g2c, c2g = diff.genuine_in_candidate, diff.candidate_in_genuine
    return Signal(
        "code",
        g2c,
        g2c >= 0.6,
        f"{g2c:.0%} of the genuine app's own methods are in the candidate; "
        f"{c2g:.0%} of the candidate's methods are in the genuine app; "
        f"{len(diff.injected_classes)} classes only in the candidate",
        f"正版应用自有方法的 {g2c:.0%} 出现在被检应用中;被检应用方法的 {c2g:.0%} 出现在正版应用中;"
        f"{len(diff.injected_classes)} 个类仅存在于被检应用",
        evidence,
    )


def _added_removed(
    sig_id: str, c: Iterable[str], g: Iterable[str], what_en: str, what_zh: str
) -> Signal:
    cs, gs = set(c), set(g)
    added, removed = sorted(cs - gs), sorted(gs - cs)
    same = len(cs & gs) / len(cs | gs) if cs | gs else 1.0
    return Signal(
        sig_id,
        same,
        not added and not removed,
        f"{len(added)} {what_en} added, {len(removed)} removed",
        f"新增 {len(added)} 个{what_zh},移除 {len(removed)} 个",
        {"added": added, "removed": removed},
    )


def sdk_signal(c: AppFingerprint, g: AppFingerprint) -> Signal:
    sig = _added_removed("sdks", c.sdks, g.sdks, "SDKs", "SDK")
    names = {**g.sdks, **c.sdks}
    names_zh = {**g.sdk_names_zh, **c.sdk_names_zh}
    for key in ("added", "removed"):
        sig.evidence[key] = [
            {"id": i, "name": names.get(i, i), "name_zh": names_zh.get(i, i)}
            for i in sig.evidence[key]
        ]
    return sig


def permission_signal(c: AppFingerprint, g: AppFingerprint) -> Signal:
    return _added_removed("permissions", c.permissions, g.permissions, "permissions", "权限")
