"""Is there a privacy policy in the app at all? (191号文 1.1)

We look for what shows a policy to the user or links to it: resource strings, asset files
(names and small text/HTML contents), http(s) URLs in the app's own code whose path names
a privacy page, and Chinese policy titles in the app's DEX strings. Finding one is not
proof that the policy is shown or complete (1.2–1.4 need a run); finding none is a strong
sign of 1.1 ("App中无隐私政策").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mobsec.facts.privacy._strings import strings_with_prefix

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts
    from mobsec.ingest.dex import DexFile

MARKERS_ZH = ("隐私政策", "隐私协议", "隐私权政策", "隐私保护指引", "隐私声明", "个人信息保护政策")
MARKERS_EN = ("privacy policy", "privacy statement", "privacy notice")
MARKERS_ZH_START = "隐私"  # what all but the last of MARKERS_ZH start with
URL_MARKERS = ("privacy", "yinsi", "隐私")
MAX_ASSET_BYTES = 1 << 20
MAX_ASSETS_READ = 200
MAX_EVIDENCE = 10


@dataclass(frozen=True, slots=True)
class PolicyEvidence:
    kind: str  # resource-string | asset | code-url | code-string
    where: str  # resource name, asset path, class name or DEX file
    text: str  # the matching text (shortened)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "where": self.where, "text": self.text}


def _marker(text: str) -> str | None:
    low = text.lower()
    for m in MARKERS_ZH:
        if m in text:
            return m
    for m in MARKERS_EN:
        if m in low or m.replace(" ", "_") in low or m.replace(" ", "-") in low:
            return m
    return None


def find_policy_evidence(facts: AppFacts) -> list[PolicyEvidence]:
    out: list[PolicyEvidence] = []
    out += _resource_strings(facts)
    out += _assets(facts)
    out += _code(facts)
    return out[:MAX_EVIDENCE]


def _resource_strings(facts: AppFacts) -> list[PolicyEvidence]:
    table = facts.pkg.resources
    if table is None:
        return []
    out = []
    for res_id in table.resource_ids():
        name = (table.name_of(res_id) or "").lstrip("@")
        if not name.startswith("string/"):
            continue
        for _config, value in table.values(res_id):
            v = value.value()
            if isinstance(v, str) and _marker(v):
                out.append(PolicyEvidence("resource-string", name, v[:120]))
                break
        if len(out) >= MAX_EVIDENCE:
            break
    return out


def _assets(facts: AppFacts) -> list[PolicyEvidence]:
    archive = facts.pkg.archive
    out = []
    read = 0
    for name in archive.names():
        if not name.startswith("assets/"):
            continue
        if _marker(name.replace("_", " ").replace("-", " ")) or "privacy" in name.lower():
            out.append(PolicyEvidence("asset", name, name))
            continue
        if not name.lower().endswith((".html", ".htm", ".txt")) or read >= MAX_ASSETS_READ:
            continue
        entry = archive.get(name)
        if entry is None or entry.uncompressed_size > MAX_ASSET_BYTES:
            continue
        read += 1
        data = archive.read(entry, MAX_ASSET_BYTES)
        if data is None:
            continue
        text = data.decode("utf-8", "replace")
        m = _marker(text)
        if m:
            out.append(PolicyEvidence("asset", name, m))
    return out


def _code(facts: AppFacts) -> list[PolicyEvidence]:
    code = facts.code
    owner_of = facts.owners.owner_of
    out = []
    # The checks and the privacy assessment both ask: the byte search is done once.
    titles = facts.memo(("privacy", "policy titles in code"), lambda: _titles(code.dexes))
    for dex, title in zip(code.dexes, titles, strict=True):
        for prefix in ("http://", "https://"):
            for sidx, text in strings_with_prefix(dex, prefix):
                if not any(m in text.lower() for m in URL_MARKERS):
                    continue
                for ref in dex.string_refs(sidx):
                    cls = dex.method_ref(ref.caller).class_desc
                    if owner_of(cls).kind == "app":
                        out.append(PolicyEvidence("code-url", cls[1:-1].replace("/", "."), text))
                        break
        if title is not None:
            out.append(PolicyEvidence("code-string", dex.name, title))
    return out


def _titles(dexes: list[DexFile]) -> list[str | None]:
    """Per DEX, the first of MARKERS_ZH its bytes hold, or None."""
    out: list[str | None] = []
    for dex in dexes:
        # MUTF-8 encodes these CJK titles exactly as UTF-8: one C-level search per title,
        # but only when the DEX holds their common start at all (most hold none of them).
        data = dex.data
        has_start = data.find(MARKERS_ZH_START.encode("utf-8")) >= 0
        found = None
        for m in MARKERS_ZH:
            if m.startswith(MARKERS_ZH_START) and not has_start:
                continue
            if data.find(m.encode("utf-8")) >= 0:
                found = m
                break
        out.append(found)
    return out
